"""Cached page fragments, invalidated by any write to the data they are made of.

The heavy part of a read page (a plan's tables, a unit-year's gap analysis) is rendered once
and kept in the cache under a key that carries a *write generation*. Nothing has to remember
to invalidate it:

- every INSERT, UPDATE, DELETE or TRUNCATE that goes through Django's database connection (the
  ORM, `update()`, bulk writes, raw cursors, loaddata, migrations, restore) is seen by a
  connection wrapper (`watch_writes`), whatever app or script makes it;
- once the writing transaction commits, the shared generation row (common.Generation) is
  incremented, so every process, on every machine, stops using the fragments rendered before;
- the process that writes also counts the write at once (`_local`), so within one process the
  next read already misses, before the commit (and inside a test's transaction, which never
  commits).

A reader reads the generation before the data: a fragment stored under generation G was
rendered from data at least as new as G. A write seen between its commit and its increment
(a few milliseconds) may still be served the fragment from before it. Fragments also expire
after FRAGMENT_SECONDS, for writes made outside Django (psql).

A fragment must depend only on its key: the object, the generation and the `variant` the
caller passes for whatever of the reader's permissions it shows (never a form, a CSRF token or
the reader's name).
"""
from __future__ import annotations

import hashlib
import itertools
import re
import threading
from functools import lru_cache
from pathlib import Path
from typing import Callable

from django.core.cache import cache
from django.db import DatabaseError, connections, transaction
from django.db.models import F

FRAGMENT_SECONDS = 600

# Tables written often that no fragment shows: their writes do not invalidate anything.
QUIET_TABLES = re.compile(
    r"^(django_session|common_generation|axes_\w+|django_tasks_\w+|progress_reminderlog"
    r"|accounts_apitoken|ingest_\w+|django_admin_log|django_migrations)$"
)
_WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?)\s+"?([A-Za-z0-9_]+)"?',
                    re.IGNORECASE)
# A login records its time on the user: no fragment shows it, and logins are many.
_QUIET_STATEMENT = re.compile(r'^\s*UPDATE\s+"accounts_user"\s+SET\s+"last_login"\s*=\s*%s\s+WHERE[^,]*$', re.IGNORECASE)
_local = itertools.count(1)
_local_value = 0


def written_table(sql: str) -> str | None:
    """The table a statement writes, or None for a read (and for a quiet table)."""
    match = _WRITE.match(sql)
    if match is None or QUIET_TABLES.match(match.group(1).lower()) or _QUIET_STATEMENT.match(sql):
        return None
    return match.group(1).lower()


def _bump(alias: str = "default") -> None:
    from .models import Generation

    try:
        with transaction.atomic(using=alias):
            if not Generation.objects.using(alias).filter(name=Generation.CONTENT).update(value=F("value") + 1):
                Generation.objects.using(alias).get_or_create(name=Generation.CONTENT, defaults={"value": 1})
    except DatabaseError:  # not migrated yet (a write made by the migrations themselves)
        pass


def _bump_on_commit(alias: str) -> None:
    connection = connections[alias]
    if connection.in_atomic_block:
        # once per transaction: a bulk load registers one increment, not one per row
        if any(getattr(func, "chiso_bump", False) for _, func, _ in connection.run_on_commit):
            return

    def bump():
        _bump(alias)

    bump.chiso_bump = True
    transaction.on_commit(bump, using=alias, robust=True)


class WriteWatcher:
    """A connection execute wrapper: a write to a watched table bumps the generation."""

    def __init__(self, alias: str):
        self.alias = alias
        self.pending = False  # an autocommit write whose second increment is still owed

    def settle(self) -> None:
        """The increment owed after an autocommit write (see __call__), if any."""
        if self.pending and not connections[self.alias].in_atomic_block:
            self.pending = False
            _bump(self.alias)

    def __call__(self, execute, sql, params, many, context):
        global _local_value
        if self.pending and not connections[self.alias].in_atomic_block:
            self.settle()  # the previous statement has been read in full by now
        if not written_table(sql if isinstance(sql, str) else str(sql)):
            return execute(sql, params, many, context)
        if not connections[self.alias].in_atomic_block:
            # Autocommit: the write commits as it runs, so the generation is bumped just before it,
            # and once more after it (`settle`: at the connection's next statement or at the end
            # of the request), so that a page another process rendered in between from the data
            # before the write is not served on. Not right after it, here: Django reads an INSERT
            # … RETURNING's row only once this wrapper has returned, and on SQLite a statement run
            # in between (the bump's own transaction) rolled the INSERT back.
            _bump(self.alias)
            result = execute(sql, params, many, context)
            _local_value = next(_local)
            self.pending = True
            return result
        result = execute(sql, params, many, context)
        _local_value = next(_local)
        _bump_on_commit(self.alias)
        return result


def watch_writes(sender, connection, **kwargs) -> None:
    """connection_created receiver (chiso.common.apps): each new connection gets the watcher."""
    if not any(isinstance(w, WriteWatcher) for w in connection.execute_wrappers):
        connection.execute_wrappers.insert(0, WriteWatcher(connection.alias))


def settle_writes(sender=None, **kwargs) -> None:
    """request_finished receiver (chiso.common.apps): the increments owed by autocommit writes."""
    for connection in connections.all(initialized_only=True):
        for wrapper in connection.execute_wrappers:
            if isinstance(wrapper, WriteWatcher):
                try:
                    wrapper.settle()
                except DatabaseError:  # the connection is broken: its next user reconnects
                    wrapper.pending = False


def install_on_open_connections() -> None:
    for connection in connections.all(initialized_only=True):
        watch_writes(None, connection)


_request = threading.local()  # the generation read once per request (see generation())


def start_request(sender=None, **kwargs) -> None:
    """request_started receiver: a request reads the generation at most once while it writes nothing."""
    _request.active, _request.generation = True, None


def end_request(sender=None, **kwargs) -> None:
    """request_finished receiver: outside a request (commands, the worker) every call reads it."""
    _request.active, _request.generation = False, None


def generation() -> str:
    """The write generation as this process sees it (one query, once per request). Within one
    request the value read first is used again until this process writes: an older generation
    only labels a fragment rendered from newer data than it, which is never wrong."""
    from .models import Generation

    memo = getattr(_request, "generation", None)
    if memo is not None and memo[0] == _local_value:
        return memo[1]
    value = Generation.objects.filter(name=Generation.CONTENT).values_list("value", flat=True).first()
    result = f"{value or 0}.{_local_value}"
    if getattr(_request, "active", False):
        _request.generation = (_local_value, result)
    return result


@lru_cache(maxsize=1)
def code_token() -> str:
    """Changes with the code and templates: a shared cache never serves another release's HTML."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha1()
    for path in sorted(root.rglob("*")):
        if path.suffix in {".py", ".html"}:
            stat = path.stat()
            digest.update(f"{path.relative_to(root)}:{stat.st_mtime_ns}:{stat.st_size}".encode())
    return digest.hexdigest()[:12]


def cached_fragment(name: str, key: tuple, build: Callable[[], str]) -> str:
    """The fragment `name` for `key` (the object's pk and the reader's variant), built by
    `build()` when the cache has none for the current generation."""
    parts = hashlib.sha1(repr(key).encode()).hexdigest()  # a key part may be a query parameter: any text
    full_key = f"chiso:fragment:{code_token()}:{name}:{parts}:{generation()}"
    html = cache.get(full_key)
    if html is None:
        html = build()
        cache.set(full_key, html, FRAGMENT_SECONDS)
    return html
