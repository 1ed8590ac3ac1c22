"""Targets and what-if pages, and the plan's appendix out as .docx / .xlsx."""
from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from chiso.common.errors import ConflictError, ServiceError
from chiso.common.office import DOCX_TYPE, XLSX_TYPE
from chiso.core.svg import bar_chart, radar_chart
from chiso.frameworks.policies import versions_visible_to
from chiso.plans.policies import plans_visible_to
from chiso.scores.policies import tables_visible_to
from chiso.scores.services import assessment_get_or_create, targets_save

from .labels import chart_label
from .appendix import plan_sheets
from .edit_views import _require, _version, parse_points
from .exports import appendix_docx, appendix_xlsx
from .forecast import what_if
from .policies import can_edit_results, unit_or_404


def _int(value, default=None):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _typed_targets(source, version) -> tuple[dict[str, Decimal | None], dict[str, str], list[str]]:
    """The targets typed in the form: (values by code, raw text by code, one error per wrong field).

    A field is refused when it is not a number, negative, above the criterion's max or not a
    criterion of the framework; its text is kept so the form shows it back as typed.
    """
    from chiso.core.tree import fmt
    from chiso.frameworks.models import Criterion

    raw = {key[2:]: value for key, value in source.items() if key.startswith("t-")}
    maxima = dict(Criterion.objects.filter(version=version, code__in=list(raw)).values_list("code", "max_points"))
    values: dict[str, Decimal | None] = {}
    errors: list[str] = []
    for code, text in raw.items():
        try:
            value = parse_points(text)
        except ValueError:
            errors.append(f"Tiêu chí {code}: “{text.strip()[:20]}” không phải là số (ghi ví dụ 7,5).")
            continue
        if code not in maxima:
            errors.append(f"Tiêu chí {code} không có trong bộ chỉ số {version.label}.")
        elif value is not None and value < 0:
            errors.append(f"Tiêu chí {code}: mục tiêu {fmt(value)} nhỏ hơn 0.")
        elif value is not None and maxima[code] is not None and value > maxima[code]:
            errors.append(f"Tiêu chí {code}: mục tiêu {fmt(value)} lớn hơn điểm tối đa {fmt(maxima[code])}.")
        else:
            values[code] = value
    return values, raw, errors


@login_required
def targets(request, public_id: str, version_id: str, year: int):
    """Targets per criterion, the projected total and rank, and what it takes to reach a rank.

    The form goes by POST (“Tính thử” computes, “Lưu mục tiêu” saves); a form with a wrong
    field shows every error, field by field, and no total nor rank at all.
    """
    unit = unit_or_404(request.user, public_id)
    version = get_object_or_404(versions_visible_to(request.user).select_related("framework"), public_id=version_id)
    source = request.POST if request.method == "POST" else request.GET
    overrides, typed, errors = _typed_targets(source, version)
    wanted = (source.get("hang") or "").strip()
    if wanted and (_int(wanted) is None or _int(wanted) < 1):
        errors.append(f"Thứ hạng muốn đạt: “{wanted[:20]}” không phải là số nguyên từ 1 trở lên.")
    saving = request.method == "POST" and "luu" in request.POST
    conflict: list[str] = []
    if saving:
        _require(can_edit_results(request.user))
    if saving and not errors:
        try:
            assessment = assessment_get_or_create(actor=request.user, unit=unit, version=version, year=year,
                                                  source="Mục tiêu nhập trên chiso")
            targets_save(actor=request.user, assessment=assessment, targets=overrides, source="Mục tiêu nhập trên chiso",
                         version=_version(request.POST))
        except ConflictError as exc:  # the page shows the saved targets again, with what changed
            conflict, overrides, typed = [exc.message, *exc.details], {}, {}
        except ServiceError as exc:
            errors = [exc.message, *exc.details]
        else:
            messages.success(request, f"Đã lưu mục tiêu năm {year}.")
            return redirect("analysis:targets", unit.public_id, version.public_id, year)
    private_tables = list(tables_visible_to(request.user).filter(owner__isnull=False, index=version.framework.index)
                          .select_related("current").order_by("-year", "name"))
    chosen = next((t for t in private_tables if t.public_id == source.get("bang")), None)
    if errors:
        # Nothing is projected from a refused form: the rows show the saved targets and what was typed.
        data = what_if(unit, version, year, table_year=_int(source.get("nam-so-sanh")), private=chosen)
        data.refuse()
        errors = ["Chưa tính được: có mục tiêu không hợp lệ, sửa các ô dưới đây rồi bấm lại."
                  if not saving else "Chưa lưu mục tiêu: có mục tiêu không hợp lệ.", *errors]
    else:
        data = what_if(unit, version, year, overrides=overrides or None, table_year=_int(source.get("nam-so-sanh")),
                       wanted_rank=_int(source.get("hang")), private=chosen)
    for row in data.rows:
        row.typed = typed.get(row.criterion.code)
    charts = {}
    fields = [r for r in data.rows if r.criterion.parent_id is None]
    if fields and not errors:
        axes = [chart_label(r.criterion.code, r.criterion.name) for r in fields]
        charts["radar"] = radar_chart(axes, [
            (f"Năm {data.baseline.year}" if data.baseline else "Hiện tại",
             [r.baseline / r.criterion.max_points if r.baseline is not None else None for r in fields]),
            (f"Dự kiến năm {year}", [r.projected / r.criterion.max_points if r.projected is not None else None
                                     for r in fields])], title="Tỷ lệ điểm đạt: hiện tại và dự kiến")
        charts["gain"] = bar_chart([(chart_label(r.criterion.code, r.criterion.name), r.gain or 0, r.lost or 0)
                                    for r in fields if r.lost], title="Điểm dự kiến lấy lại / điểm đang mất",
                                   value_label="điểm lấy lại / điểm bị mất", label_width=300)
    return render(request, "analysis/targets.html", {
        "unit": unit, "version": version, "year": year, "d": data, "charts": charts,
        "errors": conflict or errors or (["Chưa tính được dự báo.", *data.errors] if data.errors else []),
        "can_edit": can_edit_results(request.user), "private_tables": private_tables,
        "overrides": overrides, "bad_codes": {code for code in typed if code not in overrides}, "ranks": range(1, (data.rank_of or 0) + 1),
        # the targets' version the form was opened on, kept while it is recomputed or refused for a
        # wrong field (what was typed is still there); the saved one after a save or a conflict
        "form_version": request.POST["version"] if "version" in request.POST and not conflict else (
            data.target_assessment.targets_version if data.target_assessment else 0),
    }, status=409 if conflict else (400 if errors else 200))


