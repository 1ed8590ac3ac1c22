"""Writes for uploads: create (and queue the reading), confirm into a plan, discard."""
from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from chiso.common.errors import ServiceError, require_permission
from chiso.common.uploads import check_upload_size
from chiso.plans.loader import LoadReport
from chiso.plans.selectors import loaded_plan
from chiso.plans.services import plan_load, source_document_create

from .corrections import CorrectionError
from .corrections import apply as apply_correction
from .models import Upload, UploadStatus
from .policies import can_upload, uploads_visible_to
from .tasks import read_upload

if TYPE_CHECKING:
    from chiso.accounts.models import User

NOT_AN_UPLOADER = "Chỉ cán bộ điều phối (Sở Nội vụ) hoặc quản trị được tải tài liệu lên."


def _require_uploader(actor: User | None, upload: Upload | None = None) -> Upload | None:
    """The actor may upload; an upload is handled only by someone who sees it. Returns the
    upload locked for the rest of the transaction."""
    if actor is not None:
        require_permission(can_upload(actor), NOT_AN_UPLOADER)
    if upload is None:
        return None
    uploads = Upload.objects.all() if actor is None else uploads_visible_to(actor)
    locked = uploads.select_for_update().filter(pk=upload.pk).first()
    require_permission(locked is not None, f"{upload.file_name}: tài liệu do người khác tải lên.")
    return locked


@transaction.atomic
def upload_create(*, actor: User | None, uploaded_file) -> Upload:
    """Stores the file and queues its reading; refuses empty and oversized files at once."""
    _require_uploader(actor)
    name = uploaded_file.name or "tài liệu"
    check_upload_size(uploaded_file)
    digest = hashlib.sha256()
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
    uploaded_file.seek(0)
    upload = Upload(file_name=name[:255], sha256=digest.hexdigest(), size=uploaded_file.size, uploaded_by=actor)
    upload.file.save(name, uploaded_file, save=False)
    upload.save()
    transaction.on_commit(lambda: read_upload.enqueue(upload.pk))
    return upload


@transaction.atomic
def upload_confirm(*, actor: User | None, upload: Upload, issuer=None,
                   unit_overrides: dict | None = None) -> LoadReport:
    """Loads the reading as a plan, through the plan services, in one transaction."""
    upload = _require_uploader(actor, upload)
    if upload.status != UploadStatus.READY or not upload.reading:
        raise ServiceError(f"{upload.file_name}: chưa đọc xong hoặc đã được nạp, không thể xác nhận.")
    reading = _corrected(upload)
    source = None
    if loaded_plan(reading) is None:  # the same reading loaded before keeps its first source
        source = source_document_create(actor=actor, file_name=upload.file_name, sha256=upload.sha256,
                                        size=upload.size, file=upload.file.name, reading=reading)
    report = plan_load(actor=actor, document=reading, source=source, issuer=issuer,
                       unit_overrides=unit_overrides or {})
    upload.status, upload.plan = UploadStatus.LOADED, report.plan
    upload.save(update_fields=["status", "plan", "updated_at"])
    return report


@transaction.atomic
def upload_confirm_results(*, actor: User | None, upload: Upload, unit):
    """Loads the reading's scores as `unit`'s results (per year), in one transaction."""
    from chiso.analysis.services import results_import_document

    upload = _require_uploader(actor, upload)
    if upload.status != UploadStatus.READY or not upload.reading:
        raise ServiceError(f"{upload.file_name}: chưa đọc xong hoặc đã được nạp, không thể xác nhận.")
    report = results_import_document(actor=actor, unit=unit, document=_corrected(upload), file_name=upload.file_name)
    if not report.assessments:
        raise ServiceError(f"{upload.file_name}: không có bảng điểm nào nạp được.", details=report.warnings)
    upload.status, upload.results_unit = UploadStatus.LOADED, unit
    upload.save(update_fields=["status", "results_unit", "updated_at"])
    return report


def _corrected(upload: Upload) -> dict:
    try:
        return upload.corrected_reading
    except CorrectionError as exc:  # a correction no longer applies (the reading changed): say so, load nothing
        raise ServiceError(f"{upload.file_name}: không áp dụng được các sửa đổi ({exc}); hãy bỏ sửa đổi cuối.") from None


