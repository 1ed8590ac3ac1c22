"""What every official Excel output shares: printed on A4 landscape, one page wide, the header
row repeated on each page; returned as bytes."""
from __future__ import annotations

import io

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def sheet_print_setup(ws, *, header_row: int, freeze_column: int = 1) -> None:
    ws.freeze_panes = ws.cell(row=header_row + 1, column=freeze_column)
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def workbook_bytes(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
