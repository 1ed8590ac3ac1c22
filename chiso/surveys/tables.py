"""Reading tables users bring: the provincial PAPI scores, and the dossiers each unit settled.

PAPI: the provincial PAPI scores a PAPI report publishes: one line per province, a column per
dimension (nội dung, 1–8) and sub-dimension (1.1 …), maybe the total and the rank.

From a CSV file, or from any document the reader opens (Excel, Word, PDF, web page): the first
table whose header names a province column and at least three PAPI columns. Headers are matched
by code ("1", "1.1", "D1", "Nội dung 1", "Dimension 1") or by the (sub-)dimension's name.
Parsing only: rows name their file and line; every problem is collected, nothing is written here.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from chiso.common.errors import ServiceError
from chiso.core.numbers import parse_decimal
from chiso.core.text import collapse, fold
from chiso.core.tree import fmt

MAX_BYTES = 20 * 1024 * 1024
PROVINCE_WORDS = ("tinh", "thanh pho", "province", "dia phuong", "ten don vi")
CODE_HEADER = re.compile(r"^(?:d|nd|noi dung|dimension|chi so noi dung|chieu canh)?\s*(\d)(?:[.,](\d))?\.?$")


@dataclass
class PapiLine:
    where: str
    name: str
    values: dict[str, Decimal] = field(default_factory=dict)
    total: Decimal | None = None
    rank: int | None = None


def _cells_of(content: bytes, file_name: str) -> list[tuple[str, list[list[str]]]]:
    """(where, rows of cell texts) of each table in the file."""
    if len(content) > MAX_BYTES:
        raise ServiceError(f"Tệp {file_name} lớn hơn {MAX_BYTES // (1024 * 1024)} MB.")
    if Path(file_name).suffix.lower() == ".csv":
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ServiceError(f"Tệp {file_name}: không đọc được (cần mã hóa UTF-8).") from None
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        return [("", [list(r) for r in csv.reader(io.StringIO(text), dialect)])]
    if Path(file_name).suffix.lower() in {".xlsx", ".xlsm", ".xls", ".ods"}:
        from chiso.common.uploads import spreadsheet_rows  # in a child process, with limits

        sheets: dict[str, list[list[str]]] = {}
        for sheet, _line, values in spreadsheet_rows(content, file_name):
            sheets.setdefault(sheet, []).append(["" if v is None else _cell_text(v) for v in values])
        return [(f"trang tính «{name}»", rows) for name, rows in sheets.items()]
    from chiso.common.uploads import document_tables  # in a child process, with limits

    return document_tables(content, file_name)


def _cell_text(value) -> str:
    """A spreadsheet value as the table prints it: 5.0 → "5", 4.25 → "4.25"."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _column(text: str, criteria: dict[str, str]) -> str | None:
    folded = fold(collapse(text)).strip(" :")
    if not folded:
        return None
    if folded in {"tong", "tong diem", "papi", "chi so papi", "tong chi so", "total", "diem tong hop"}:
        return "total"
    if folded.startswith(("xep hang", "thu hang", "rank")):
        return "rank"
    m = CODE_HEADER.match(folded)
    if m:
        code = m.group(1) + (f".{m.group(2)}" if m.group(2) else "")
        return code if code in criteria else None
    for code, name in criteria.items():
        wanted = fold(name)
        if folded == wanted or (len(folded) >= 8 and (wanted.startswith(folded) or folded.startswith(wanted))):
            return code
    return None


def _number(text: str, where: str, what: str, problems: list[str]) -> Decimal | None:
    raw = collapse(text).replace(" ", "")
    if raw in {"", "-", "—", "–", "n/a", "x"}:
        return None
    value = parse_decimal(raw)
    if value is None:
        problems.append(f"{where}: {what} “{text}” không phải là số")
    return value


def read_papi_table(content: bytes, file_name: str, criteria: dict[str, str], maxima: dict[str, Decimal]) -> list[PapiLine]:
    """The lines of the first PAPI table in the file; ServiceError listing every problem."""
    for where_table, rows in _cells_of(content, file_name):
        for head_i, head in enumerate(rows[:30]):
            cols: dict[str, int] = {}
            name_col = None
            for i, text in enumerate(head):
                folded = fold(collapse(text))
                if name_col is None and folded and any(folded.startswith(w) for w in PROVINCE_WORDS):
                    name_col = i
                    continue
                key = _column(text, criteria)
                if key and key not in cols:
                    cols[key] = i
            if name_col is None or len([k for k in cols if k not in {"total", "rank"}]) < 3:
                continue
            return _lines(rows, head_i, name_col, cols, file_name, where_table, maxima)
    raise ServiceError(f"Tệp {file_name}: không thấy bảng PAPI — cần dòng tiêu đề có cột Tỉnh/Thành phố và ít "
                       "nhất ba cột nội dung (1–8) hoặc nội dung thành phần (1.1, 1.2 …).")


