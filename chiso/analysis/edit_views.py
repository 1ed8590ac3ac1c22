"""Write pages: results per criterion (form, Excel, a read document), raw inputs of computed
criteria, a unit's new results year, national results tables. Coordinators only."""
from __future__ import annotations

import json
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from chiso.common.errors import ConflictError, ServiceError
from chiso.common.office import XLSX_TYPE, append_row, new_workbook, workbook_bytes
from chiso.common.uploads import upload_bytes
from chiso.core import rules
from chiso.core.numbers import parse_decimal
from chiso.frameworks.policies import versions_visible_to
from chiso.plans.selectors import leaf_methods
from chiso.scores.services import ScoreInput, assessment_get_or_create, scores_save

from . import services
from .policies import assessment_or_404, can_edit_results, unit_or_404
from .selectors import score_rows


def _require(condition: bool) -> None:
    if not condition:
        raise PermissionDenied("Chỉ cán bộ đầu mối (Sở Nội vụ) được nhập kết quả.")


def parse_points(text: str) -> Decimal | None:
    """'1,4784' or '1.4784' → Decimal (chiso.core.numbers); '' → None; anything else raises ValueError."""
    if not (text or "").strip():
        return None
    value = parse_decimal(text)
    if value is None:
        raise ValueError(text)
    return value


input_labels = rules.input_labels  # the rules files' "name: meaning; …" (chiso.core.rules)


def _errors(exc: ServiceError) -> list[str]:
    return [exc.message, *exc.details]


def _version(posted) -> int:
    """The version an edit form showed; a form without one is as stale as can be."""
    try:
        return int(posted.get("version", ""))
    except ValueError:
        return -1


@login_required
def edit(request, public_id: str):
    """Self-assessed and appraised points, reason and remedy for every criterion of the year."""
    assessment = assessment_or_404(request.user, public_id)
    may_edit = can_edit_results(request.user)
    rows = score_rows(assessment)
    methods = leaf_methods(assessment.version_id)
    errors: list[str] = []
    status = 200
    posted = request.POST if request.method == "POST" else None
    if posted is not None:
        _require(may_edit)
        inputs, problems = [], []
        for r in rows:
            code = r.criterion.code
            values = {}
            for name, label in (("self_score", "điểm tự đánh giá"), ("score", "điểm thẩm định")):
                raw = posted.get(f"{name}-{code}", "")
                try:
                    values[name] = parse_points(raw)
                except ValueError:
                    problems.append(f"Tiêu chí {code}: {label} '{raw}' không phải là số")
            inputs.append(ScoreInput(code=code, self_score=values.get("self_score"),
                                     score=values.get("score"), reason=posted.get(f"reason-{code}", "").strip(),
                                     remedy=posted.get(f"remedy-{code}", "").strip()))
        try:
            total = parse_points(posted.get("printed_total", ""))
        except ValueError:
            problems.append(f"Tổng điểm công bố '{posted.get('printed_total')}' không phải là số")
            total = None
        if problems:
            errors = ["Chưa lưu: có lỗi trong bảng.", *problems]
        else:
            try:
                keep = [i for i in inputs if any([i.self_score is not None, i.score is not None, i.reason, i.remedy])
                        or i.code in {r.criterion.code for r in rows if r.score}]
                scores_save(actor=request.user, assessment=assessment, rows=keep, source="Nhập trên chiso",
                            printed_total=total, version=_version(posted))
            except ConflictError as exc:  # the page shows what is saved now, with what changed
                errors, posted, status = _errors(exc), None, 409
                assessment.refresh_from_db()
                rows = score_rows(assessment)
            except ServiceError as exc:
                errors = _errors(exc)
            else:
                messages.success(request, "Đã lưu kết quả.")
                return redirect("analysis:gap", assessment.public_id)
    table = []
    for r in rows:
        code = r.criterion.code
        get = (lambda n, default: posted.get(f"{n}-{code}", "")) if posted is not None else (lambda n, default: default)
        table.append({"c": r.criterion, "method": methods.get(r.criterion.pk, ""),
                      "self_score": get("self_score", r.score.self_score if r.score else None),
                      "score": get("score", r.score.score if r.score else None),
                      "reason": get("reason", r.score.reason if r.score else ""),
                      "remedy": get("remedy", r.score.remedy if r.score else ""),
                      "arithmetic": r.score.arithmetic if r.score else ""})
    return render(request, "analysis/edit.html", {
        "a": assessment, "rows": table, "errors": errors, "can_edit": may_edit,
        "printed_total": posted.get("printed_total") if posted is not None else assessment.printed_total,
        "version": posted.get("version") if posted is not None else assessment.results_version,
    }, status=400 if errors and status == 200 else status)


@login_required
@require_POST
def import_sheet(request, public_id: str):
    assessment = assessment_or_404(request.user, public_id)
    _require(can_edit_results(request.user))
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "Hãy chọn tệp Excel kết quả.")
        return redirect("analysis:edit", assessment.public_id)
    try:
        report = services.results_import_sheet(actor=request.user, assessment=assessment,
                                               content=upload_bytes(upload), file_name=upload.name)
    except ServiceError as exc:
        return render(request, "analysis/import_errors.html", {"a": assessment, "errors": _errors(exc),
                                                               "file_name": upload.name}, status=400)
    messages.success(request, f"Đã nạp {upload.name}: {report.created} tiêu chí mới, {report.updated} tiêu chí cập nhật.")
    for w in report.warnings:
        messages.warning(request, w)
    return redirect("analysis:gap", assessment.public_id)


