from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from chiso.accounts.policies import sees_everything
from chiso.common.errors import ServiceError
from chiso.plans.loader import NEW_UNIT
from chiso.units.models import Unit
from chiso.units.policies import units_visible_to

from .models import UploadStatus
from .policies import can_upload, issuers_choosable_by, uploads_visible_to
from .review_views import review_context, review_reading
from .selectors import preview
from .services import upload_confirm, upload_confirm_results, upload_create, upload_discard, upload_retry


def _require_uploader(user) -> None:
    if not can_upload(user):
        raise PermissionDenied("Chỉ cán bộ điều phối (Sở Nội vụ) hoặc quản trị được tải tài liệu lên.")


@login_required
def upload_new(request):
    _require_uploader(request.user)
    if request.method == "POST":
        uploaded = request.FILES.get("file")
        if uploaded is None:
            messages.error(request, "Chưa chọn tệp nào.")
        else:
            try:
                upload = upload_create(actor=request.user, uploaded_file=uploaded)
            except ServiceError as exc:
                messages.error(request, exc.message)
            else:
                return redirect("ingest:detail", public_id=upload.public_id)
    uploads = uploads_visible_to(request.user).select_related("plan")[:20]
    return render(request, "ingest/upload_new.html", {"uploads": uploads})


@login_required
def upload_detail(request, public_id: str):
    upload = get_object_or_404(uploads_visible_to(request.user), public_id=public_id)
    if request.htmx and not upload.finished:
        return render(request, "ingest/upload_detail.html#progress", {"upload": upload})
    if request.htmx:  # finished while the page polled: reload the whole page for the preview
        response = render(request, "ingest/upload_detail.html#progress", {"upload": upload})
        response["HX-Refresh"] = "true"
        return response
    context = {"upload": upload}
    if upload.status == UploadStatus.READY:
        issuer = None
        if request.GET.get("issuer"):
            issuer = issuers_choosable_by(request.user).filter(public_id=request.GET["issuer"]).first()
        reading = review_reading(request, upload)
        context["preview"] = preview(reading, issuer=issuer)
        context.update(review_context(request, upload, reading, issuer))
        context["issuers"] = issuers_choosable_by(request.user).order_by("kind", "name")
        context["issuer_in_scope"] = _issuer_allowed(request.user, context["preview"].issuer)
        context["can_create_issuer"] = context["preview"].issuer is None and sees_everything(request.user)
        asked = request.GET.get("unit")  # sent here from a unit's results page
        context["results_unit"] = (
            context["issuers"].filter(public_id=asked).first() if asked else None
        ) or _results_unit(upload.reading, context["preview"].issuer, context["issuers"], context["issuer_in_scope"])
        scope_issuer = context["preview"].issuer
        context["scope_units"] = (
            units_visible_to(request.user).filter(root_id=scope_issuer.root_id).order_by("name")
            if scope_issuer else Unit.objects.none()
        )
    return render(request, "ingest/upload_detail.html", context)


def _results_unit(reading: dict, issuer, choosable, issuer_in_scope: bool):
    """Whose results a results table holds: its issuer when that is in scope, else a province
    or district in scope that the title or a table's heading names ("Kết quả thẩm định … của tỉnh Kon Tum" from
    the ministry)."""
    if issuer_in_scope:
        return issuer
    from chiso.core.text import fold

    reading = reading or {}
    heads = [(reading.get("document") or {}).get("title") or ""] + [t.get("caption") or "" for t in reading.get("tables") or []]
    text = " " + fold(" ".join(heads))
    named = [u for u in choosable if u.kind in ("province", "district") and f" {fold(u.name)}" in text]
    return named[0] if len(named) == 1 else None


def _issuer_allowed(user, issuer, *, create_new: bool = False) -> bool:
    """A plan is loaded only for a unit within the person's scope; only someone who sees
    everything (an administrator) may have an unknown issuer created."""
    if issuer is None:
        return create_new and sees_everything(user)
    return issuers_choosable_by(user).filter(pk=issuer.pk).exists()