def _lines(rows, head_i, name_col, cols, file_name, where_table, maxima) -> list[PapiLine]:
    problems: list[str] = []
    lines: list[PapiLine] = []
    prefix = f"Tệp {file_name}{f', {where_table}' if where_table else ''}"
    for i, row in enumerate(rows[head_i + 1:], start=head_i + 2):
        cell = lambda k: row[cols[k]] if k in cols and cols[k] < len(row) else ""  # noqa: E731
        name = collapse(row[name_col] if name_col < len(row) else "")
        if not name or not any(collapse(cell(k)) for k in cols):
            continue
        folded = fold(name)
        if folded.startswith(("toan quoc", "trung binh", "ca nuoc", "national", "average")):
            continue
        where = f"{prefix}, dòng {i}"
        line = PapiLine(where, name)
        for key in cols:
            value = _number(cell(key), where, "xếp hạng" if key == "rank" else "tổng điểm" if key == "total"
                            else f"nội dung {key}", problems)
            if value is None:
                continue
            if key == "rank":
                if value != value.to_integral_value() or value < 1:
                    problems.append(f"{where}: xếp hạng “{cell(key)}” phải là số nguyên dương")
                else:
                    line.rank = int(value)
            elif key == "total":
                if not 0 <= value <= 80:
                    problems.append(f"{where}: {name}: tổng điểm {fmt(value)} ngoài khoảng 0–80")
                line.total = value
            else:
                if not 0 <= value <= maxima[key]:
                    problems.append(f"{where}: {name}: nội dung {key} = {fmt(value)} ngoài khoảng 0–{fmt(maxima[key])}")
                line.values[key] = value
        lines.append(line)
    if problems:
        raise ServiceError(f"Tệp {file_name}: có {len(problems)} lỗi, chưa nạp gì.", details=problems)
    if not lines:
        raise ServiceError(f"Tệp {file_name}: không có dòng tỉnh nào dưới dòng tiêu đề.")
    return lines


# -- dossiers settled per unit (for the target samples) ------------------------------------------

UNIT_WORDS = ("don vi", "co quan", "ten", "xa", "phuong", "so, ban", "bo phan")
DOSSIER_WORDS = ("ho so", "da giai quyet", "so luong")


@dataclass
class DossierLine:
    where: str
    name: str
    dossiers: int | None


def read_dossier_table(content: bytes, file_name: str) -> list[DossierLine]:
    """Lines (unit name, dossiers settled N) of the first table with a unit column and a dossiers column."""
    for where_table, rows in _cells_of(content, file_name):
        for head_i, head in enumerate(rows[:30]):
            folded = [fold(collapse(c)) for c in head]
            name_col = next((i for i, f in enumerate(folded) if f and any(f.startswith(w) for w in UNIT_WORDS)), None)
            count_col = next((i for i, f in enumerate(folded)
                              if i != name_col and (f == "n" or any(w in f for w in DOSSIER_WORDS))), None)
            if name_col is None or count_col is None:
                continue
            problems: list[str] = []
            lines = []
            prefix = f"Tệp {file_name}{f', {where_table}' if where_table else ''}"
            for i, row in enumerate(rows[head_i + 1:], start=head_i + 2):
                name = collapse(row[name_col] if name_col < len(row) else "")
                raw = row[count_col] if count_col < len(row) else ""
                if not name:
                    continue
                if fold(name).startswith(("tong", "cong")):
                    continue
                where = f"{prefix}, dòng {i}"
                value = _number(raw.replace(".", "") if raw.count(".") and "," not in raw else raw, where,
                                "số hồ sơ", problems)
                if value is not None and (value != value.to_integral_value() or value < 0):
                    problems.append(f"{where}: số hồ sơ “{raw}” phải là số nguyên không âm")
                    value = None
                lines.append(DossierLine(where, name, int(value) if value is not None else None))
            if problems:
                raise ServiceError(f"Tệp {file_name}: có {len(problems)} lỗi, chưa lưu gì.", details=problems)
            if not lines:
                raise ServiceError(f"Tệp {file_name}: không có dòng đơn vị nào dưới dòng tiêu đề.")
            return lines
    raise ServiceError(f"Tệp {file_name}: không thấy bảng có cột Đơn vị và cột Số hồ sơ đã giải quyết.")
