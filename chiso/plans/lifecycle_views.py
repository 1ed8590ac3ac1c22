"""The life of a plan (submit, send back, issue, amend, discard), what changed between its
editions, its history, the signed copies and the body as a Word document."""
from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from chiso.accounts.policies import can_manage_plans, scope_roots
from chiso.common.errors import ServiceError, require_permission
from chiso.common.office import DOCX_TYPE
from chiso.units.models import Unit

from . import services
from .documents import TAGS, default_template, plan_body_docx
from .history import plan_history
from .models import PlanDocumentTemplate, PlanEdition, PlanState
from .policies import can_decide_plan, can_write_plan, plans_visible_to
from .services.guards import NOT_A_WRITER
from .services.lifecycle import NOT_A_DECIDER
from .services.templates import body_template_reset, body_template_save
from .snapshot import edition_diff


def _plan(user, public_id: str):
    return get_object_or_404(plans_visible_to(user).select_related("issuer__root"), public_id=public_id)


def _refused(request, error: ServiceError) -> None:
    messages.error(request, " ".join([error.message, *error.details]))


@login_required
@require_POST
def submit(request, public_id: str):
    plan = _plan(request.user, public_id)
    require_permission(can_write_plan(request.user, plan), NOT_A_WRITER)
    try:
        services.plan_submit(actor=request.user, plan=plan, version=request.POST.get("version"))
    except ServiceError as error:
        _refused(request, error)
        return redirect("plans:edit" if plan.state == PlanState.DRAFT else "plans:detail", plan.public_id)
    messages.success(request, "Đã trình lãnh đạo. Khi có bản ký, ghi số, ngày và đính kèm bản PDF để ban hành.")
    return redirect("plans:detail", plan.public_id)


@login_required
@require_POST
def send_back(request, public_id: str):
    plan = _plan(request.user, public_id)
    require_permission(can_decide_plan(request.user, plan), NOT_A_DECIDER)
    try:
        services.plan_return(actor=request.user, plan=plan, version=request.POST.get("version"),
                             comment=request.POST.get("comment", ""))
    except ServiceError as error:
        _refused(request, error)
        return redirect("plans:detail", plan.public_id)
    messages.success(request, "Đã trả kế hoạch về dự thảo.")
    return redirect("plans:detail", plan.public_id)


def _date(value: str) -> dt.date | None:
    value = (value or "").strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    return None


@login_required
@require_POST
def issue(request, public_id: str):
    plan = _plan(request.user, public_id)
    require_permission(can_decide_plan(request.user, plan), NOT_A_DECIDER)
    raw_date = request.POST.get("date", "")
    date = _date(raw_date)
    try:
        if raw_date and date is None:
            raise ServiceError("Chưa ban hành được kế hoạch.", details=[f"Ngày “{raw_date}” không đúng dạng ngày/tháng/năm."])
        edition = services.plan_issue(actor=request.user, plan=plan, version=request.POST.get("version"),
                                      number=request.POST.get("number", ""), date=date,
                                      signed_pdf=request.FILES.get("signed_pdf"))
    except ServiceError as error:
        _refused(request, error)
        return redirect("plans:detail", plan.public_id)
    messages.success(request, f"Đã ban hành: {edition.label}.")
    return redirect("plans:detail", plan.public_id)


@login_required
@require_POST
def amend(request, public_id: str):
    plan = _plan(request.user, public_id)
    require_permission(can_write_plan(request.user, plan), NOT_A_WRITER)
    try:
        services.plan_amend(actor=request.user, plan=plan, version=request.POST.get("version"),
                            reason=request.POST.get("reason", ""))
    except ServiceError as error:
        _refused(request, error)
        return redirect("plans:detail", plan.public_id)
    messages.success(request, "Đã mở bản điều chỉnh, bổ sung: các nhiệm vụ giữ nguyên báo cáo, tài liệu kiểm chứng.")
    return redirect("plans:edit", plan.public_id)


