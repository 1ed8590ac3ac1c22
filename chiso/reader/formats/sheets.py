"""Spreadsheets -> document model: .xlsx through openpyxl (merged cells), .xls/.ods through python-calamine."""
from __future__ import annotations

import re
from io import BytesIO

from ..errors import ReaderError
from ..model import Cell, Document, Para, Table

_DEFAULT_NAME = re.compile(r"^(sheet|trang tính|feuil|tabelle)\s*\d*$", re.I)
MAX_CELLS = 2_000_000


def _fmt(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return ""
    if isinstance(v, float):
        if v != v or v in (float("inf"), float("-inf")):
            return ""
        r = round(v, 9)
        return str(int(r)) if r == int(r) else repr(r)
    if isinstance(v, int):
        return str(v)
    if hasattr(v, "isoformat"):
        return v.isoformat()[:10]
    return str(v)


def _sheet_blocks(doc: Document, name: str, values: list[list], merges: list[tuple[int, int, int, int]]) -> None:
    """values: rows of raw values; merges: (min_row, min_col, max_row, max_col), 0-based inclusive."""
    rows = [[Cell(_fmt(v)) for v in r] for r in values]
    # trim empty trailing columns/rows
    while rows and not any(c.text.strip() for c in rows[-1]):
        rows.pop()
    width = max((max((i + 1 for i, c in enumerate(r) if c.text.strip()), default=0) for r in rows), default=0)
    rows = [r[:width] + [Cell() for _ in range(width - len(r))] for r in rows]
    for r0, c0, r1, c1 in merges:
        if r0 >= len(rows) or c0 >= width:
            continue
        text = rows[r0][c0].text
        for i in range(r0, min(r1, len(rows) - 1) + 1):
            for j in range(c0, min(c1, width - 1) + 1):
                if (i, j) != (r0, c0):
                    rows[i][j] = Cell(text, covered_h=j > c0, covered_v=i > r0)
    keep = [(i, r) for i, r in enumerate(rows) if any(c.text.strip() for c in r)]
    where = f"trang tính «{name}»"
    doc.blocks.append(Para("" if _DEFAULT_NAME.match(name.strip()) else name, where, brk=True))
    if keep:
        doc.blocks.append(Table([r for _, r in keep], where, [f"{where}, hàng {i + 1}" for i, _ in keep]))


def read_sheets(data: bytes, source: str, fmt: str = "xlsx") -> Document:
    if fmt == "ods":
        return _calamine(data, source)
    import openpyxl  # lazy
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = openpyxl.load_workbook(BytesIO(data), data_only=True, read_only=False)
    except (InvalidFileException, KeyError, ValueError, OSError) as e:
        raise ReaderError("corrupt", source, "bảng tính bị hỏng, không mở được") from e
    doc = Document(source, fmt="xlsx")
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        if (ws.max_row or 0) * (ws.max_column or 0) > MAX_CELLS:
            raise ReaderError("too_large", source, f"trang tính «{ws.title}» quá lớn", )
        values = [list(r) for r in ws.iter_rows(values_only=True)]
        merges = [(m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1) for m in ws.merged_cells.ranges]
        _sheet_blocks(doc, ws.title, values, merges)
    return doc


def _calamine(data: bytes, source: str) -> Document:
    from python_calamine import CalamineWorkbook  # lazy

    try:
        wb = CalamineWorkbook.from_filelike(BytesIO(data))
    except Exception as e:  # calamine raises its own error types
        raise ReaderError("corrupt", source, "bảng tính bị hỏng, không mở được") from e
    doc = Document(source, fmt="xls")
    for name in wb.sheet_names:
        try:
            sheet = wb.get_sheet_by_name(name)
            values = sheet.to_python(skip_empty_area=False)
            merges = []
            for (r0, c0), (r1, c1) in (getattr(sheet, "merged_cell_ranges", None) or []):
                merges.append((r0, c0, r1, c1))
        except Exception as e:
            raise ReaderError("corrupt", source, f"trang tính «{name}» bị hỏng", ) from e
        _sheet_blocks(doc, name, values, merges)
    return doc


def read_ole(data: bytes, source: str) -> Document:
    """An OLE2 file: a legacy .xls workbook, or a .doc (not supported) / encrypted Office file."""
    if b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e" in data[:200000]:
        raise ReaderError("encrypted", source)
    if b"W\x00o\x00r\x00d\x00D\x00o\x00c\x00u\x00m\x00e\x00n\x00t" in data[:200000]:
        raise ReaderError("not_a_document", source, "tệp Word đời cũ (.doc) chưa được hỗ trợ; hãy lưu lại dưới dạng .docx")
    return _calamine(data, source)
