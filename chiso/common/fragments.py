"""Cached page fragments, invalidated by a write to any table they were made from.

The heavy part of a read page (a plan's tables, a unit-year's gap analysis) is rendered once
and kept in the cache with the tables it was read from and their write generations. Nothing
has to remember to invalidate it:

- every INSERT, UPDATE, DELETE or TRUNCATE that goes through Django's database connection (the
  ORM, `update()`, bulk writes, raw cursors, loaddata, migrations, restore) is seen by a
  connection wrapper (`watch_writes`), whatever app or script makes it;
- once the writing transaction commits, the shared generation row of each table it wrote
  (common.Generation, one row per table) is incremented, so every process, on every machine,
  stops using what was rendered from that table before;
- the process that writes also counts the write at once (`_local_counts`), so within one
  process the next read already misses, before the commit (and inside a test's transaction,
  which never commits);
- the same wrapper notes every table a request reads (`read_tables`), so what a page or
  fragment depends on is what its rendering actually read, not a list someone keeps.

A report draft saved thus leaves the plan tables and the gap analysis in the cache, and only
the pages that show reports (home, dashboard, the report form) are rendered again.

A request reads the generations once (`snapshot`, one query), before the reads of what it
renders: an entry labelled with generation G of a table was rendered from data at least as new
as G. What the request read before that (the session and the user, by the middlewares) is
labelled with the generations read just after it; a write committed in that millisecond may
be missed until FRAGMENT_SECONDS have passed, as may writes made outside Django (psql).

A fragment must depend only on its key: the object and the `variant` the caller passes for
whatever of the reader's permissions it shows (never a form, a CSRF token or the reader's name).
"""
from __future__ import annotations

import hashlib
import os
import re
import secrets
import threading
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable

from django.core.cache import cache
from django.db import DatabaseError, IntegrityError, connections, transaction
from django.db.models import F

FRAGMENT_SECONDS = 600

# Tables written often that nothing kept shows: their writes do not invalidate anything.
QUIET_TABLES = re.compile(
    r"^(django_session|common_generation|axes_\w+|django_tasks_\w+|progress_reminderlog"
    r"|accounts_apitoken|ingest_\w+|django_admin_log|django_migrations)$"
)
_WRITE = re.compile(r'^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?)\s+"?([A-Za-z0-9_]+)"?',
                    re.IGNORECASE)
_READ = re.compile(r"^\s*(?:SELECT|WITH)\b", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z0-9_]+")
# A login records its time on the user: nothing kept shows it, and logins are many.
_QUIET_STATEMENT = re.compile(r'^\s*UPDATE\s+"accounts_user"\s+SET\s+"last_login"\s*=\s*%s\s+WHERE[^,]*$', re.IGNORECASE)

_local_counts: Counter = Counter()  # writes this process made, per table
_count_lock = threading.Lock()  # the threads of one gunicorn process share the counts
_process = {"token": secrets.token_hex(6)}


def _new_process() -> None:
    # a forked worker has no transaction of its parent's in flight: it starts with its own counts
    _process["token"] = secrets.token_hex(6)
    with _count_lock:
        _local_counts.clear()


os.register_at_fork(after_in_child=_new_process)


@lru_cache(maxsize=1)
def _known_tables() -> frozenset[str]:
    from django.apps import apps

    return frozenset(m._meta.db_table.lower() for m in apps.get_models(include_auto_created=True))


def _watched(table: str) -> bool:
    return not QUIET_TABLES.match(table)


def written_tables(sql: str) -> tuple[str, ...]:
    """The watched tables a statement writes: () for a read, a quiet table or a login."""
    match = _WRITE.match(sql)
    if match is None or _QUIET_STATEMENT.match(sql):
        return ()
    if match.group(1).upper().startswith("TRUNCATE"):
        names = [w.lower() for w in _WORD.findall(sql[match.start(2):]) if w.upper() not in {"RESTART", "IDENTITY",
                                                                                              "CASCADE", "TABLE"}]
    else:
        names = [match.group(2).lower()]
    return tuple(n for n in dict.fromkeys(names) if _watched(n))


@lru_cache(maxsize=8192)
def read_tables(sql: str) -> frozenset[str]:
    """The watched tables a SELECT may read: every word of it that names a table (a superset
    when a column shares a table's name, which only costs an early re-render)."""
    if not _READ.match(sql):
        return frozenset()
    known = _known_tables()
    return frozenset(w for w in {w.lower() for w in _WORD.findall(sql)} if w in known and _watched(w))


def _count(tables: tuple[str, ...]) -> None:
    with _count_lock:
        _local_counts.update(tables)
    writes = getattr(_request, "writes", None)
    if writes is not None:
        writes.update(tables)


def _bump(alias: str = "default", tables: Iterable[str] = ()) -> None:
    from .models import Generation

    rows = Generation.objects.using(alias)
    try:
        with transaction.atomic(using=alias):
            for name in sorted(set(tables)):  # one order for every writer: no deadlock between two
                if rows.filter(name=name).update(value=F("value") + 1):
                    continue
                try:
                    with transaction.atomic(using=alias):
                        # from a random value: a database restored or created anew never repeats
                        # the generations that entries still kept in a shared cache were labelled with
                        rows.create(name=name, value=secrets.randbelow(2**40) + 1)
                except IntegrityError:  # another process created it first: count this write too
                    rows.filter(name=name).update(value=F("value") + 1)
    except DatabaseError:  # not migrated yet (a write made by the migrations themselves)
        pass