@login_required
@require_POST
def discard(request, public_id: str):
    plan = _plan(request.user, public_id)
    require_permission(can_write_plan(request.user, plan), NOT_A_WRITER)
    try:
        services.plan_discard(actor=request.user, plan=plan, version=request.POST.get("version"))
    except ServiceError as error:
        _refused(request, error)
        return redirect("plans:detail", plan.public_id)
    messages.success(request, "Đã xoá dự thảo.")
    return redirect("home")


def _seq(value, default):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


@login_required
def diff(request, public_id: str):
    """Between two editions (?tu=1&den=2), or the last issued one and the plan as it stands."""
    plan = _plan(request.user, public_id)
    editions = {e.seq: e for e in plan.editions.order_by("seq")}
    if not editions:
        raise Http404("Kế hoạch chưa có lần ban hành nào để so sánh.")
    drafting = plan.state != PlanState.ISSUED or plan.edition not in editions
    last = max(editions)
    new_seq = _seq(request.GET.get("den"), None if drafting else last)
    old_seq = _seq(request.GET.get("tu"), (new_seq or plan.edition) - 1)
    if old_seq not in editions or (new_seq is not None and new_seq not in editions):
        raise Http404("Không có lần ban hành này.")
    new = editions.get(new_seq) if new_seq is not None else None
    change = edition_diff(editions[old_seq], new, plan)
    return render(request, "plans/plan_diff.html", {
        "plan": plan, "change": change, "old": editions[old_seq], "new": new, "editions": list(editions.values()),
        "drafting": drafting})


@login_required
def history(request, public_id: str):
    plan = _plan(request.user, public_id)
    return render(request, "plans/plan_history.html", {"plan": plan, "entries": plan_history(plan)})


@login_required
def signed_pdf(request, public_id: str, edition_id: str):
    plan = _plan(request.user, public_id)
    edition = get_object_or_404(PlanEdition, plan=plan, public_id=edition_id)
    if not edition.signed_pdf:
        raise Http404("Lần ban hành này không có bản ký.")
    response = FileResponse(edition.signed_pdf.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{(edition.number or "ke-hoach").replace("/", "-")}.pdf"'
    return response


def _docx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=DOCX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def body_docx(request, public_id: str):
    plan = _plan(request.user, public_id)
    number = (plan.number or f"du-thao-{plan.public_id}").replace("/", "-")
    return _docx(plan_body_docx(plan), f"ke-hoach-{number}.docx")


def _own_province(user) -> Unit | None:
    roots = scope_roots(user)
    if user.unit_id:
        return user.unit.root or user.unit
    return Unit.objects.filter(pk__in=roots).first() if roots else None


@login_required
def body_template(request):
    """The province's template of the plan's body: download the one in use (or chiso's), upload
    a replacement, or go back to chiso's."""
    user = request.user
    require_permission(can_manage_plans(user), NOT_A_WRITER)
    province = _own_province(user)
    if request.method == "POST":
        if province is None:
            raise Http404("Tài khoản không thuộc tỉnh nào.")
        try:
            if request.POST.get("action") == "reset":
                body_template_reset(actor=user, owner=province)
                messages.success(request, "Đã dùng lại mẫu mặc định của chiso.")
            else:
                uploaded = request.FILES.get("file")
                if uploaded is None:
                    raise ServiceError("Cần chọn tệp mẫu văn bản (.docx).")
                body_template_save(actor=user, owner=province, uploaded=uploaded)
                messages.success(request, "Đã lưu mẫu văn bản của tỉnh: các kế hoạch xuất ra từ nay dùng mẫu này.")
        except ServiceError as error:
            _refused(request, error)
        return redirect("plans:body_template")
    current = PlanDocumentTemplate.objects.filter(owner=province).first() if province else None
    if request.GET.get("tai") == "1":
        data = current.file.read() if current is not None else default_template()
        return _docx(data, "mau-ke-hoach.docx")
    return render(request, "plans/body_template.html", {"province": province, "current": current, "tags": TAGS})

