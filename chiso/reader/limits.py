"""What reading one document may cost, checked before and while it is parsed. Pure Python.

An Office file (.xlsx, .docx, .ods) is a zip archive: a few hundred kilobytes can expand
to gigabytes of XML (a "zip bomb"). Before any parser sees one, `check_zip` reads the
archive's directory and refuses it when

- it has more than MAX_ENTRIES members;
- its members together expand beyond `max_unzipped_bytes()`;
- a member of more than RATIO_FLOOR bytes expands more than `max_ratio()` times;
- a member's data inflates beyond the size its header declares (a bomb hiding its size),
  or is compressed otherwise than stored / deflate (never the case in Office files);
- the sheets of a workbook hold more than `max_cells()` values (<v>, <is> counted in the
  inflated bytes, long before a parser would have built them).

While a spreadsheet is streamed, a `CellBudget` counts its cells as they come and stops the
reading as soon as the grid the reader would build passes `max_cells()`.

Every limit can be changed from the environment (a number; see each function). The time
and memory of a whole reading are bounded by running it in a child process
(`chiso.reader.isolated`).
"""
from __future__ import annotations

import io
import os
import re
import struct
import zipfile
import zlib

from chiso.core.numbers import format_decimal

from .errors import ReaderError

MAX_ENTRIES = 10_000
RATIO_FLOOR = 1 << 20  # members under 1 MB may compress as well as they like
_CHUNK = 1 << 16
_VALUE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:v|is)>")  # a cell's value in a SpreadsheetML sheet
_SHEET = re.compile(r"^xl/worksheets/[^/]+\.xml$")


