"""Login lock-outs (django-axes): the backend, and what a person sees when locked out."""
from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_client_username
from django.conf import settings
from django.shortcuts import render


def cooloff_text() -> str:
    """'30 phút' / '2 giờ', or '' when only an administrator unlocks."""
    cooloff = settings.AXES_COOLOFF_TIME
    if not cooloff:
        return ""
    minutes = int(cooloff.total_seconds() // 60)
    return f"{minutes // 60} giờ" if minutes >= 60 and minutes % 60 == 0 else f"{minutes} phút"


def lockout_response(request, original_response=None, credentials=None):
    context = {"username": get_client_username(request, credentials) or "", "failure_limit": settings.AXES_FAILURE_LIMIT,
               "cooloff": cooloff_text()}
    return render(request, "accounts/locked_out.html", context, status=429)



class LockoutBackend(AxesStandaloneBackend):
    """django-axes' backend, for logins through a web request. authenticate() called without
    one (a script, the test client) has no client address to lock: it is left to the next
    backend instead of failing."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
