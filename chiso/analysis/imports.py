"""Reading results from files: an Excel sheet of scores, a plan-table document, a national table.

Parsing only: every function returns rows that name their file and line, or raises
ServiceError listing every problem found (nothing is written here).
"""
from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from pathlib import Path

from chiso.common.errors import ServiceError
from chiso.common.uploads import spreadsheet_rows
from chiso.core.numbers import as_decimal
from chiso.core.text import collapse, fold
from chiso.scores.services import ResultLine, ScoreInput

# folded header words → field; the first match in this order wins
SCORE_HEADERS = [
    ("reason", ["ly do", "nguyen nhan"]),
    ("remedy", ["bien phap", "khac phuc", "giai phap"]),
    ("self_score", ["tu danh gia", "tu cham"]),
    ("max_points", ["diem toi da", "diem chuan", "theo bo tieu chi", "diem theo bo"]),
    ("deducted", ["bi tru", "diem tru"]),
    ("target", ["muc tieu", "chi tieu phan dau"]),
    ("score", ["tham dinh", "dat duoc", "ket qua", "diem dat"]),
    ("code", ["stt", "ma tieu chi", "ma"]),
    ("name", ["tieu chi", "linh vuc", "noi dung", "ten"]),
]
TABLE_HEADERS = [
    ("rank", ["xep hang", "thu hang", "hang"]),
    ("total", ["diem", "chi so", "ket qua", "tong"]),
    ("name", ["tinh", "thanh pho", "dia phuong", "don vi", "ten"]),
]
CODE = re.compile(r"^[0-9]+(\.[0-9]+)*$")


def number(value, where: str, what: str, problems: list[str]) -> Decimal | None:
    """A cell as a Decimal: numbers, "1,4784", "1.4784", "85,42%"; empty → None."""
    if value is None:
        return None
    cell = value
    if isinstance(value, str):
        cell = collapse(value).replace(" ", "").rstrip("%")
        if not cell or cell in {"-", "—", "x"}:
            return None
    result = as_decimal(cell)  # the spreadsheet's number, or text by chiso.core.numbers; NaN and ∞ are none
    if result is None:
        problems.append(f"{where}: {what} '{value}' không phải là số")
        return None
    return result.quantize(Decimal("0.0001")) if isinstance(value, float) else result


def normal_code(value) -> str:
    text = collapse(str(value if value is not None else "")).replace(" ", "").rstrip(".")
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    return text


def header_map(cells: list, spec) -> dict[str, int]:
    found: dict[str, int] = {}
    for i, cell in enumerate(cells):
        folded = fold(collapse(str(cell or "")))
        if not folded:
            continue
        for key, words in spec:
            if key not in found and any(w in folded for w in words):
                found[key] = i
                break
    return found


def sheet_rows(content: bytes, file_name: str) -> list[tuple[str, int, list]]:
    """(sheet name, 1-based line, cells) of every row of an .xlsx, .xls, .ods or .csv file."""
    suffix = Path(file_name).suffix.lower()
    if suffix == ".csv":
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ServiceError(f"Tệp {file_name}: không đọc được (cần mã hóa UTF-8).") from None
        dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;\t") if text.strip() else csv.excel
        return [("", i, row) for i, row in enumerate(csv.reader(io.StringIO(text), dialect), start=1)]
    if suffix not in {".xlsx", ".xlsm", ".xls", ".ods"}:
        raise ServiceError(f"Tệp {file_name}: chỉ nhận tệp Excel (.xlsx, .xls), .ods hoặc .csv.")
    return spreadsheet_rows(content, file_name)  # in a child process, bounded


def find_header(rows, spec, required: set[str]) -> tuple[str, int, dict[str, int]] | None:
    for sheet, line, cells in rows:
        if line > 25:
            continue
        found = header_map(cells, spec)
        if required <= set(found):
            return sheet, line, found
    return None


