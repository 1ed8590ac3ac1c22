"""Excel files of the province's own index, through chiso.common.office: the results of a cycle (the
decision's appendix and the fields' indices), and the survey-points template and its import."""
from __future__ import annotations

from decimal import Decimal

from chiso.common.errors import ServiceError
from chiso.common.office import XLSX_TYPE, append_row, new_workbook, put, sheet_print_setup, workbook_bytes
from chiso.common.uploads import spreadsheet_rows, upload_bytes
from chiso.core.tree import fmt

from .documents import APPENDIX_HEADERS, appendix_maxima
from .models import Entry
from .selectors import UnitLine
from .services import PointRow

MEASURED = ("survey", "statistics", "computed")


def _num(value: Decimal | None):
    return None if value is None else float(value.quantize(Decimal("0.01")))


def results_xlsx(cycle, lines: list[UnitLine], fields) -> tuple[bytes, str]:
    from openpyxl.styles import Font

    wb = new_workbook()
    ws = wb.active
    ws.title = "Xếp hạng"
    put(ws, 1, 1, f"KẾT QUẢ XẾP HẠNG CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {cycle.framework.year} CỦA "
                  f"{cycle.framework.get_group_display().upper()}").font = Font(bold=True)
    a, s = appendix_maxima(cycle)
    ws._current_row = 2
    append_row(ws, [h.format(a=fmt(a), s=fmt(s)) for h in APPENDIX_HEADERS])
    for line in lines:
        append_row(ws, [line.rank, line.sheet.unit.name, _num(line.result.points - line.measured), _num(line.measured),
                        _num(line.result.points), _num(line.result.index), line.classification])
    sheet_print_setup(ws, header_row=3)
    heat = wb.create_sheet("Theo lĩnh vực")
    append_row(heat, ["Tên đơn vị", *[f"{f.code}. {f.name} (%)" for f in fields], "Tự đánh giá", "Tăng/giảm so với năm trước",
                      "Xếp hạng cải thiện"])
    for line in lines:
        append_row(heat, [line.sheet.unit.name,
                          *[_num(line.fields[f.code].index) if f.code in line.fields else None for f in fields],
                          _num(line.self_result.points), _num(line.change), line.improvement_rank])
    sheet_print_setup(heat, header_row=1)
    return workbook_bytes(wb), XLSX_TYPE


def points_template(cycle) -> tuple[bytes, str]:
    """One row per unit, one column per survey / statistics criterion (its code and max in the header)."""
    criteria = list(cycle.framework.version.criteria.filter(children__isnull=True, method__in=MEASURED, rule="")
                    .order_by("position"))  # a computed criterion with a rule takes its raw inputs on the page
    wb = new_workbook()
    ws = wb.active
    ws.title = "Điểm"
    append_row(ws, ["Mã đơn vị", "Tên đơn vị", *[f"{c.code} (tối đa {fmt(c.max_points)})" for c in criteria]])
    scores = {(e.sheet.unit_id, e.criterion_id): e.score for e in
              Entry.objects.filter(sheet__cycle=cycle, criterion__in=criteria).select_related("sheet")}
    for sheet in cycle.sheets.select_related("unit").order_by("unit__name"):
        append_row(ws, [sheet.unit.public_id, sheet.unit.name,
                        *[_num(scores.get((sheet.unit_id, c.pk))) for c in criteria]])
    sheet_print_setup(ws, header_row=1, freeze_column=3)
    return workbook_bytes(wb), XLSX_TYPE


def read_points(cycle, upload) -> list[PointRow]:
    """The rows of a filled template; every problem names its line and column. Read in a child process
    with limits (chiso.common.uploads)."""
    name = upload.name or "diem.xlsx"
    rows = spreadsheet_rows(upload_bytes(upload), name)
    if not rows:
        raise ServiceError(f"{name}: tệp không có dòng nào.")
    header = [str(v or "").strip() for v in rows[0][2]]
    codes = [h.split(" ")[0] for h in header[2:]]
    units = {s.unit.public_id: s.unit for s in cycle.sheets.select_related("unit")}
    out, errors = [], []
    for _sheet, line, values in rows[1:]:
        if not any(v not in (None, "") for v in values):
            continue
        unit = units.get(str(values[0] or "").strip())
        if unit is None:
            errors.append(f"{name}, dòng {line}: mã đơn vị “{values[0]}” không thuộc đợt đánh giá.")
            continue
        for code, raw in zip(codes, values[2:]):
            if raw in (None, ""):
                continue
            try:
                points = Decimal(str(raw).strip().replace(",", "."))
            except Exception:
                points = None
            if points is None or not points.is_finite():
                errors.append(f"{name}, dòng {line}, cột {code}: “{raw}” không phải là số.")
                continue
            out.append(PointRow(unit, code, points, f"{name}, dòng {line}"))
    if errors:
        raise ServiceError("Chưa nhập được điểm.", details=errors)
    return out


