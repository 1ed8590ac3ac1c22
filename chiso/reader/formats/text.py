"""Plain text (as extracted from PDFs and web pages) -> document model.

Tab-separated lines form tables (blank lines and page numbers between them are
ignored, so repeated header lines at page breaks stay inside one table); lines
of "| a | b |" do too; a run of one-cell-per-line paragraphs under an "STT"
label is read by `onecell`; everything else is a paragraph.
"""
from __future__ import annotations

import codecs
import re

from .. import onecell, rowblocks
from ..errors import ReaderError
from ..model import Cell, Document, Para, Table
from ..indexes import heading_index
from ..textutil import fold, is_upper_text

_FURNITURE_EXACT = {"dang nhap", "dang ky", "dang tai van ban...", "dang tai van ban", "dmca.com protection status",
                    "tai ve", "in", "chia se", "luu", "theo doi", "bao loi", "tien ich", "menu", "trang chu"}
_FURNITURE_PREFIX = ("tu khoa:", "ban chua dang nhap", "vi chua dang nhap", "ban chua xem duoc",
                     "neu chua la thanh vien", "van ban nay chua cap nhat", "dmca", "ip:", "hay de chung toi ho tro",
                     "copyright", "ban quyen thuoc", "bạn chưa", "lien he quang cao", "dang nhap de",
                     "tai khoan", "mat khau", "quen mat khau", "ghi nho dang nhap")
_PAGE_NO = re.compile(r"^\s*(?:[-–]?\s*\d{1,3}\s*[-–]?|trang\s+\d+(?:\s*/\s*\d+)?)\s*$", re.I)
_PIPE_SEP = re.compile(r"^\|?\s*:?-{2,}")