def read_score_sheet(content: bytes, file_name: str) -> tuple[list[ScoreInput], Decimal | None, list[str]]:
    """Criteria rows of a scores sheet; also the TỔNG row's value and warnings (deducted ≠ appraised − max)."""
    rows = sheet_rows(content, file_name)
    head = find_header(rows, SCORE_HEADERS, {"code"})
    if head is None or not ({"score", "self_score", "target", "reason", "remedy"} & set(head[2])):
        raise ServiceError(f"Tệp {file_name}: không thấy dòng tiêu đề có cột STT/Mã tiêu chí và một cột điểm "
                           "(Điểm tự đánh giá, Điểm thẩm định, Mục tiêu) hoặc Lý do bị trừ điểm.")
    sheet, head_line, cols = head
    fields = tuple(k for k in ("self_score", "score", "target", "reason", "remedy") if k in cols)
    out: list[ScoreInput] = []
    problems: list[str] = []
    warnings: list[str] = []
    total = None

    def cell(cells, key):
        i = cols.get(key)
        return cells[i] if i is not None and i < len(cells) else None

    for s, line, cells in rows:
        if s != sheet or line <= head_line or not any(c not in (None, "") for c in cells):
            continue
        where = f"Tệp {file_name}{f', trang {sheet}' if sheet else ''}, dòng {line}"
        code = normal_code(cell(cells, "code"))
        name = collapse(str(cell(cells, "name") or ""))
        if not code or not CODE.match(code):
            if fold(name).startswith("tong") or fold(code).startswith("tong"):
                total = number(cell(cells, "score"), where, "tổng điểm", problems)
            elif code and any(cell(cells, k) not in (None, "") for k in ("score", "self_score")):
                problems.append(f"{where}: mã tiêu chí '{code}' không đúng dạng (ví dụ 3.4.1)")
            continue
        values = {k: number(cell(cells, k), where, label, problems) for k, label in
                  [("self_score", "điểm tự đánh giá"), ("score", "điểm thẩm định"), ("target", "mục tiêu"),
                   ("max_points", "điểm tối đa"), ("deducted", "điểm bị trừ")]}
        if values["score"] is not None and values["max_points"] is not None and values["deducted"] is not None:
            expected = values["score"] - values["max_points"]
            if abs(abs(values["deducted"]) - abs(expected)) > Decimal("0.00001"):
                warnings.append(f"{where}: điểm bị trừ in {values['deducted']} nhưng điểm thẩm định − điểm tối đa "
                                f"= {expected} (giữ điểm thẩm định)")
        out.append(ScoreInput(code=code, where=where, name=name, fields=fields, max_points=values["max_points"],
                              self_score=values["self_score"], score=values["score"], target=values["target"],
                              reason=collapse(str(cell(cells, "reason") or "")),
                              remedy=collapse(str(cell(cells, "remedy") or ""))))
    if problems:
        raise ServiceError(f"Tệp {file_name}: có {len(problems)} lỗi, chưa lưu gì.", details=problems)
    if not out:
        raise ServiceError(f"Tệp {file_name}: không có dòng tiêu chí nào dưới dòng tiêu đề.")
    return out, total, warnings


def read_results_table(content: bytes, file_name: str) -> list[ResultLine]:
    """A national results table: province, score (and rank) per line."""
    rows = sheet_rows(content, file_name)
    head = find_header(rows, TABLE_HEADERS, {"name"})
    if head is None or not ({"total", "rank"} & set(head[2])):
        raise ServiceError(f"Tệp {file_name}: không thấy dòng tiêu đề có cột Tỉnh/Đơn vị và cột Điểm hoặc Xếp hạng.")
    sheet, head_line, cols = head
    problems: list[str] = []
    lines: list[ResultLine] = []
    for s, line, cells in rows:
        if s != sheet or line <= head_line or not any(c not in (None, "") for c in cells):
            continue
        where = f"Tệp {file_name}, dòng {line}"
        get = lambda k: cells[cols[k]] if k in cols and cols[k] < len(cells) else None  # noqa: E731
        name = collapse(str(get("name") or ""))
        total = number(get("total"), where, "điểm", problems)
        rank = number(get("rank"), where, "xếp hạng", problems)
        if rank is not None and (rank != rank.to_integral_value() or rank < 1):
            problems.append(f"{where}: xếp hạng '{get('rank')}' phải là số nguyên dương")
            rank = None
        lines.append(ResultLine(name, total, int(rank) if rank is not None else None, where))
    if problems:
        raise ServiceError(f"Tệp {file_name}: có {len(problems)} lỗi, chưa nạp gì.", details=problems)
    if not lines:
        raise ServiceError(f"Tệp {file_name}: không có dòng kết quả nào dưới dòng tiêu đề.")
    return lines


def document_tables(document: dict, file_name: str) -> list[dict]:
    """The tables of a chiso.plan-table/1 document that carry values, checked for shape."""
    from chiso.core import plan_table

    if not isinstance(document, dict) or not isinstance(document.get("tables"), list):
        raise ServiceError(f"Tệp {file_name}: không phải bảng chiso.plan-table/1 (thiếu 'tables').")
    try:
        plan_table.parse(document, f"Tệp {file_name}")
    except plan_table.PlanTableError as exc:
        raise ServiceError(f"Tệp {file_name}: không đúng dạng chiso.plan-table/1.", details=exc.problems) from None
    # criteria tables only: results by unit are confirmed as each unit's published results instead
    return [t for t in document["tables"] if t.get("columns") and t.get("kind", "criteria") == "criteria"]
