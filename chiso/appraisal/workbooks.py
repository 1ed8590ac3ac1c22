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
    criteria = list(cycle.framework.version.criteria.filter(children__isnull=True, method__in=MEASURED)
                    .order_by("position"))
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