@login_required
@require_POST
def upload_confirm_view(request, public_id: str):
    _require_uploader(request.user)
    upload = get_object_or_404(uploads_visible_to(request.user), public_id=public_id)
    issuer, chosen = None, request.POST.get("issuer", "")
    if chosen and chosen != NEW_UNIT:
        issuer = get_object_or_404(issuers_choosable_by(request.user), public_id=chosen)
    data = preview(upload.reading or {}, issuer=issuer) if upload.reading else None
    overrides = {}
    allowed = {u.public_id: u for u in units_visible_to(request.user)}
    for row in data.agencies if data else []:
        choice = request.POST.get(row.field_name, "")
        if choice == NEW_UNIT:
            overrides[row.folded] = NEW_UNIT
        elif choice in allowed:
            overrides[row.folded] = allowed[choice]
    issuer = issuer or (data.issuer if data else None)
    if not _issuer_allowed(request.user, issuer, create_new=chosen == NEW_UNIT):
        # a plan is loaded only for a unit the person works for, never silently for another province
        messages.error(request, "Hãy chọn đơn vị ban hành trong phạm vi của bạn trước khi nạp.")
        return redirect("ingest:detail", public_id=public_id)
    try:
        report = upload_confirm(actor=request.user, upload=upload, issuer=issuer, unit_overrides=overrides)
    except ServiceError as exc:
        messages.error(request, " ".join([exc.message, *exc.details[:5]]))
        return redirect("ingest:detail", public_id=public_id)
    if report.existing:
        messages.info(request, "Tài liệu này đã được nạp trước đây; không tạo trùng.")
    else:
        messages.success(request, f"Đã nạp kế hoạch: {report.items} dòng, {report.tasks} nhiệm vụ, "
                                  f"{report.assignments} phân công, {len(report.units_created)} đơn vị mới.")
    return redirect("plans:detail", public_id=report.plan.public_id)


def _uploaders_upload(request, public_id: str):
    _require_uploader(request.user)
    return get_object_or_404(uploads_visible_to(request.user), public_id=public_id)


@login_required
@require_POST
def upload_discard_view(request, public_id: str):
    upload = _uploaders_upload(request, public_id)
    try:
        upload_discard(actor=request.user, upload=upload)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("ingest:detail", public_id=public_id)
    messages.info(request, f"Đã huỷ {upload.file_name}; không có gì được lưu.")
    return redirect("ingest:new")


@login_required
@require_POST
def upload_confirm_results_view(request, public_id: str):
    """An appraisal results table becomes the chosen unit's scores (per year), not a plan."""
    from chiso.scores.policies import can_edit_results

    _require_uploader(request.user)
    upload = get_object_or_404(uploads_visible_to(request.user), public_id=public_id)
    if not can_edit_results(request.user):
        raise PermissionDenied("Chỉ cán bộ điều phối hoặc quản trị được nạp kết quả.")
    unit = get_object_or_404(issuers_choosable_by(request.user), public_id=request.POST.get("unit", ""))
    try:
        report = upload_confirm_results(actor=request.user, upload=upload, unit=unit)
    except ServiceError as exc:
        messages.error(request, " ".join([exc.message, *exc.details[:5]]))
        return redirect("ingest:detail", public_id=public_id)
    years = ", ".join(str(a.year) for a in report.assessments)
    messages.success(request, f"Đã nạp kết quả của {unit.name}: năm {years}; {report.created} điểm mới, "
                              f"{report.updated} cập nhật.")
    for warning in report.warnings[:10]:
        messages.warning(request, warning)
    return redirect("analysis:unit", public_id=unit.public_id)


@login_required
@require_POST
def upload_retry_view(request, public_id: str):
    """Reads again an upload whose reading was cut off (worker lost, waited too long, too slow)."""
    try:
        upload_retry(actor=request.user, upload=_uploaders_upload(request, public_id))
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("ingest:detail", public_id=public_id)