def summary_xlsx(sheet, lines) -> tuple[bytes, str]:
    """The self-assessment summary table (bảng tổng hợp kết quả tự đánh giá): every field and criterion
    with its max, self-score, evidence, explanation and (the province's own sheet) lead departments; once
    appraised, the appraised score and the difference beside it. User text stays text."""
    from openpyxl.styles import Font

    cycle = sheet.cycle
    wb = new_workbook()
    ws = wb.active
    ws.title = "Tổng hợp"
    put(ws, 1, 1, f"BẢNG TỔNG HỢP KẾT QUẢ TỰ ĐÁNH GIÁ, CHẤM ĐIỂM CHỈ SỐ CCHC NĂM {cycle.framework.year} — "
                  f"{sheet.unit.name.upper()}").font = Font(bold=True)
    put(ws, 2, 1, f"{cycle.framework.version.framework.name} {cycle.framework.version.label}".strip())
    ws._current_row = 2
    append_row(ws, ["Mã", "Lĩnh vực, tiêu chí", "Điểm tối đa", "Điểm tự đánh giá", "Điểm thẩm định",
                    "Chênh lệch (thẩm định − tự chấm)", "Số tài liệu kiểm chứng", "Tài liệu kiểm chứng",
                    "Giải trình", "Ý kiến thẩm định", "Cơ quan chủ trì"])
    for c in lines:
        r, e = c.row, c.row.entry
        na = e is not None and not e.applicable
        append_row(ws, [r.criterion.code, r.criterion.name, _num(r.criterion.max_points),
                        "K/AD" if na else _num(r.self_total), _num(r.score_total), _num(c.difference),
                        len(r.evidence) if e is not None else None,
                        "; ".join(ev.url or ev.file_name for ev in r.evidence) if e is not None else "",
                        e.explanation if e is not None else "", e.comment if e is not None else "",
                        "; ".join(u.name for u in c.leads)])
    sheet_print_setup(ws, header_row=3, freeze_column=3)
    return workbook_bytes(wb), XLSX_TYPE


# -- the criteria template --------------------------------------------------------------------------
CRITERIA_HEADERS = ["Mã", "Tên lĩnh vực, tiêu chí", "Điểm tối đa", "Phương pháp chấm", "Hướng dẫn chấm điểm",
                    "Bắt buộc tài liệu kiểm chứng (Có/Không)", "Áp dụng cho (để trống: mọi đơn vị; nhiều loại cách nhau bởi ;)",
                    "Công thức",
                    "Diễn giải số liệu (tên: ý nghĩa; …)"]
YES, NO = {"có", "co", "x", "1", "yes", "true", "bắt buộc"}, {"không", "khong", "0", "no", "false", ""}


def _methods() -> dict[str, str]:
    from chiso.frameworks.models import Method

    return {label: value for value, label in Method.choices}


def _kinds() -> dict[str, str]:
    from chiso.units.models import UnitKind

    return {label: value for value, label in UnitKind.choices}


