"""Downloads (Word in NĐ 30 form, Excel) and the survey-points import."""
from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from chiso.common.errors import ServiceError, require_permission
from chiso.core.tree import fmt

from . import documents, selectors, services, workbooks
from .models import Cycle, CycleState, Entry, SheetState, UnitGroup
from .policies import manages, sees_results, visible_cycle_or_404, visible_sheet_or_404
from .sheet_views import error_list


def _file(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def self_report_docx(request, public_id: str):
    sheet, _, _ = visible_sheet_or_404(request.user, public_id)
    content, ctype = documents.self_report_docx(sheet, selectors.sheet_rows(sheet),
                                                selectors.sheet_index(sheet, appraised=False),
                                                today=timezone.localdate())
    return _file(content, ctype, f"tu-danh-gia-{sheet.cycle.framework.year}-{sheet.public_id}.docx")


@login_required
def record_docx(request, public_id: str):
    sheet, access, _ = visible_sheet_or_404(request.user, public_id)
    require_permission(access.appraise or access.manage or sheet.cycle.state == CycleState.PUBLISHED
                       or access.fill)
    content, ctype = documents.record_docx(sheet, selectors.sheet_rows(sheet),
                                           selectors.sheet_index(sheet, appraised=False), selectors.sheet_index(sheet),
                                           today=timezone.localdate())
    return _file(content, ctype, f"bien-ban-tham-dinh-{sheet.public_id}.docx")


def _results_cycle(user, public_id: str) -> Cycle:
    cycle = visible_cycle_or_404(user, public_id)
    if not sees_results(user, cycle):
        raise Http404
    return cycle


@login_required
def decision_docx(request, public_id: str):
    """The decision of the cycle's year: one appendix for each published (or, before publication, this)
    group of the province."""
    cycle = _results_cycle(request.user, public_id)
    same_year = (Cycle.objects.filter(framework__province_id=cycle.framework.province_id,
                                      framework__year=cycle.framework.year, state=CycleState.PUBLISHED)
                 .select_related("framework__version", "framework__province").order_by("framework__group"))
    order = list(UnitGroup.values)  # departments, then districts, then communes, as decisions list them
    groups = sorted(same_year, key=lambda c: order.index(c.framework.group)) if cycle.state == CycleState.PUBLISHED \
        else [cycle]
    content, ctype = documents.decision_docx([(c, selectors.results(c)) for c in groups],
                                             province=cycle.framework.province, number=cycle.decision_number,
                                             today=timezone.localdate(), year=cycle.framework.year)
    return _file(content, ctype, f"quyet-dinh-cong-bo-chi-so-{cycle.framework.year}.docx")


@login_required
def results_xlsx(request, public_id: str):
    cycle = _results_cycle(request.user, public_id)
    content, ctype = workbooks.results_xlsx(cycle, selectors.results(cycle), selectors.fields_of(cycle.framework.version))
    return _file(content, ctype, f"ket-qua-chi-so-{cycle.framework.year}-{cycle.framework.group}.xlsx")


@login_required
def points_template(request, public_id: str):
    cycle = visible_cycle_or_404(request.user, public_id)
    require_permission(manages(request.user, cycle.framework.province_id))
    content, ctype = workbooks.points_template(cycle)
    return _file(content, ctype, f"diem-dieu-tra-{cycle.framework.year}-{cycle.framework.group}.xlsx")


@login_required
@require_POST
def points_import(request, public_id: str):
    cycle = visible_cycle_or_404(request.user, public_id)
    require_permission(manages(request.user, cycle.framework.province_id))
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise ServiceError("Chưa chọn tệp Excel điểm.")
        n = services.survey_points_set(actor=request.user, cycle=cycle, rows=workbooks.read_points(cycle, upload))
    except ServiceError as error:
        messages.error(request, " ".join(error_list(error)))
    else:
        messages.success(request, f"Đã lưu {n} điểm điều tra, thống kê.")
    return redirect("appraisal:cycle", cycle.public_id)


@login_required
def points_form(request, public_id: str):
    """The coordinator's entry of measured points: survey and statistics points per unit and criterion,
    and for a computed criterion its raw inputs (labelled in Vietnamese), its rule giving the points.
    The whole table saves at once; one bad cell refuses it all, naming the unit and criterion."""
    from django.db import transaction

    from chiso.core import rules

    from .sheet_views import parse_points

    cycle = visible_cycle_or_404(request.user, public_id)
    require_permission(manages(request.user, cycle.framework.province_id))
    criteria = list(cycle.framework.version.criteria.filter(children__isnull=True, method__in=workbooks.MEASURED)
                    .select_related("internal").order_by("position"))
    columns = []
    for c in criteria:
        labels, note = rules.input_labels(c.internal.inputs if c.rule and hasattr(c, "internal") else "")
        names = sorted(rules.parse(c.rule).inputs) if c.rule else []
        columns.append({"c": c, "inputs": [(n, labels.get(n, n)) for n in names], "note": note})
    sheets = list(cycle.sheets.select_related("unit").order_by("unit__name"))
    entries = {(e.sheet_id, e.criterion_id): e for e in
               Entry.objects.filter(sheet__cycle=cycle, criterion__in=criteria)}
    errors, typed = [], None
    if request.method == "POST":
        typed = request.POST
        points, inputs = [], []
        for s in sheets:
            if s.state == SheetState.FINALISED:  # closed: shown, not sent back
                continue
            for col in columns:
                c = col["c"]
                where = f"{s.unit.name}, tiêu chí {c.code}"
                try:
                    if col["inputs"]:
                        values = {n: parse_points(request.POST.get(f"i_{s.public_id}_{c.code}_{n}"), f"{where}: “{label}”")
                                  for n, label in col["inputs"]}
                        inputs.append(services.InputRow(s.unit, c.code, values, f"{where}"))
                    else:
                        points.append(services.PointRow(s.unit, c.code, parse_points(
                            request.POST.get(f"p_{s.public_id}_{c.code}"), f"{where}: điểm"), s.unit.name))
                except ServiceError as error:
                    errors.append(error.message)
        if not errors:
            try:
                with transaction.atomic():
                    n = services.survey_points_set(actor=request.user, cycle=cycle, rows=points)
                    n += services.computed_inputs_set(actor=request.user, cycle=cycle, rows=inputs)
            except ServiceError as error:
                errors = error_list(error)
            else:
                messages.success(request, f"Đã lưu điểm điều tra, thống kê và số liệu: {n} ô có điểm.")
                return redirect("appraisal:points_form", cycle.public_id)
    rows = []
    for s in sheets:
        cells, closed = [], s.state == SheetState.FINALISED
        for col in columns:
            e = entries.get((s.pk, col["c"].pk))
            if col["inputs"]:
                for n, label in col["inputs"]:
                    key = f"i_{s.public_id}_{col['c'].code}_{n}"
                    saved = (e.raw_inputs or {}).get(n) if e else None
                    cells.append({"name": key, "label": f"{s.unit.name} — {col['c'].code}: {label}", "closed": closed,
                                  "value": typed.get(key, "") if typed is not None else _comma(saved)})
                cells.append({"computed": e.score if e else None})
            else:
                key = f"p_{s.public_id}_{col['c'].code}"
                cells.append({"name": key, "label": f"{s.unit.name} — {col['c'].code}", "closed": closed,
                              "value": typed.get(key, "") if typed is not None else _comma(e.score if e else None)})
        rows.append({"sheet": s, "cells": cells})
    return render(request, "appraisal/points.html", {"c": cycle, "columns": columns, "rows": rows, "errors": errors},
                  status=422 if errors else 200)


def _comma(value) -> str:
    """A saved number as the form shows it: decimal comma."""
    return "" if value in (None, "") else fmt(Decimal(str(value)))