def _bump_on_commit(alias: str, tables: tuple[str, ...]) -> None:
    # once per transaction: a bulk load registers one increment per table, not one per row
    for _, func, _ in connections[alias].run_on_commit:
        pending = getattr(func, "chiso_tables", None)
        if pending is not None:
            pending.update(tables)
            return
    pending = set(tables)

    def bump():
        _bump(alias, pending)

    bump.chiso_tables = pending
    transaction.on_commit(bump, using=alias, robust=True)


class WriteWatcher:
    """A connection execute wrapper: a write bumps its tables' generations, a read in a request
    is noted as a dependency of what the request renders."""

    def __init__(self, alias: str):
        self.alias = alias
        self.pending: set[str] = set()  # tables of an autocommit write whose second increment is owed

    def settle(self) -> None:
        """The increment owed after an autocommit write (see __call__), if any."""
        if self.pending and not connections[self.alias].in_atomic_block:
            tables, self.pending = self.pending, set()
            _bump(self.alias, tables)

    def __call__(self, execute, sql, params, many, context):
        if self.pending and not connections[self.alias].in_atomic_block:
            self.settle()  # the previous statement has been read in full by now
        text = sql if isinstance(sql, str) else str(sql)
        tables = written_tables(text)
        if not tables:
            reads = getattr(_request, "reads", None)
            if reads is not None:
                reads.update(read_tables(text))
            return execute(sql, params, many, context)
        if not connections[self.alias].in_atomic_block:
            # Autocommit: the write commits as it runs, so its tables are bumped just before it,
            # and once more after it (`settle`: at the connection's next statement or at the end
            # of the request), so that a page another process rendered in between from the data
            # before the write is not served on. Not right after it, here: Django reads an INSERT
            # … RETURNING's row only once this wrapper has returned, and on SQLite a statement run
            # in between (the bump's own transaction) rolled the INSERT back.
            _bump(self.alias, tables)
            result = execute(sql, params, many, context)
            _count(tables)
            self.pending.update(tables)
            return result
        result = execute(sql, params, many, context)
        _count(tables)
        _bump_on_commit(self.alias, tables)
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
                    wrapper.pending = set()


def install_on_open_connections() -> None:
    for connection in connections.all(initialized_only=True):
        watch_writes(None, connection)


_request = threading.local()  # per request: the tables read so far, the generations read once


def start_request(sender=None, **kwargs) -> None:
    """request_started receiver: from here the request's reads and writes are noted."""
    _request.reads, _request.writes, _request.snapshot = set(), set(), None


def end_request(sender=None, **kwargs) -> None:
    """request_finished receiver: outside a request (commands, the worker) nothing is noted or kept."""
    _request.reads, _request.writes, _request.snapshot = None, None, None


def in_request() -> bool:
    return getattr(_request, "reads", None) is not None


def snapshot() -> tuple[dict[str, int], dict[str, int]]:
    """(shared generation per table, this process's write count per table), read once per request."""
    from .models import Generation

    memo = getattr(_request, "snapshot", None)
    if memo is None:
        shared = dict(Generation.objects.values_list("name", "value"))
        with _count_lock:
            memo = (shared, dict(_local_counts))
        _request.snapshot = memo
    return memo


Label = tuple  # (process token, ((table, shared generation, this process's count), ...))


def labels(tables: Iterable[str]) -> Label:
    """What an entry rendered from `tables` is valid for: each table's generations at the snapshot."""
    shared, local = snapshot()
    return _process["token"], tuple((t, shared.get(t, 0), local.get(t, 0)) for t in sorted(set(tables))
                                    if _watched(t))


def still_valid(label: Label) -> bool:
    """Whether no table an entry was rendered from has been written since; its tables become
    dependencies of whatever the request renders around it.

    Another process's entry (a shared cache) is judged by the shared generations alone: its
    counts are its own. Only a write of this request's own, not yet committed or bumped, is
    unknown to them: then the entry is not used."""
    token, tables = label
    shared, _ = snapshot()
    if any(shared.get(t, 0) != s for t, s, _ in tables):
        return False
    if token == _process["token"]:
        if any(_local_counts.get(t, 0) != n for t, _, n in tables):
            return False
    elif getattr(_request, "writes", None) and any(t in _request.writes for t, _, _ in tables):
        return False
    depend(t for t, _, _ in tables)
    return True


def depend(tables: Iterable[str]) -> None:
    """Notes tables as read by this request (an entry served from the cache reads none itself)."""
    reads = getattr(_request, "reads", None)
    if reads is not None:
        reads.update(tables)


def tables_read() -> set[str]:
    return set(getattr(_request, "reads", None) or ())


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
    `build()` when the cache has none that is still valid. Outside a request it is only built."""
    if not in_request():
        return build()
    parts = hashlib.sha1(repr(key).encode()).hexdigest()  # a key part may be a query parameter: any text
    full_key = f"chiso:fragment:{code_token()}:{name}:{parts}"
    snapshot()  # before the build's reads
    stored = cache.get(full_key)
    if stored is not None and still_valid(stored[0]):
        return stored[1]
    html = build()
    cache.set(full_key, (labels(tables_read()), html), FRAGMENT_SECONDS)
    return html
