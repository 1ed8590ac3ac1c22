"""Reading a document in a child process with a memory and a time limit. Pure Python.

The background worker (and any server code that reads a file someone uploaded) calls
`read_document_isolated` / `read_rows_isolated` instead of reading in its own process: the
child limits its own address space (RLIMIT_AS, `limits.memory_bytes()`) and CPU time, the
parent kills it after `limits.seconds()` of wall time. Whatever the file does — a parser that
allocates gigabytes, a loop that never ends — the child dies and the caller gets a
ReaderError ("too_large" / "too_slow"), while its own memory stays what it was.

Protocol: the child (`python -m chiso.reader.isolated KIND PATH`) writes JSON lines to its
stdout: {"progress": f, "message": m} while reading, then {"result": …} or {"error": {…}}.
Its stderr goes to a temporary file, kept for the log when the child dies.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import selectors
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

from . import limits
from .errors import ReaderError

Progress = Callable[[float, str], None]
# what the child sees of the environment: no secret key, no database address, no credentials
_PASSED = {"PATH", "HOME", "LANG", "TMPDIR", "TZ", "CHISO_MAX_UPLOAD_BYTES"}


def read_document_isolated(path, *, progress: Progress | None = None, name: str | None = None,
                           memory: int | None = None, seconds: float | None = None) -> dict:
    """`chiso.reader.read_document(path)`, in a child process with limits; errors name the file
    `name` (default: the path's own name)."""
    return _run("document", Path(path), progress, memory, seconds, name)


def read_rows_isolated(path, *, memory: int | None = None, seconds: float | None = None) -> list:
    """Every row of a spreadsheet (.xlsx, .xls, .ods) as [sheet, 1-based line, values], values as
    JSON gives them (dates as ISO text), in a child process with limits."""
    return _run("rows", Path(path), None, memory, seconds)


def read_tables_isolated(path, *, name: str | None = None, memory: int | None = None,
                         seconds: float | None = None) -> list:
    """[where, rows of cell texts] of every table of a document (Word, PDF, web page, text), as
    `chiso.reader.pipeline.extract` finds them before any interpretation, in a child process with
    limits: for callers with their own table grammar (the PAPI import)."""
    return _run("tables", Path(path), None, memory, seconds, name)


def _run(kind: str, path: Path, progress: Progress | None, memory: int | None, seconds: float | None,
         name: str | None = None):
    name = name or path.name
    memory = memory or limits.memory_bytes()
    seconds = seconds or limits.seconds()
    env = {k: v for k, v in os.environ.items() if k in _PASSED or k.startswith(("CHISO_READER_", "LC_", "PYTHON"))}
    env.update(CHISO_READER_MEMORY_BYTES_CHILD=str(memory), CHISO_READER_SECONDS_CHILD=str(seconds),
               CHISO_READER_PARENT=str(os.getpid()))
    with tempfile.TemporaryFile() as errors:
        child = subprocess.Popen([sys.executable, "-m", "chiso.reader.isolated", kind, str(path)],
                                 stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=errors, env=env)
        try:
            message = _follow(child, name, progress, seconds)
        finally:
            if child.poll() is None:
                child.kill()
            child.wait()
            child.stdout.close()
        if message is None:
            errors.seek(0, os.SEEK_END)
            errors.seek(max(0, errors.tell() - 4000))
            raise _died(child.returncode, name, memory, errors.read().decode("utf-8", "replace"))
    if "error" in message:
        e = message["error"]
        raise ReaderError(e.get("code") or "unreadable", name, e.get("detail"), e.get("where"))
    return message["result"]


def _follow(child: subprocess.Popen, name: str, progress: Progress | None, seconds: float) -> dict | None:
    """Relays the child's progress until its last message; kills it after `seconds`."""
    deadline = time.monotonic() + seconds
    selector = selectors.DefaultSelector()
    selector.register(child.stdout, selectors.EVENT_READ)
    buffer = b""
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                child.kill()
                raise ReaderError("too_slow", name, f"đọc tệp quá {seconds:.0f} giây, đã dừng")
            if not selector.select(timeout=min(left, 1.0)):
                continue
            chunk = os.read(child.stdout.fileno(), 1 << 16)
            if not chunk:
                return None  # the child ended without its last message
            buffer += chunk
            while b"\n" in buffer:
                line, buffer = buffer.split(b"\n", 1)
                message = json.loads(line)
                if "progress" not in message:
                    return message
                if progress is not None:
                    progress(message["progress"], message.get("message", ""))
    finally:
        selector.close()


def _died(returncode: int | None, name: str, memory: int, stderr: str) -> ReaderError:
    import logging

    logging.getLogger(__name__).warning("reading %s: the child process ended with %s\n%s", name, returncode, stderr)
    if returncode == -signal.SIGXCPU:
        return ReaderError("too_slow", name, "đọc tệp quá thời gian cho phép, đã dừng")
    if "MemoryError" in stderr or "memory allocation" in stderr or returncode in (-signal.SIGKILL, -signal.SIGABRT):
        return ReaderError("too_large", name, f"đọc tệp cần hơn {memory // 1048576} MB bộ nhớ, đã dừng")
    return ReaderError("corrupt", name, "tệp bị hỏng hoặc quá phức tạp để đọc (tiến trình đọc đã dừng)")


# -- the child ----------------------------------------------------------------------------
def _die_with_parent(parent: int) -> None:
    """Linux: the kernel kills this child when the process that started it dies (a worker killed
    in the middle of a reading leaves no reader behind)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: RLIMIT_CPU and the closed pipe end it later
        return
    if os.getppid() != parent:  # the parent died before the call above
        os._exit(1)


def _limit_self() -> None:
    import resource

    memory = int(os.environ.get("CHISO_READER_MEMORY_BYTES_CHILD") or limits.memory_bytes())
    seconds = float(os.environ.get("CHISO_READER_SECONDS_CHILD") or limits.seconds())
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    cpu = int(seconds) + 5  # CPU time never exceeds wall time: a backstop if the parent is gone
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))


def _jsonable(value):
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, float) and value != value:
        return None
    return value


def sheet_rows(path: Path) -> list:
    """[sheet, line, values] of every row of a spreadsheet, counted by a CellBudget (runs in the child)."""
    from .formats.sheets import iter_values
    from .sniff import sniff

    data = path.read_bytes()
    fmt = sniff(data, path.name)
    if fmt in ("xlsx", "ods"):
        limits.check_zip(data, path.name)
    elif fmt != "ole":
        raise ReaderError("not_a_document", path.name, "không phải tệp bảng tính Excel (.xlsx, .xls) hay .ods")
    return [[sheet, line, [_jsonable(v) for v in values]] for sheet, line, values in iter_values(data, path.name, fmt)]


def document_tables(path: Path) -> list:
    """[where, rows of cell texts] of each table block of a document (runs in the child)."""
    from .model import Table
    from .pipeline import extract

    document = extract(path.read_bytes(), path.name)
    return [[b.where, [[c.own for c in row] for row in b.rows]] for b in document.blocks if isinstance(b, Table)]


def main(argv: list[str]) -> int:
    kind, path = argv[0], Path(argv[1])
    out = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # a library's print must not break the protocol

    def send(message: dict) -> None:
        out.write(json.dumps(message, ensure_ascii=False) + "\n")
        out.flush()

    if os.environ.get("CHISO_READER_PARENT", "").isdigit():
        _die_with_parent(int(os.environ["CHISO_READER_PARENT"]))
    _limit_self()
    try:
        if kind == "document":
            from . import read_document

            result = read_document(path, progress=lambda f, m: send({"progress": f, "message": m}))
        elif kind == "tables":
            result = document_tables(path)
        else:
            result = sheet_rows(path)
    except ReaderError as e:
        send({"error": {"code": e.code, "detail": e.detail, "where": e.where}})
        return 0
    except MemoryError:
        send({"error": {"code": "too_large", "detail": "đọc tệp cần quá nhiều bộ nhớ, đã dừng"}})
        return 0
    except RecursionError:
        send({"error": {"code": "corrupt", "detail": "cấu trúc tệp quá sâu hoặc bị hỏng"}})
        return 0
    except Exception as e:  # noqa: BLE001 - any library failure on a malformed file
        send({"error": {"code": "corrupt", "detail": f"tệp bị hỏng hoặc không đúng định dạng ({type(e).__name__})"}})
        return 0
    send({"result": result})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
