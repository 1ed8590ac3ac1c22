"""Reading the administrator's Excel list of accounts: one row per person (name, email, unit, role)."""
from __future__ import annotations

from dataclasses import dataclass

from chiso.common.office import append_row, new_workbook, workbook_bytes
from chiso.core.text import collapse, fold

from .models import Role

# folded header → field; the first row holding a name and an email column is the header
HEADERS = {
    "ho va ten": "full_name", "ho ten": "full_name", "ten": "full_name", "name": "full_name",
    "email": "email", "e-mail": "email", "thu dien tu": "email",
    "don vi": "unit", "co quan": "unit", "co quan, don vi": "unit", "unit": "unit",
    "tinh": "province", "tinh, thanh pho": "province",
    "vai tro": "role", "quyen": "role", "role": "role",
    "ten dang nhap": "username", "username": "username",
}
ROLE_WORDS = {
    "admin": Role.ADMIN, "quan tri": Role.ADMIN, "quan tri he thong": Role.ADMIN,
    "coordinator": Role.COORDINATOR, "dieu phoi": Role.COORDINATOR, "dieu phoi (so noi vu)": Role.COORDINATOR,
    "so noi vu": Role.COORDINATOR,
    "officer": Role.OFFICER, "can bo": Role.OFFICER, "can bo don vi": Role.OFFICER, "chuyen vien": Role.OFFICER,
    "leader": Role.LEADER, "lanh dao": Role.LEADER,
    "viewer": Role.VIEWER, "nguoi xem": Role.VIEWER, "xem": Role.VIEWER,
}
TEMPLATE_HEADERS = ["Họ và tên", "Email", "Đơn vị", "Tỉnh", "Vai trò"]
TEMPLATE_EXAMPLE = ["Nguyễn Văn A", "nguyenvana@snv.daklak.gov.vn", "Sở Nội vụ", "Đắk Lắk", "Cán bộ đơn vị"]


@dataclass
class Row:
    number: int
    full_name: str = ""
    email: str = ""
    unit: str = ""
    province: str = ""
    role: str = ""
    username: str = ""


class ImportFileError(Exception):
    pass


def parse_role(text: str) -> str | None:
    return ROLE_WORDS.get(fold(text))


def read_rows(data: bytes, file_name: str = "danh-sach.xlsx") -> list[Row]:
    """The people listed in an .xlsx file, with their row numbers as Excel shows them (the file is
    read in a child process with limits)."""
    from chiso.common.errors import ServiceError
    from chiso.common.uploads import spreadsheet_rows

    if not file_name.lower().endswith((".xlsx", ".xlsm")):
        file_name += ".xlsx"
    try:
        sheets = spreadsheet_rows(data, file_name)
    except ServiceError as exc:
        raise ImportFileError(f"Không đọc được tệp: cần tệp Excel .xlsx (theo mẫu). {exc.message}") from None
    first = sheets[0][0] if sheets else None
    columns: dict[int, str] | None = None
    rows: list[Row] = []
    for sheet, number, values in sheets:
        if sheet != first:
            break
        cells = [collapse(v) for v in values]
        if columns is None:
            found = {i: HEADERS[fold(c)] for i, c in enumerate(cells) if fold(c) in HEADERS}
            if {"full_name", "email"} <= set(found.values()):
                columns = found
            elif number >= 20:
                break
            continue
        if not any(cells):
            continue
        row = Row(number)
        for i, name in columns.items():
            if i < len(cells):
                setattr(row, name, cells[i])
        rows.append(row)
    if columns is None:
        raise ImportFileError("Không tìm thấy dòng tiêu đề: cần các cột “Họ và tên”, “Email”, “Đơn vị”, “Vai trò”.")
    return rows


def template_xlsx() -> bytes:
    from openpyxl.styles import Font

    wb = new_workbook()
    ws = wb.active
    ws.title = "Tài khoản"
    append_row(ws, TEMPLATE_HEADERS)
    append_row(ws, TEMPLATE_EXAMPLE)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for col, width in zip("ABCDE", (28, 36, 36, 16, 20)):
        ws.column_dimensions[col].width = width
    notes = wb.create_sheet("Hướng dẫn")
    append_row(notes, ["Vai trò", "Ghi trong cột “Vai trò”"])
    for value, label in Role.choices:
        append_row(notes, [label, value])
    return workbook_bytes(wb)
