"""Writes for uploads: create (and queue the reading), confirm into a plan, discard."""
from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import transaction

from chiso.common.errors import ServiceError
from chiso.plans.loader import LoadReport, plan_load
from chiso.plans.models import SourceDocument

from .models import Upload, UploadStatus
from .tasks import read_upload


def _human_size(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB".replace(".", ",")


@transaction.atomic
def upload_create(*, actor, uploaded_file) -> Upload:
    """Stores the file and queues its reading; refuses empty and oversized files at once."""
    name = uploaded_file.name or "tài liệu"
    limit = settings.CHISO_MAX_UPLOAD_BYTES
    if uploaded_file.size == 0:
        raise ServiceError(f"{name}: tệp rỗng, không có nội dung để đọc.")
    if uploaded_file.size > limit:
        raise ServiceError(f"{name}: tệp {_human_size(uploaded_file.size)} vượt giới hạn {_human_size(limit)}.")
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
def upload_confirm(*, actor, upload: Upload, issuer=None, unit_overrides: dict | None = None) -> LoadReport:
    """Loads the reading as a plan, through the plan loader, in one transaction."""
    upload = Upload.objects.select_for_update().get(pk=upload.pk)
    if upload.status != UploadStatus.READY or not upload.reading:
        raise ServiceError(f"{upload.file_name}: chưa đọc xong hoặc đã được nạp, không thể xác nhận.")
    source = SourceDocument.objects.create(file_name=upload.file_name, sha256=upload.sha256, size=upload.size,
                                           file=upload.file.name, reading=upload.reading, uploaded_by=actor)
    report = plan_load(actor=actor, document=upload.reading, source=source, issuer=issuer,
                       unit_overrides=unit_overrides or {})
    if report.existing:
        source.delete()  # the same reading was loaded before: keep the first source
    upload.status, upload.plan = UploadStatus.LOADED, report.plan
    upload.save(update_fields=["status", "plan", "updated_at"])
    return report


@transaction.atomic
def upload_confirm_results(*, actor, upload: Upload, unit):
    """Loads the reading's scores as `unit`'s results (per year), in one transaction."""
    from chiso.analysis.services import results_import_document

    upload = Upload.objects.select_for_update().get(pk=upload.pk)
    if upload.status != UploadStatus.READY or not upload.reading:
        raise ServiceError(f"{upload.file_name}: chưa đọc xong hoặc đã được nạp, không thể xác nhận.")
    report = results_import_document(actor=actor, unit=unit, document=upload.reading, file_name=upload.file_name)
    if not report.assessments:
        raise ServiceError(f"{upload.file_name}: không có bảng điểm nào nạp được.", details=report.warnings)
    upload.status, upload.results_unit = UploadStatus.LOADED, unit
    upload.save(update_fields=["status", "results_unit", "updated_at"])
    return report


@transaction.atomic
def upload_discard(*, actor, upload: Upload) -> None:
    """Forgets the upload and its file; nothing else was created."""
    if upload.status == UploadStatus.LOADED:
        raise ServiceError(f"{upload.file_name}: đã nạp thành kế hoạch, không huỷ được ở đây.")
    storage, name = upload.file.storage, upload.file.name
    upload.delete()
    transaction.on_commit(lambda: storage.delete(name))