@login_required
def sheet_template(request, public_id: str):
    """The year's criteria as an Excel sheet to fill in (with what is already entered)."""
    from openpyxl.styles import Font

    assessment = assessment_or_404(request.user, public_id)
    book = new_workbook()
    ws = book.active
    ws.title = "Kết quả"
    append_row(ws, ["STT", "Tiêu chí", "Điểm tối đa", "Điểm tự đánh giá", "Điểm thẩm định", "Lý do bị trừ điểm",
                    "Biện pháp khắc phục"])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r in score_rows(assessment):
        s = r.score
        append_row(ws, [r.criterion.code, r.criterion.name, float(r.criterion.max_points),
                        float(s.self_score) if s and s.self_score is not None else None,
                        float(s.score) if s and s.score is not None else None,
                        s.reason if s else None, s.remedy if s else None])
    for col, width in zip("ABCDEFG", (8, 60, 12, 14, 14, 40, 40)):
        ws.column_dimensions[col].width = width
    response = HttpResponse(workbook_bytes(book), content_type=XLSX_TYPE)
    name = f"ket-qua-{assessment.year}-{assessment.public_id}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def new_assessment(request, public_id: str):
    unit = unit_or_404(request.user, public_id)
    _require(can_edit_results(request.user))
    version = get_object_or_404(versions_visible_to(request.user), public_id=request.POST.get("version", ""))
    try:
        year = int(request.POST.get("year", ""))
        assessment = assessment_get_or_create(actor=request.user, unit=unit, version=version, year=year,
                                              source="Tạo trên chiso")
    except ValueError:
        messages.error(request, "Năm phải là một số, ví dụ 2024.")
        return redirect("analysis:unit", unit.public_id)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("analysis:unit", unit.public_id)
    return redirect("analysis:edit", assessment.public_id)


@login_required
@require_POST
def import_document(request, public_id: str):
    """Results from a document. A chiso.plan-table/1 JSON is loaded at once; any other file goes to
    the background reader (never read inside this request) and its page offers to load it as this
    unit's results once read."""
    from chiso.ingest.services import upload_create

    unit = unit_or_404(request.user, public_id)
    _require(can_edit_results(request.user))
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "Hãy chọn tài liệu kết quả.")
        return redirect("analysis:unit", unit.public_id)
    try:
        if not upload.name.lower().endswith(".json"):
            document = upload_create(actor=request.user, uploaded_file=upload)
            messages.info(request, f"Đang đọc {upload.name}; khi đọc xong, chọn “Nạp thành kết quả” cho {unit.name}.")
            return redirect(f"{reverse('ingest:detail', args=[document.public_id])}?unit={unit.public_id}")
        try:
            document = json.loads(upload_bytes(upload).decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
            raise ServiceError(f"Tệp {upload.name}: không phải JSON hợp lệ ({exc}).") from None
        report = services.results_import_document(actor=request.user, unit=unit, document=document,
                                                  file_name=upload.name)
    except ServiceError as exc:
        return render(request, "analysis/import_errors.html", {"unit": unit, "errors": _errors(exc),
                                                               "file_name": upload.name}, status=400)
    years = ", ".join(str(a.year) for a in report.assessments) or "—"
    messages.success(request, f"Đã nạp {upload.name}: năm {years}; {report.created} điểm mới, {report.updated} cập nhật.")
    for w in report.warnings:
        messages.warning(request, w)
    return redirect("analysis:unit", unit.public_id)


@login_required
def inputs(request, public_id: str):
    """Raw inputs of the computed criteria for the year, the resulting points and their arithmetic."""
    assessment = assessment_or_404(request.user, public_id)
    may_edit = can_edit_results(request.user)
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        _require(may_edit)
        values: dict[int, dict[str, Decimal | None]] = {}
        problems = []
        codes = dict(assessment.version.criteria.exclude(rule="").values_list("pk", "code"))
        for key, raw in request.POST.items():
            parts = key.split("-", 2)
            if len(parts) != 3 or parts[0] != "in" or not parts[1].isdigit() or int(parts[1]) not in codes:
                continue
            try:
                values.setdefault(int(parts[1]), {})[parts[2]] = parse_points(raw)
            except ValueError:
                problems.append(f"Tiêu chí {codes[int(parts[1])]}, số liệu '{parts[2]}': '{raw}' không phải là số")
        if problems:
            errors = ["Chưa lưu: có lỗi.", *problems]
        else:
            try:
                services.computed_scores_apply(actor=request.user, assessment=assessment, inputs=values,
                                               version=_version(request.POST))
            except ConflictError as exc:  # the page shows what is saved now, with what changed
                errors, status = _errors(exc), 409
                assessment.refresh_from_db()
            except ServiceError as exc:
                errors = _errors(exc)
            else:
                messages.success(request, "Đã lưu số liệu và tính lại điểm các tiêu chí có công thức.")
                return redirect("analysis:inputs", assessment.public_id)
    computed = services.compute(assessment)
    current = {(r.criterion_id, r.name): r.value for r in assessment.raw_inputs.all()}
    previous = services.previous_inputs(assessment)
    descriptions = services.rule_descriptions(assessment.version)
    rows = []
    for c in computed:
        rule = rules.parse(c.criterion.rule)
        names = sorted(rule.inputs | rule.previous)
        labels, note = input_labels(descriptions.get(c.criterion.code, ""))
        rows.append({"c": c, "description": note,
                     "inputs": [{"name": n, "label": labels.get(n) or f"Số liệu {k}", "value": current.get((c.criterion.pk, n)),
                                 "previous": previous.get((c.criterion.code, n))} for k, n in enumerate(names, 1)]})
    shown = request.POST.get("version") if errors and status != 409 else assessment.inputs_version
    return render(request, "analysis/inputs.html", {"a": assessment, "rows": rows, "errors": errors,
                                                    "can_edit": may_edit, "version": shown},
                  status=status if status != 200 else (400 if errors else 200))
