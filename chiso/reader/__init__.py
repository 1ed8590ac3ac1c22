"""chiso.reader: reads an index plan or results document into chiso.plan-table/1.

Pure Python, no Django. Heavy libraries (openpyxl, python-docx, pdfplumber,
python-calamine) are imported only when a document of their format is read.

    from chiso.reader import read_document, ReaderError
    table = read_document("ke-hoach.docx", progress=lambda f, msg: ...)

How it reads: `sniff` tells the format from the bytes; an extractor in `formats/`
(text, html, docx, sheets, pdf) turns the file into the `model` (paragraphs and grids
of cells with merges); `onecell` rebuilds grids from one-cell-per-line web text
(`textcols` says which text column a line belongs to); `layout` finds each grid's
header block and types its columns through the `headers` vocabulary; `interpret`
walks the rows (continuations, repeated headers, index headings, totals, captions);
`assemble` writes plan-table dicts (`numbers`, `codes`), `metadata` the document
fields and `checks` the arithmetic warnings. `pipeline` runs it all.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

from .errors import ReaderError
from .limits import size_mb

__all__ = ["read_document", "read_bytes", "ReaderError", "MAX_BYTES"]

MAX_BYTES = 25 * 1024 * 1024


def max_bytes() -> int:
    raw = os.environ.get("CHISO_MAX_UPLOAD_BYTES", "").strip()
    try:
        return int(raw) if raw else MAX_BYTES
    except ValueError:
        return MAX_BYTES


def read_document(path, *, progress: Callable[[float, str], None] | None = None) -> dict:
    """Read one document (txt, html, docx, xlsx, xls, pdf) into one chiso.plan-table/1 dict."""
    p = Path(path)
    name = p.name
    try:
        size = p.stat().st_size
    except OSError as e:
        raise ReaderError("unreadable", name, "không mở được tệp") from e
    limit = max_bytes()
    if size > limit:
        raise ReaderError("too_large", name, f"tệp {size_mb(size)} vượt quá giới hạn {size_mb(limit)}")
    try:
        data = p.read_bytes()
    except OSError as e:
        raise ReaderError("unreadable", name, "không mở được tệp") from e
    return read_bytes(data, name, progress=progress)


def read_bytes(data: bytes, name: str, *, progress: Callable[[float, str], None] | None = None) -> dict:
    """Like `read_document`, for content already in memory (e.g. an upload)."""
    from .pipeline import run

    if len(data) > max_bytes():
        raise ReaderError("too_large", name, f"tệp {size_mb(len(data))} vượt quá giới hạn {size_mb(max_bytes())}")
    try:
        return run(data, name, progress or (lambda f, m: None))
    except ReaderError:
        raise
    except RecursionError as e:
        raise ReaderError("corrupt", name, "cấu trúc tệp quá sâu hoặc bị hỏng") from e
    except MemoryError as e:
        raise ReaderError("too_large", name, "tệp quá lớn để đọc") from e
    except Exception as e:  # any library failure on a malformed file
        error = ReaderError("corrupt", name, f"tệp bị hỏng hoặc không đúng định dạng ({type(e).__name__})")
        error.unexpected = True  # the strict fuzz test tells a crash of the reader's own code from here
        raise error from e
