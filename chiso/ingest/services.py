"""Writes for uploads: create (and queue the reading), confirm into a plan, discard."""
from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from django.db import transaction

from chiso.common.errors import ServiceError, require_permission
from chiso.common.uploads import check_upload_size
from chiso.plans.loader import LoadReport
from chiso.plans.selectors import loaded_plan
from chiso.plans.services import plan_load, source_document_create

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
    source = None
    if loaded_plan(upload.reading) is None:  # the same reading loaded before keeps its first source
        source = source_document_create(actor=actor, file_name=upload.file_name, sha256=upload.sha256,
                                        size=upload.size, file=upload.file.name, reading=upload.reading)
    report = plan_load(actor=actor, document=upload.reading, source=source, issuer=issuer,
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
    report = results_import_document(actor=actor, unit=unit, document=upload.reading, file_name=upload.file_name)
    if not report.assessments:
        raise ServiceError(f"{upload.file_name}: không có bảng điểm nào nạp được.", details=report.warnings)
    upload.status, upload.results_unit = UploadStatus.LOADED, unit
    upload.save(update_fields=["status", "results_unit", "updated_at"])
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
