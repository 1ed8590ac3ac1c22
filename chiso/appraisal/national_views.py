"""The province toward the ministry (issue 12, item 9): opening the province's own PAR INDEX
self-assessment, evidence from the criteria's lead departments (files and links), the summary table
(Excel; the Word report is the unit's self-assessment report), and the ministry's scores beside the
self-scores: where points were lost in appraisal."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from chiso.common.errors import ServiceError, require_permission
from chiso.frameworks.models import FrameworkVersion, IndexKind

from . import selectors, services, workbooks
from .output_views import _file
from .policies import manages, visible_cycle_or_404, visible_sheet_or_404
from .sheet_views import SELF, _entry, _fragment, error_list, parse_date, parse_version
from .views import DATE_FIELDS


@login_required
@require_POST
def national_open(request):
    user = request.user
    province = user.unit.root if user.unit_id else None
    require_permission(province is not None and manages(user, province.pk))
    version = FrameworkVersion.objects.filter(public_id=request.POST.get("version", ""),
                                              framework__index=IndexKind.PAR_INDEX).select_related("framework").first()
    try:
        if version is None:
            raise ServiceError("Chọn phiên bản Chỉ số CCHC của Bộ Nội vụ.")
        try:
            year = int(request.POST.get("year") or 0)
        except ValueError:
            raise ServiceError("Năm đánh giá phải là một số, ví dụ 2026.") from None
        dates = services.CycleDates(*(parse_date(request.POST.get(k), label) for k, label in DATE_FIELDS))
        cycle = services.national_cycle_open(actor=user, province=province, version=version, year=year, dates=dates,
                                             name=request.POST.get("name", ""))
    except ServiceError as error:
        messages.error(request, " ".join(error_list(error)))
        return redirect("appraisal:home")
    messages.success(request, f"Đã mở {cycle.name}: các sở chủ trì từng tiêu chí gửi tài liệu kiểm chứng đến "
                              f"{cycle.self_due:%d/%m/%Y}.")
    return redirect("appraisal:sheet", cycle.sheets.get().public_id)


@login_required
@require_POST
def evidence_add(request, public_id: str):
    """Files and/or a link on one criterion, without touching its score (the unit, or on the province's own
    sheet the criterion's lead department)."""
    entry, access, member = _entry(request.user, public_id)
    require_permission(access.gathers(entry.criterion.code))
    try:
        services.evidence_add(actor=request.user, entry=entry, files=request.FILES.getlist("files"),
                              url=request.POST.get("url", ""), label=request.POST.get("label", ""))
    except ServiceError as error:
        if request.htmx:
            return _fragment(request, SELF, entry, access, error=error)
        messages.error(request, " ".join(error_list(error)))
    else:
        if not request.htmx:
            messages.success(request, f"Đã thêm tài liệu kiểm chứng cho tiêu chí {entry.criterion.code}.")
    if request.htmx:
        return _fragment(request, SELF, entry, access)
    return redirect("appraisal:sheet", entry.sheet.public_id)


@login_required
@require_POST
def ministry_apply(request, public_id: str):
    cycle = visible_cycle_or_404(request.user, public_id)
    require_permission(manages(request.user, cycle.framework.province_id))
    if not cycle.framework.is_national:
        raise Http404
    try:
        n = services.ministry_scores_apply(actor=request.user, cycle=cycle,
                                           version=parse_version(request.POST.get("version")))
    except ServiceError as error:
        messages.error(request, " ".join(error_list(error)))
        return redirect("appraisal:sheet", cycle.sheets.get().public_id)
    messages.success(request, f"Đã lấy điểm Bộ Nội vụ thẩm định của {n} tiêu chí.")
    return redirect("appraisal:comparison", cycle.sheets.get().public_id)


@login_required
def comparison(request, public_id: str):
    """Self-score beside appraised score per criterion, the difference, the lead departments."""
    sheet, access, _ = visible_sheet_or_404(request.user, public_id)
    rows = selectors.sheet_rows(sheet)
    lines = selectors.comparison(sheet, rows)
    lost = [c for c in lines if c.row.entry is not None and c.lost]
    return render(request, "appraisal/comparison.html", {
        "sheet": sheet, "lines": lines, "lost": lost, "access": access, "today": timezone.localdate(),
        "self_result": selectors.sheet_index(sheet, appraised=False), "result": selectors.sheet_index(sheet)})


@login_required
def summary_xlsx(request, public_id: str):
    sheet, _, _ = visible_sheet_or_404(request.user, public_id)
    content, ctype = workbooks.summary_xlsx(sheet, selectors.comparison(sheet))
    return _file(content, ctype, f"bang-tong-hop-tu-danh-gia-{sheet.cycle.framework.year}-{sheet.public_id}.xlsx")