def _env_number(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    try:
        value = float(raw) if raw else default
    except ValueError:
        return default
    return value if value > 0 else default


def max_unzipped_bytes() -> int:
    """All members of one archive together, uncompressed: CHISO_READER_MAX_UNZIPPED_MB (100)."""
    return int(_env_number("CHISO_READER_MAX_UNZIPPED_MB", 100) * 1048576)


def max_ratio() -> float:
    """Uncompressed / compressed size of one member: CHISO_READER_MAX_ZIP_RATIO (100)."""
    return _env_number("CHISO_READER_MAX_ZIP_RATIO", 100)


def max_cells() -> int:
    """Cells of all the sheets of one workbook, empty ones inside the used area included:
    CHISO_READER_MAX_CELLS (500 000; a province's plan has a few thousand)."""
    return int(_env_number("CHISO_READER_MAX_CELLS", 500_000))


def memory_bytes() -> int:
    """Address space of the child process that reads one document: CHISO_READER_MEMORY_MB (1024)."""
    return int(_env_number("CHISO_READER_MEMORY_MB", 1024) * 1048576)


def seconds() -> float:
    """Wall time allowed to read one document: CHISO_READER_SECONDS (300)."""
    return _env_number("CHISO_READER_SECONDS", 300)


def size_mb(n: float) -> str:
    return format_decimal(n / 1048576, 1) + " MB"


def check_zip(data: bytes, source: str) -> None:
    """Raises ReaderError("too_large" / "corrupt") for an archive that would cost too much to open."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as e:
        raise ReaderError("corrupt", source, "tệp nén (zip) bị hỏng, không mở được") from e
    if len(members) > MAX_ENTRIES:
        raise ReaderError("too_large", source, f"tệp nén chứa {len(members)} phần, quá giới hạn {MAX_ENTRIES}")
    limit, ratio = max_unzipped_bytes(), max_ratio()
    declared = sum(m.file_size for m in members)
    if declared > limit:
        raise ReaderError("too_large", source, f"giải nén ra {size_mb(declared)}, vượt giới hạn {size_mb(limit)} "
                                               "(có thể là tệp nén độc hại)")
    for m in members:
        if m.file_size > RATIO_FLOOR and m.file_size > ratio * max(m.compress_size, 1):
            raise ReaderError("too_large", source, f"phần «{m.filename}» nén {m.file_size / max(m.compress_size, 1):.0f} "
                                                   f"lần (giới hạn {ratio:.0f} lần): có thể là tệp nén độc hại")
    cells, limit_cells = 0, max_cells()
    for m in members:
        scanner = _scanner_for(m.filename)
        _check_member(data, m, source, scanner)
        cells += scanner.cells if scanner else 0
        if cells > limit_cells:
            count = format_decimal(limit_cells, grouping=True)
            raise ReaderError("too_large", source, f"bảng tính có hơn {count} ô, quá lớn để đọc "
                                                   "(có thể là tệp nén độc hại)")


def _check_member(data: bytes, member: zipfile.ZipInfo, source: str, scanner=None) -> None:
    """Inflates `member` (at most one byte past its declared size) to make sure it is as large as
    it says: parsers outside Python's zipfile may trust the data rather than the header. The
    inflated bytes go through `scanner` (which counts cells) on the way."""
    if member.is_dir() or member.file_size == 0 and member.compress_size == 0:
        return
    if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise ReaderError("corrupt", source, f"phần «{member.filename}» dùng kiểu nén không hỗ trợ")
    offset = member.header_offset
    if data[offset:offset + 4] != b"PK\x03\x04":
        raise ReaderError("corrupt", source, "tệp nén (zip) bị hỏng, không mở được")
    name_len, extra_len = struct.unpack_from("<HH", data, offset + 26)
    start = offset + 30 + name_len + extra_len
    raw = memoryview(data)[start:start + member.compress_size]
    if member.compress_type == zipfile.ZIP_STORED:
        if len(raw) != member.file_size:
            raise ReaderError("corrupt", source, f"phần «{member.filename}» không đúng kích thước khai báo")
        if scanner:
            scanner.feed(bytes(raw))
        return
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    produced, pos, budget = 0, 0, member.file_size + 1
    try:
        while produced < budget:
            if inflater.unconsumed_tail:
                chunk = inflater.decompress(inflater.unconsumed_tail, min(_CHUNK, budget - produced))
            elif pos < len(raw):
                chunk = inflater.decompress(raw[pos:pos + _CHUNK], min(_CHUNK, budget - produced))
                pos += _CHUNK
            else:
                break
            produced += len(chunk)
            if scanner:
                scanner.feed(chunk)
            if inflater.eof:
                break
    except zlib.error as e:
        raise ReaderError("corrupt", source, f"phần «{member.filename}» bị hỏng") from e
    if produced > member.file_size:
        raise ReaderError("too_large", source, f"phần «{member.filename}» giải nén ra nhiều hơn kích thước "
                                               "khai báo (tệp nén độc hại)")


def _scanner_for(name: str):
    if _SHEET.match(name):
        return _SheetValues()
    if name == "content.xml":
        return _OdsGrid()
    return None


class _TagScanner:
    """Feeds inflated chunks to `tag(match)` for each match of PATTERN; a tag cut by a chunk's
    end is matched with the next chunk."""

    PATTERN: re.Pattern

    def __init__(self):
        self.cells = 0
        self.tail = b""

    def feed(self, chunk: bytes) -> None:
        text, last = self.tail + chunk, 0
        for m in self.PATTERN.finditer(text):
            self.tag(m)
            last = m.end()
        self.tail = text[max(last, len(text) - 4096):]

    def tag(self, m: re.Match) -> None:
        raise NotImplementedError


class _SheetValues(_TagScanner):
    """SpreadsheetML: each <v> or <is> is one cell with a value."""

    PATTERN = _VALUE

    def tag(self, m):
        self.cells += 1


class _OdsGrid(_TagScanner):
    """OpenDocument: rows and cells carry repeat counts (one element may stand for a million cells),
    so each table's grid — rows up to the last with a value, times the columns up to the last
    value in any row — is summed, the way a reader would lay it out."""

    PATTERN = re.compile(rb"<(/?)table:(table-row|table-cell|covered-table-cell|table)(?=[\s/>])([^>]*?)(/?)>")
    _REPEAT = re.compile(rb'number-(?:rows|columns)-repeated="([0-9]{1,9})"')

    def __init__(self):
        super().__init__()
        self._table()
        self.row_repeat = self.col = self.row_width = 0

    def _table(self) -> None:
        self.rows = self.width = self.height = 0

    def _repeat(self, attrs: bytes) -> int:
        m = self._REPEAT.search(attrs)
        return max(1, int(m.group(1))) if m else 1

    def tag(self, m):
        closing, name, attrs, empty = m.group(1), m.group(2), m.group(3), m.group(4)
        if name == b"table":
            if closing:
                self.cells += self.height * self.width
            else:
                self._table()
        elif name == b"table-row":
            if not closing:
                self.row_repeat, self.col, self.row_width = self._repeat(attrs), 0, 0
            if closing or empty:
                self.rows += self.row_repeat
                if self.row_width:
                    self.height, self.width = self.rows, max(self.width, self.row_width)
        elif not closing:  # a cell: its value type says it holds something
            self.col += self._repeat(attrs)
            if b"value-type" in attrs:
                self.row_width = self.col


class CellBudget:
    """Counts a workbook's cells as its rows stream in.

    `row(values)` takes one row, drops its empty tail and returns it; it raises
    ReaderError("too_large") as soon as the grid kept so far — rows up to the last one with
    content, times the widest row — passes `limit`, or the cells seen at all (empty rows
    and padding included) pass four times `limit` (a sheet of a million empty rows)."""

    def __init__(self, source: str, limit: int | None = None):
        self.source = source
        self.limit = limit or max_cells()
        self.seen = 0
        self.kept = 0  # cells of the sheets already finished
        self.rows = 0  # of the current sheet, up to its last row with content
        self.width = 0
        self.pending = 0  # empty rows after that one

    def start_sheet(self) -> None:
        self.kept += self.rows * self.width
        self.rows = self.width = self.pending = 0

    def row(self, values, sheet: str = "") -> list:
        self.seen += max(1, len(values))
        cells = list(values)
        while cells and (cells[-1] is None or cells[-1] == ""):
            cells.pop()
        if cells:
            self.rows += self.pending + 1
            self.pending = 0
            self.width = max(self.width, len(cells))
        else:
            self.pending += 1
        if self.kept + self.rows * self.width > self.limit or self.seen > 4 * self.limit:
            self.refuse(sheet)
        return cells

    def take(self, n: int, sheet: str = "") -> None:
        """Counts `n` cells read whole (a format that cannot be streamed)."""
        self.kept += n
        self.seen += n
        if self.kept > self.limit:
            self.refuse(sheet)

    def refuse(self, sheet: str = "") -> None:
        where = f"trang tính «{sheet}»: " if sheet else ""
        count = format_decimal(self.limit, grouping=True)
        raise ReaderError("too_large", self.source, f"{where}bảng tính có hơn {count} ô, quá lớn để đọc "
                                                    "(hãy chỉ giữ các trang có bảng chỉ số)")
