"""Every file a person uploads is measured before anything reads it, and spreadsheets are parsed
in a child process with a memory and a time limit (`chiso.reader.isolated`), never in the web
process itself."""
from __future__ import annotations

import tempfile
from pathlib import Path

from django.conf import settings

from chiso.common.errors import ServiceError
from chiso.core.numbers import format_decimal


def human_size(n: int) -> str:
    return format_decimal(n / 1048576, 1) + " MB"


def check_upload_size(uploaded_file, *, limit: int | None = None) -> None:
    """Refuses an empty file or one over `limit` (default CHISO_MAX_UPLOAD_BYTES), before reading it."""
    name = uploaded_file.name or "tài liệu"
    limit = limit or settings.CHISO_MAX_UPLOAD_BYTES
    if not uploaded_file.size:
        raise ServiceError(f"{name}: tệp rỗng, không có nội dung để đọc.")
    if uploaded_file.size > limit:
        raise ServiceError(f"{name}: tệp {human_size(uploaded_file.size)} vượt giới hạn {human_size(limit)}.")


def upload_bytes(uploaded_file, *, limit: int | None = None) -> bytes:
    """The upload's bytes, once its size is known to be within `limit`."""
    check_upload_size(uploaded_file, limit=limit)
    uploaded_file.seek(0)
    return uploaded_file.read()


def _read_isolated(content: bytes, file_name: str, read) -> list:
    """`read(path)` on the upload written to a temporary file, in a child process with limits and
    30 s (a person is waiting for the page); an unreadable file is a ServiceError naming it."""
    from chiso.reader import ReaderError

    with tempfile.TemporaryDirectory(prefix="chiso-") as tmp:
        path = Path(tmp) / (Path(file_name).name or "tep-tai-len")
        path.write_bytes(content)
        try:
            return read(path)
        except ReaderError as exc:
            raise ServiceError(str(exc)) from None


def document_tables(content: bytes, file_name: str) -> list[tuple[str, list[list[str]]]]:
    """(where, rows of cell texts) of each table of a Word, PDF, web or text document."""
    from chiso.reader.isolated import read_tables_isolated

    tables = _read_isolated(content, file_name, lambda path: read_tables_isolated(path, name=file_name, seconds=30))
    return [(where, rows) for where, rows in tables]


def spreadsheet_rows(content: bytes, file_name: str) -> list[tuple[str, int, list]]:
    """(sheet, 1-based line, values) of every row of an .xlsx, .xls or .ods file."""
    from chiso.reader.isolated import read_rows_isolated

    rows = _read_isolated(content, file_name, lambda path: read_rows_isolated(path, seconds=30))
    return [(sheet, line, values) for sheet, line, values in rows]