STALE = "Bản xem trước đã được sửa ở nơi khác (trong lúc bạn xem); hãy tải lại trang rồi sửa lại."


@transaction.atomic
def upload_correct(*, actor: User | None, upload: Upload, correction: dict, version: int) -> Upload:
    """Records one correction of the reading (a cell, a column's type, two rows merged), checked
    by applying it; `version` is the number of corrections the person saw (a stale form is refused)."""
    upload = _require_uploader(actor, upload)
    if upload.status != UploadStatus.READY or not upload.reading:
        raise ServiceError(f"{upload.file_name}: chỉ sửa được tài liệu đã đọc xong và chưa nạp.")
    if version != len(upload.corrections or []):
        raise ServiceError(STALE)
    current = _corrected(upload)
    wanted = {k: correction.get(k) for k in ("kind", "table", "row", "field", "value", "from", "to") if k in correction}
    try:
        done = apply_correction(current, wanted)
    except CorrectionError as exc:
        raise ServiceError(f"{upload.file_name}: {exc}") from None
    record = {**wanted, **done, "by": getattr(actor, "username", ""), "at": timezone.now().isoformat(timespec="seconds")}
    upload.corrections = [*(upload.corrections or []), record]
    upload.save(update_fields=["corrections", "updated_at"])
    return upload


@transaction.atomic
def upload_correction_undo(*, actor: User | None, upload: Upload, version: int) -> Upload:
    """Takes back the last correction."""
    upload = _require_uploader(actor, upload)
    if upload.status != UploadStatus.READY:
        raise ServiceError(f"{upload.file_name}: chỉ sửa được tài liệu đã đọc xong và chưa nạp.")
    if version != len(upload.corrections or []) or not upload.corrections:
        raise ServiceError(STALE)
    upload.corrections = upload.corrections[:-1]
    upload.save(update_fields=["corrections", "updated_at"])
    return upload


@transaction.atomic
def upload_confirm_unit_results(*, actor: User | None, upload: Upload, choices: dict, scope=None):
    """Loads the reading's results-by-unit tables as those units' published results for the year."""
    from .unit_results import unit_results_confirm

    upload = _require_uploader(actor, upload)
    if upload.status != UploadStatus.READY or not upload.reading:
        raise ServiceError(f"{upload.file_name}: chưa đọc xong hoặc đã được nạp, không thể xác nhận.")
    report = unit_results_confirm(actor=actor, reading=_corrected(upload), choices=choices, file_name=upload.file_name,
                                  scope=scope)
    if not report.units and not report.national:
        raise ServiceError(f"{upload.file_name}: không có dòng nào gắn được với đơn vị.", details=report.warnings)
    upload.status = UploadStatus.LOADED
    upload.save(update_fields=["status", "updated_at"])
    return report


@transaction.atomic
def upload_discard(*, actor: User | None, upload: Upload) -> None:
    """Forgets the upload and its file; nothing else was created."""
    upload = _require_uploader(actor, upload)
    if upload.status == UploadStatus.LOADED:
        raise ServiceError(f"{upload.file_name}: đã nạp thành kế hoạch, không huỷ được ở đây.")
    storage, name = upload.file.storage, upload.file.name
    upload.delete()
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def upload_retry(*, actor: User | None, upload: Upload) -> Upload:
    """Reads a failed upload again (a new attempt), when what failed was the machinery, not the file."""
    upload = _require_uploader(actor, upload)
    if not upload.can_retry:
        raise ServiceError(f"{upload.file_name}: chỉ đọc lại được tài liệu bị dừng giữa chừng.")
    upload.status, upload.attempt, upload.auto_retried = UploadStatus.QUEUED, upload.attempt + 1, False
    upload.progress, upload.progress_message, upload.error_code, upload.error_message = 0, "", "", ""
    upload.worker, upload.started_at = "", None
    upload.save(update_fields=["status", "attempt", "auto_retried", "progress", "progress_message", "error_code",
                               "error_message", "worker", "started_at", "updated_at"])
    pk, attempt = upload.pk, upload.attempt
    transaction.on_commit(lambda: read_upload.enqueue(pk, attempt))
    return upload
