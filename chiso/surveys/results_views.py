"""Results of a campaign: the index per element, item and unit with n and 95 % intervals, the ranking
with last year's change, charts; the data (XLSX) and the report (DOCX); feeding the indices."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from chiso.common.errors import ServiceError

from . import exports, services
from .charts import result_charts
from .policies import campaign_or_404, can_manage_surveys, can_read_results, require_permission
from .selectors import campaign_results, fact_counts, unit_element_cells

READ_DENIED = "Kết quả khảo sát dành cho Sở Nội vụ và lãnh đạo tỉnh."


@login_required
def results(request, public_id: str):
    campaign = campaign_or_404(request.user, public_id)
    require_permission(can_read_results(request.user), READ_DENIED)
    data = campaign_results(campaign)
    rows = [(r, unit_element_cells(data, r)) for r in data.units]
    return render(request, "surveys/results.html", {
        "campaign": campaign, "r": data, "rows": rows, "charts": result_charts(data),
        "facts": fact_counts(campaign), "may_manage": can_manage_surveys(request.user),
    })


def _filename(campaign, ext: str) -> str:
    return f"khao-sat-{campaign.year}-{campaign.public_id}.{ext}"


@login_required
def report_docx(request, public_id: str):
    campaign = campaign_or_404(request.user, public_id)
    require_permission(can_read_results(request.user), READ_DENIED)
    province = campaign.owner.name
    issuer = province if province.upper().startswith(("UBND", "ỦY BAN")) else f"UBND tỉnh {province}"
    office = request.user.unit.name if request.user.unit_id and request.user.unit_id != campaign.owner_id else "Sở Nội vụ"
    content, content_type = exports.report_docx(campaign_results(campaign), issuer=issuer, office=office, place=province,
                                        today=timezone.localdate())
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{_filename(campaign, "docx")}"'
    return response


@login_required
def data_xlsx(request, public_id: str):
    campaign = campaign_or_404(request.user, public_id)
    require_permission(can_manage_surveys(request.user), "Dữ liệu phiếu trả lời chỉ dành cho Sở Nội vụ.")
    content, content_type = exports.data_xlsx(campaign_results(campaign))
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{_filename(campaign, "xlsx")}"'
    return response


@login_required
@require_POST
def feed_scores(request, public_id: str):
    campaign = campaign_or_404(request.user, public_id)
    require_permission(can_manage_surveys(request.user))
    try:
        fed = services.campaign_results_feed(actor=request.user, campaign=campaign)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Đã ghi {fed.written} chỉ số vào kết quả tự đánh giá của {campaign.owner.name} năm "
                                  f"{campaign.year}; {fed.offered} điểm điều tra theo đơn vị được chuyển cho bộ chỉ số "
                                  "nội bộ.")
        for line in fed.refusals:
            messages.warning(request, f"Bộ chỉ số nội bộ không nhận điểm điều tra: {line}")
    return redirect("surveys:results", campaign.public_id)