def criteria_template(framework, rows) -> tuple[bytes, str]:
    """The columns of a criteria set, the framework's rows if it has any (else two examples), and a sheet
    of instructions listing the methods and unit kinds as they must be written."""
    from openpyxl.styles import Font

    wb = new_workbook()
    ws = wb.active
    ws.title = "Bộ chỉ số"
    append_row(ws, CRITERIA_HEADERS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    methods = {v: k for k, v in _methods().items()}
    kinds = {v: k for k, v in _kinds().items()}
    examples = rows or []
    if not examples:
        from .services import CriterionInput

        examples = [CriterionInput("1", "Công tác chỉ đạo, điều hành cải cách hành chính", Decimal(10)),
                    CriterionInput("1.1", "Ban hành kế hoạch CCHC năm đúng thời hạn", Decimal(2),
                                   guidance="Ban hành trước ngày 31/12 năm trước: 2 điểm; chậm: 0 điểm.")]
    for r in examples:
        append_row(ws, [r.code, r.name, _num(r.max_points), methods.get(r.method, ""), r.guidance,
                        "Có" if r.evidence_required else "Không", "; ".join(kinds.get(k, k) for k in r.unit_kinds),
                        r.rule, r.inputs])
    sheet_print_setup(ws, header_row=1, freeze_column=3)
    guide = wb.create_sheet("Hướng dẫn")
    for line in ["Mỗi dòng một lĩnh vực hoặc tiêu chí; mã dạng 1, 1.2, 1.2.3; tiêu chí cha đứng trước tiêu chí con.",
                 "Điểm tối đa của lĩnh vực, tiêu chí cha bằng tổng các tiêu chí con (tự tính).",
                 "Phương pháp chấm ghi một trong: " + "; ".join(methods.values()) + ".",
                 "Áp dụng cho: để trống nếu mọi đơn vị; hoặc ghi loại đơn vị, nhiều loại thì cách nhau bởi dấu chấm phẩy (;): "
                 + " | ".join(kinds.values()) + ".",
                 "Tiêu chí tính theo công thức: ghi công thức (ví dụ ratio(dung_han, tong_so) * max_points) và diễn "
                 "giải từng số liệu (ví dụ dung_han: số hồ sơ đúng hạn; tong_so: tổng số hồ sơ).",
                 "Tệp có lỗi thì không dòng nào được nhập; mỗi lỗi ghi rõ dòng."]:
        append_row(guide, [line])
    return workbook_bytes(wb), XLSX_TYPE


def read_criteria(upload) -> list:
    """The rows of a filled criteria template (first sheet), each with its line for the messages; a cell
    that cannot be read is named with its line and column. Read in a child process with limits."""
    from chiso.core.numbers import parse_decimal

    from .services import CriterionInput

    name = upload.name or "bo-chi-so.xlsx"
    rows = spreadsheet_rows(upload_bytes(upload), name)
    first = rows[0][0] if rows else None
    rows = [r for r in rows if r[0] == first]
    if len(rows) < 2:
        raise ServiceError(f"{name}: tệp không có dòng tiêu chí nào (dòng 1 là tiêu đề cột theo mẫu).")
    header = [str(v or "").strip().lower() for v in rows[0][2]]
    if not header or not header[0].startswith("mã"):
        raise ServiceError(f"{name}: dòng 1 phải là tiêu đề cột theo mẫu (Mã, Tên lĩnh vực, tiêu chí, Điểm tối đa…).")
    methods = {k.lower(): v for k, v in _methods().items()} | {v: v for v in _methods().values()}
    kinds = {k.lower(): v for k, v in _kinds().items()} | {v: v for v in _kinds().values()}
    out, errors = [], []
    for _sheet, line, values in rows[1:]:
        values = list(values) + [None] * (len(CRITERIA_HEADERS) - len(values))
        text = ["" if v is None else str(v).strip() for v in values]
        if not any(text[:len(CRITERIA_HEADERS)]):
            continue
        where = f"{name}, dòng {line}"
        code = text[0][:-2] if text[0].endswith(".0") and isinstance(values[0], float) else text[0]
        raw_max = values[2]
        points = None
        if isinstance(raw_max, (int, float)):
            points = Decimal(str(raw_max))
        elif text[2]:
            try:
                points = parse_decimal(text[2])
            except Exception:
                points = None
            if points is None:
                errors.append(f"{where}, cột Điểm tối đa: “{text[2]}” không phải là số (ghi như 2,5).")
                continue
        method = methods.get(text[3].lower()) if text[3] else "appraisal"
        if method is None:
            errors.append(f"{where}, cột Phương pháp chấm: “{text[3]}” không phải một phương pháp của mẫu.")
            continue
        evidence = text[5].lower()
        if evidence not in YES | NO:
            errors.append(f"{where}, cột Bắt buộc tài liệu: ghi Có hoặc Không (đang ghi “{text[5]}”).")
            continue
        unit_kinds, bad = [], []
        for part in [p.strip() for p in text[6].split(";") if p.strip()]:
            (unit_kinds if part.lower() in kinds else bad).append(kinds.get(part.lower(), part))
        if bad:
            errors.append(f"{where}, cột Áp dụng cho: không rõ loại đơn vị “{', '.join(bad)}”.")
            continue
        out.append(CriterionInput(code, text[1], points, method, text[4], evidence in YES or not evidence, unit_kinds,
                                  where=where, rule=text[7], inputs=text[8]))
    if errors:
        raise ServiceError(f"Chưa nhập được bộ chỉ số: {len(errors)} lỗi.", details=errors)
    # a field or parent criterion may leave its max blank: it is the sum of its children's (deepest first)
    for r in sorted(out, key=lambda r: -r.code.count(".")):
        children = [c for c in out if c.code.rstrip(".").rsplit(".", 1)[0] == r.code.rstrip(".") and "." in c.code]
        if r.max_points is None and children and all(c.max_points is not None for c in children):
            r.max_points = sum((c.max_points for c in children), Decimal(0))
    return out
