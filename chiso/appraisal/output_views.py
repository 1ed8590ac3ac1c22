"""Downloads (Word in NĐ 30 form, Excel) and the survey-points import."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from chiso.common.errors import ServiceError, require_permission

from . import documents, selectors, services, workbooks
from .models import Cycle, CycleState, UnitGroup
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
