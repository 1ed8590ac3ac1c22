"""Whole pages kept per reader, with the tables they were read from (chiso.common.fragments).

A read page that a person opens again and again (home, their plan, the gap analysis, the
dashboard, a report form) is rendered once per person, address and day, and served again from
the cache until a table it was read from is written. A page from the cache costs the session,
the user and the generations (three short queries) instead of the view's own reads and the
layout's rendering. bench/load.py measures the difference.

What a stored page is keyed by, and why that is enough:
- the reader (user pk): the user table is always among a page's tables, so a person whose
  rights change is re-rendered (and refused) at once;
- the full address with its query string, the code and templates (code_token) and the day
  (deadlines turn "quá hạn" at midnight);
- what it was rendered from: every table the request read (notifications included: the layout
  shows the unread badge), each with its write generation; a write to any of them, through
  Django, makes the page render again.

What is never served from the cache: anything but a GET of an authenticated person, an htmx
request (its partial differs), a request with a message waiting to be shown (the render
consumes it), and any response but a plain 200 HTML page without cookies of its own.

The CSRF token is the one part of a page that belongs to the browser, not to the reader: the
stored page keeps a random mark in its place, and each request gets its own token put back.
"""
from __future__ import annotations

import hashlib
import re
import secrets
from functools import wraps

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import _unmask_cipher_token, get_token
from django.utils import timezone

from .fragments import FRAGMENT_SECONDS, code_token, labels, snapshot, still_valid, tables_read

_TOKEN_LIKE = re.compile(r"[A-Za-z0-9]{64}")
_SKIPPED_HEADERS = {"content-length", "set-cookie"}


def _cacheable_request(request) -> bool:
    if request.method != "GET" or not request.user.is_authenticated:
        return False
    if request.headers.get("HX-Request"):
        return False
    return not len(get_messages(request))


def _key(name: str, request) -> str:
    parts = (request.user.pk, request.get_full_path(), timezone.localdate().isoformat())
    digest = hashlib.sha1(repr(parts).encode()).hexdigest()
    return f"chiso:page:{code_token()}:{name}:{digest}"


def _without_csrf(request, html: str) -> tuple[str, str] | None:
    """The page with every CSRF token of this request replaced by a random mark, or None when a
    token-like string could not be told apart (then the page is not stored)."""
    secret = request.META.get("CSRF_COOKIE")
    if not secret:
        return None
    mark = secrets.token_hex(16)

    def replace(match: re.Match) -> str:
        try:
            return mark if _unmask_cipher_token(match.group(0)) == secret else match.group(0)
        except Exception:  # noqa: BLE001 - not a token after all
            return match.group(0)

    return mark, _TOKEN_LIKE.sub(replace, html)


def cached_page(name: str):
    """A view decorator: the view's page is kept per reader (see the module's docstring). Put it
    under @login_required, so that an anonymous request is sent to the login page first."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not _cacheable_request(request):
                return view(request, *args, **kwargs)
            key = _key(name, request)
            snapshot()  # before the view's reads
            stored = cache.get(key)
            if stored is not None and still_valid(stored[0]):
                _, mark, html, headers = stored
                response = HttpResponse(html.replace(mark, get_token(request)))
                for header, value in headers:
                    response[header] = value
                return response
            response = view(request, *args, **kwargs)
            if (response.status_code == 200 and not response.streaming and not response.cookies
                    and response.get("Content-Type", "").startswith("text/html")):
                html = response.content.decode(response.charset)
                cleaned = _without_csrf(request, html)
                if cleaned is not None:
                    headers = [(h, v) for h, v in response.items() if h.lower() not in _SKIPPED_HEADERS]
                    tables = tables_read() | {request.user._meta.db_table}  # read before the snapshot
                    cache.set(key, (labels(tables), cleaned[0], cleaned[1], headers), FRAGMENT_SECONDS)
            return response

        wrapper.chiso_cached_page = name
        return wrapper

    return decorator
