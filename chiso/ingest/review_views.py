"""The preview's human in the loop: correct a cell, change a column's type, merge two rows
(each a recorded correction of the upload), and confirm a results-by-unit table as those
units' published results."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from chiso.common.errors import ServiceError
from chiso.units.policies import units_visible_to

from .corrections import CorrectionError, describe
from .policies import can_upload, uploads_visible_to
from .selectors import review_tables
from .services import upload_confirm_unit_results, upload_correct, upload_correction_undo
from .unit_results import unit_tables


def review_reading(request, upload) -> dict:
    """The reading as corrected so far (the original, with a message, if a correction no longer applies)."""
    try:
        return upload.corrected_reading
    except CorrectionError as exc:
        messages.error(request, f"Không áp dụng được các sửa đổi ({exc}); hãy bỏ sửa đổi cuối.")
        return upload.reading or {}


def review_context(request, upload, reading: dict, issuer) -> dict:
    editing = request.GET.get("sua", "")
    t_e, _, r_e = editing.partition("-")
    scope = issuer or getattr(request.user, "unit", None)
    units = unit_tables(reading, scope.root if scope is not None and scope.root_id else scope) \
        if any(t.get("kind") == "unit_results" for t in reading.get("tables") or []) else []
    return {
        "review": review_tables(reading),
        "editing": (int(t_e), int(r_e)) if t_e.isdigit() and r_e.isdigit() else None,
        "corrections": [(c, describe(c)) for c in upload.corrections or []],
        "version": len(upload.corrections or []),
        "unit_tables": units,
        "unit_choices": _unit_choices(request.user, scope, units),
    }


def _unit_choices(user, scope, tables) -> list:
    """Units a row may be matched to by hand: the province's tree (or the provinces, for a
    ministry's table), within what the person sees."""
    if not tables:
        return []
    from chiso.units.models import UnitKind

    visible = units_visible_to(user)
    if any(t.provinces for t in tables):
        visible = visible.filter(kind=UnitKind.PROVINCE)
    elif scope is not None:
        visible = visible.filter(root_id=scope.root_id or scope.pk)
    return list(visible.order_by("kind", "name")[:600])


def _upload(request, public_id: str):
    if not can_upload(request.user):
        raise PermissionDenied("Chỉ cán bộ điều phối (Sở Nội vụ) hoặc quản trị được tải tài liệu lên.")
    return get_object_or_404(uploads_visible_to(request.user), public_id=public_id)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _back(upload, anchor: str = "xem-lai"):
    return redirect(reverse("ingest:detail", args=[upload.public_id]) + f"#{anchor}")


@login_required
@require_POST
def upload_correct_view(request, public_id: str):
    """One correction (merge, column type), or a row's edited cells, each recorded in turn."""
    upload = _upload(request, public_id)
    post = request.POST
    version, table, row = _int(post.get("version")), _int(post.get("table")), _int(post.get("row"))
    kind = post.get("kind")
    if kind == "row":
        wanted = [{"kind": "cell", "table": table, "row": row, "field": k[5:], "value": v}
                  for k, v in post.items() if k.startswith("cell:") and v != post.get("was:" + k[5:], "")]
    elif kind == "merge":
        wanted = [{"kind": "merge", "table": table, "row": row}]
    elif kind == "column":
        wanted = [{"kind": "column", "table": table, "from": post.get("from", ""), "to": post.get("to", "")}]
    else:
        messages.error(request, "Sửa đổi không hợp lệ.")
        return _back(upload)
    try:
        for i, correction in enumerate(wanted):
            upload = upload_correct(actor=request.user, upload=upload, correction=correction,
                                    version=(version if version is not None else -1) + i)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        if wanted:
            messages.success(request, f"Đã ghi {len(wanted)} sửa đổi; chưa nạp gì cho đến khi bạn xác nhận.")
    return _back(upload, f"bang-{table}" if table is not None else "xem-lai")


@login_required
@require_POST
def upload_undo_view(request, public_id: str):
    upload = _upload(request, public_id)
    try:
        upload_correction_undo(actor=request.user, upload=upload, version=_int(request.POST.get("version")) or -1)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.info(request, "Đã bỏ sửa đổi cuối.")
    return _back(upload)


@login_required
@require_POST
def upload_confirm_units_view(request, public_id: str):
    """The results-by-unit tables become the units' published results for their year."""
    upload = _upload(request, public_id)
    allowed = {u.public_id: u for u in units_visible_to(request.user)}
    choices = {}
    for key, value in request.POST.items():
        if key.startswith("unit-"):
            choices[key] = allowed.get(value)  # "" (or a unit out of scope): the row is left out
    scope = getattr(request.user, "unit", None)
    try:
        report = upload_confirm_unit_results(actor=request.user, upload=upload, choices=choices,
                                             scope=scope.root if scope is not None and scope.root_id else scope)
    except ServiceError as exc:
        messages.error(request, " ".join([exc.message, *exc.details[:5]]))
        return _back(upload, "ket-qua-don-vi")
    parts = []
    if report.units:
        parts.append(f"kết quả của {report.units} đơn vị")
    if report.national:
        parts.append(f"bảng kết quả toàn quốc ({report.national} tỉnh, thành phố)")
    messages.success(request, "Đã nạp " + " và ".join(parts) + (f"; {report.scores} điểm lĩnh vực." if report.scores else "."))
    for w in report.warnings[:10]:
        messages.warning(request, w)
    return redirect("ingest:detail", public_id=upload.public_id)