def decode(data: bytes, source: str) -> str:
    if data.startswith(codecs.BOM_UTF8):
        data = data[3:]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as e:
            raise ReaderError("not_a_document", source) from e
    sample = data[:65536]
    if len(sample) >= 8 and sample[1::2].count(0) > 0.6 * (len(sample) // 2):
        try:  # UTF-16 little-endian without a byte-order mark (Notepad "Unicode")
            return data.decode("utf-16-le").replace("\r\n", "\n").replace("\r", "\n")
        except UnicodeDecodeError:
            pass
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    if not sample or controls > max(2, len(sample) // 200):
        raise ReaderError("not_a_document", source)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("utf-8", errors="replace")
        if text.count("\ufffd") > max(3, len(text) // 100):
            try:
                text = data.decode("cp1258")
            except UnicodeDecodeError as e:
                raise ReaderError("not_a_document", source) from e
    return text.replace("\r\n", "\n").replace("\r", "\n")


def is_furniture(line: str) -> bool:
    f = fold(line)
    return f in _FURNITURE_EXACT or f.startswith(_FURNITURE_PREFIX)


def _cells(line: str) -> list[str] | None:
    if "\t" in line:
        return line.split("\t")
    s = line.strip()
    if s.startswith("|") and s.endswith("|") and s.count("|") >= 3:
        return [c.strip() for c in s[1:-1].split("|")]
    return None


def _wrapped(line: str) -> bool:
    """A plain line inside a table that continues a cell (not a heading between two tables)."""
    t = line.strip()
    f = fold(t)
    if f.startswith(("phu luc", "bang ", "noi nhan", "chi so ")) or heading_index(re.sub(r"^[IVX]+\s*[.)]\s*", "", t)):
        return False
    if re.match(r"^([IVX]+|[A-Z])\s*[.)]\s", t) or (is_upper_text(t) and len(t) < 150):
        return False
    return True


def _next_is_row(lines: list[tuple[int, str]], i: int) -> bool:
    while i < len(lines) and not lines[i][1].strip():
        i += 1
    return i < len(lines) and _cells(lines[i][1]) is not None


def read_text(text: str, source: str) -> Document:
    doc = Document(source, fmt="text")
    raw = text.split("\n")
    lines: list[tuple[int, str]] = []
    for n, line in enumerate(raw, 1):
        lines.append((n, "\x00" if is_furniture(line) else line))
    i = 0
    paras: list[tuple[int, str]] = []
    while i < len(lines):
        n, line = lines[i]
        if line == "\x00":  # page furniture ends whatever one-cell table runs before it
            _flush_paras(doc, paras)
            paras = []
            i += 1
            continue
        if rowblocks.is_tab_line(line):
            end = _tab_region(lines, i)
            if _read_tab_region(doc, paras, lines[i:end]):
                paras = []
                i = end
                continue
        cells = _cells(line)
        if cells is None or sum(1 for c in cells if c.strip()) == 0:
            if line.strip():
                paras.append((n, line.strip()))
            i += 1
            continue
        _flush_paras(doc, paras)
        paras = []
        table = Table([], where=f"dòng {n}")
        while i < len(lines):
            n, line = lines[i]
            cells = _cells(line)
            if line == "\x00":
                break
            if cells is None:
                if not line.strip() or _PAGE_NO.match(line):
                    i += 1
                    continue
                if table.rows and _wrapped(line) and _next_is_row(lines, i + 1):
                    # a cell's wrapped line printed without tabs: it ends the previous row's last cell
                    row = table.rows[-1]
                    last = max((k for k, c in enumerate(row) if c.text.strip()), default=0)
                    row[last] = Cell(row[last].text.rstrip() + " " + line.strip())
                    i += 1
                    continue
                break
            if _PIPE_SEP.match(line.strip()) and "\t" not in line:
                i += 1
                continue
            table.rows.append([Cell(c) for c in cells])
            table.row_where.append(f"dòng {n}")
            i += 1
        doc.blocks.append(table.square())
    _flush_paras(doc, paras)
    return doc


def _tab_region(lines: list[tuple[int, str]], i: int) -> int:
    """The end of a run of tab-led one-cell lines (blank lines between rows included)."""
    j = i
    while j < len(lines):
        line = lines[j][1]
        if rowblocks.is_tab_line(line) or (not line.strip() and line != "\x00"):
            j += 1
            continue
        break
    while j > i and not lines[j - 1][1].strip() and not lines[j - 1][1].startswith("\t"):
        j -= 1
    return j


def _read_tab_region(doc: Document, paras: list[tuple[int, str]], region: list[tuple[int, str]]) -> bool:
    """A tab-led region with blank lines between its rows is a table of row blocks; without
    blank lines its lines are one-cell-per-line paragraphs (read by `onecell`)."""
    blocks: list[list[str]] = []
    wheres: list[str] = []
    current: list[str] | None = None
    for n, line in region:
        if not line.strip() and not line.startswith("\t"):
            current = None
            continue
        if current is None:
            current = []
            blocks.append(current)
            wheres.append(f"dòng {n}")
        current.append(line[1:])
    if len(blocks) < 3 or not rowblocks.starts_table(blocks):
        if len(blocks) * 2 > len(region) or not any(rowblocks.starts_table(blocks[k:]) for k in range(min(6, len(blocks)))):
            paras.extend((n, line.strip()) for n, line in region if line.strip())
            return False
    k = next(k for k in range(min(6, len(blocks))) if rowblocks.starts_table(blocks[k:]))
    for b, w in zip(blocks[:k], wheres[:k]):
        paras.extend((int(w.split()[-1]), x.strip()) for x in b if x.strip())
    _flush_paras(doc, paras)
    doc.blocks.append(rowblocks.parse_blocks(blocks[k:], wheres[k:]).square())
    return True


def _flush_paras(doc: Document, paras: list[tuple[int, str]]) -> None:
    """Paragraphs, with one-cell-per-line tables found among them."""
    texts = [t for _, t in paras]
    wheres = [f"dòng {n}" for n, _ in paras]
    i = 0
    while i < len(texts):
        if onecell.is_header_start(texts, i):
            table, end = onecell.parse(texts, wheres, i)
            doc.blocks.append(table.square())
            i = max(end, i + 1)
            continue
        doc.blocks.append(Para(texts[i], wheres[i]))
        i += 1
