"""Spreadsheets -> document model: .xlsx streamed through openpyxl (merged cells read from the
sheet's XML), .xls/.ods through python-calamine; cells counted as they come (`limits.CellBudget`)."""
from __future__ import annotations

import re
from io import BytesIO

from ..errors import ReaderError
from ..limits import CellBudget
from ..model import Cell, Document, Para, Table

_DEFAULT_NAME = re.compile(r"^(sheet|trang tính|feuil|tabelle)\s*\d*$", re.I)
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="([A-Z]{1,3})([0-9]{1,7})(?::([A-Z]{1,3})([0-9]{1,7}))?"')


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
        wb = openpyxl.load_workbook(BytesIO(data), data_only=True, read_only=True)
    except (InvalidFileException, KeyError, ValueError, OSError) as e:
        raise ReaderError("corrupt", source, "bảng tính bị hỏng, không mở được") from e
    doc = Document(source, fmt="xlsx")
    budget = CellBudget(source)
    try:
        for ws in wb.worksheets:
            if ws.sheet_state != "visible":
                continue
            values = stream_rows(ws, budget)
            _sheet_blocks(doc, ws.title, values, _merges(ws, values, budget))
    finally:
        wb.close()
    return doc


def stream_rows(ws, budget: CellBudget) -> list[list]:
    """A read-only openpyxl sheet's rows of values, counted by `budget` as they stream in; each row
    without its empty tail, empty rows after the last one with content left out."""
    ws.reset_dimensions()  # the file's own <dimension> may be wrong (or huge): take the rows as they are
    budget.start_sheet()
    rows: list[list] = []
    gap = 0
    for values in ws.iter_rows(values_only=True):
        cells = budget.row(values, ws.title)
        if cells:
            rows.extend([] for _ in range(gap))
            rows.append(cells)
            gap = 0
        else:
            gap += 1
    return rows


def iter_values(data: bytes, source: str, fmt: str = "xlsx"):
    """(sheet name, 1-based line, values) of every row of every sheet, as the cells hold them, for
    tables read cell by cell (a results sheet); counted like `read_sheets`."""
    budget = CellBudget(source)
    if fmt == "xlsx":
        import openpyxl  # lazy

        wb = openpyxl.load_workbook(BytesIO(data), data_only=True, read_only=True)
        try:
            for ws in wb.worksheets:
                for line, values in enumerate(stream_rows(ws, budget), start=1):
                    yield ws.title, line, values
        finally:
            wb.close()
        return
    from python_calamine import CalamineWorkbook  # lazy

    wb = CalamineWorkbook.from_filelike(BytesIO(data))
    for name in wb.sheet_names:
        sheet = wb.get_sheet_by_name(name)
        budget.take(sheet.total_height * sheet.total_width, name)
        for line, values in enumerate(sheet.to_python(skip_empty_area=False), start=1):
            yield name, line, list(values)


def _column(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n - 1


def _merges(ws, rows: list[list], budget: CellBudget) -> list[tuple[int, int, int, int]]:
    """The sheet's merged ranges, read from its XML in chunks (read-only openpyxl does not keep them),
    cut to the rows read; their area together may not pass the cell budget either."""
    height, width = len(rows), max((len(r) for r in rows), default=0)
    out, area, tail = [], 0, b""
    with ws.parent._archive.open(ws._worksheet_path) as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            buffer, last = tail + chunk, 0
            for m in _MERGE.finditer(buffer):
                last = m.end()
                r0, c0 = int(m.group(2)) - 1, _column(m.group(1))
                r1, c1 = (int(m.group(4)) - 1, _column(m.group(3))) if m.group(3) else (r0, c0)
                if r0 >= height or c0 >= width:
                    continue
                out.append((r0, c0, r1, c1))
                area += max(0, min(r1, height - 1) - r0 + 1) * max(0, min(c1, width - 1) - c0 + 1)
                if area > budget.limit:
                    budget.refuse(ws.title)
            tail = buffer[max(last, len(buffer) - 512):]
    return out


def _calamine(data: bytes, source: str) -> Document:
    from python_calamine import CalamineWorkbook  # lazy

    try:
        wb = CalamineWorkbook.from_filelike(BytesIO(data))
    except Exception as e:  # calamine raises its own error types
        raise ReaderError("corrupt", source, "bảng tính bị hỏng, không mở được") from e
    doc = Document(source, fmt="xls")
    budget = CellBudget(source)
    for name in wb.sheet_names:
        try:
            sheet = wb.get_sheet_by_name(name)
            budget.take(sheet.total_height * sheet.total_width, name)
            values = sheet.to_python(skip_empty_area=False)
            merges = []
            for (r0, c0), (r1, c1) in (getattr(sheet, "merged_cell_ranges", None) or []):
                merges.append((r0, c0, r1, c1))
        except ReaderError:
            raise
        except Exception as e:
            error = ReaderError("corrupt", source, f"trang tính «{name}» bị hỏng")
            error.unexpected = True  # calamine's errors, or a crash of ours in between (strict fuzzing)
            raise error from e
        _sheet_blocks(doc, name, values, merges)
    return doc


def read_ole(data: bytes, source: str) -> Document:
    """An OLE2 file: a legacy .xls workbook, or a .doc (not supported) / encrypted Office file."""
    if b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e" in data[:200000]:
        raise ReaderError("encrypted", source)
    if b"W\x00o\x00r\x00d\x00D\x00o\x00c\x00u\x00m\x00e\x00n\x00t" in data[:200000]:
        raise ReaderError("not_a_document", source, "tệp Word đời cũ (.doc) chưa được hỗ trợ; hãy lưu lại dưới dạng .docx")
    return _calamine(data, source)