def _plan(user, public_id: str):
    return get_object_or_404(plans_visible_to(user).select_related("issuer__root"), public_id=public_id)


@login_required
def plan_targets(request, public_id: str):
    plan = _plan(request.user, public_id)
    table = plan.tables.exclude(version__isnull=True).select_related("version").first()
    if table is None:
        raise Http404("Kế hoạch chưa gắn với bộ chỉ số nào.")
    return redirect("analysis:targets", plan.issuer.public_id, table.version.public_id, plan.first_year)


def _charts_for(plan):
    """The charts of the appendix's first scored table: field shares and lost points."""
    from chiso.core.gap import GapInput, analyse
    from chiso.plans.selectors import plan_tables

    for table in plan_tables(plan):
        rows = [GapInput(i.code, i.name, i.max_points, i.baseline) for i in table.items.all() if i.code]
        if not any(r.max_points is not None and r.score is not None for r in rows):
            continue
        gap = analyse(rows)
        targets = {i.code: v.value for i in table.items.all() if i.code and i.level == 1
                   for v in i.values.all() if v.key == "target" and v.value_high is None}
        fields = sorted(gap.fields, key=lambda g: [int(p) if p.isdigit() else p for p in g.code.split(".")])
        series = [("Điểm đạt được", [g.score / g.max_points for g in fields])]
        if targets:
            series.append(("Mục tiêu", [targets[g.code] / g.max_points if g.code in targets else None for g in fields]))
        return [
            ("Biểu đồ 1. Tỷ lệ điểm đạt của từng lĩnh vực",
             radar_chart([chart_label(g.code, g.name) for g in fields], series, title="Tỷ lệ điểm đạt theo lĩnh vực")),
            ("Biểu đồ 2. Điểm bị mất theo lĩnh vực",
             bar_chart([(chart_label(g.code, g.name), g.lost, g.max_points) for g in gap.fields],
                       title="Điểm bị mất theo lĩnh vực", value_label="điểm bị mất / điểm tối đa", label_width=300)),
        ]
    return []


def _download(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _file_name(plan, suffix: str) -> str:
    number = (plan.number or plan.public_id).replace("/", "-")
    return f"phu-luc-{number}.{suffix}"


@login_required
def appendix_word(request, public_id: str):
    plan = _plan(request.user, public_id)
    sheets = plan_sheets(plan, deductions=request.GET.get("bang") != "phu-luc")
    charts = _charts_for(plan) if request.GET.get("bieu-do", "1") != "0" else []
    return _download(appendix_docx(plan, sheets, charts), DOCX_TYPE, _file_name(plan, "docx"))


@login_required
def appendix_excel(request, public_id: str):
    plan = _plan(request.user, public_id)
    sheets = plan_sheets(plan, deductions=request.GET.get("bang") != "phu-luc")
    return _download(appendix_xlsx(plan, sheets), XLSX_TYPE, _file_name(plan, "xlsx"))
