"""What every official Excel and Word output shares: text that stays text, printed on A4
landscape, one page wide, the header row repeated on each page; returned as bytes.

Every .xlsx chiso writes is made by `new_workbook()`, filled through `put` / `append_row`
and turned into bytes by `workbook_bytes`: a report, a task or a unit name a user typed
that starts with `=` (or `+ - @`, a tab or a line break, which spreadsheet programs also
read as the start of a formula when the text is edited or pasted) is stored as a string
cell marked "quote prefix", so Excel and LibreOffice show it and never evaluate it.
`workbook_bytes` checks the whole book again before saving, so a cell written any other
way cannot leave as a formula either. Characters XML cannot hold (control characters
pasted from other programs) are dropped by `clean_text`, which the Word exports use too.
"""
from __future__ import annotations

import io
import re

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# what makes a spreadsheet program read typed text as a formula (OWASP "CSV injection")
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r", "\n")
# characters XML 1.0 cannot hold; tab, line feed and carriage return are kept
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
MAX_CELL_TEXT = 32767  # Excel's limit for one cell


def clean_text(value) -> str:
    """`value` as text an Office file can hold: without control characters XML refuses."""
    return _NOT_XML.sub("", str(value))


def new_workbook(*, keep_first_sheet: bool = True):
    """An empty openpyxl workbook (the only place chiso makes one)."""
    from openpyxl import Workbook

    book = Workbook()
    if not keep_first_sheet:
        book.remove(book.active)
    return book


def set_value(cell, value) -> None:
    """Writes `value` into `cell`: numbers and dates as themselves, any text as text."""
    if not isinstance(value, str):
        cell.value = value
        return
    text = clean_text(value)[:MAX_CELL_TEXT]
    cell.value = text
    _keep_as_text(cell)


def _keep_as_text(cell) -> None:
    retyped = cell.data_type in ("f", "e")  # openpyxl takes "=…" for a formula, "#N/A" for an error
    if retyped:
        cell.data_type = "s"
    if retyped or cell.data_type == "s" and isinstance(cell.value, str) and cell.value.startswith(FORMULA_LEADS):
        cell.quotePrefix = True


def put(ws, row: int, column: int, value=None):
    """`ws.cell(row, column)` holding `value` (see `set_value`); returns the cell for styling."""
    cell = ws.cell(row=row, column=column)
    set_value(cell, value)
    return cell


def append_row(ws, values) -> list:
    """Like `ws.append(values)`, each value written by `set_value`; returns the row's cells."""
    row = ws._current_row + 1  # where openpyxl's own append would write
    cells = [put(ws, row, column, value) for column, value in enumerate(values, start=1)]
    ws._current_row = row
    return cells


def sheet_print_setup(ws, *, header_row: int, freeze_column: int = 1) -> None:
    ws.freeze_panes = ws.cell(row=header_row + 1, column=freeze_column)
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def workbook_bytes(book) -> bytes:
    """The workbook as .xlsx bytes, after making sure no cell in it is a formula."""
    for ws in book.worksheets:
        for cell in ws._cells.values():
            _keep_as_text(cell)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
