"""A PAPI table inside a Word, PDF or web document is read by the background worker, never in a
web request: the page stores the file and queues `tasks.papi_import_read`; the person watches
the job's page until it says "Đã nạp" or why not.

A job is claimed by its attempt number: once `papi_imports_recover` (run with the uploads'
recovery, `chiso recover-jobs`) gives up a job whose worker is gone or that no worker took, and
the person presses "Thử lại", whatever the old attempt still writes is void.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet

from chiso.common.errors import ServiceError
from chiso.common.uploads import check_upload_size

from .models import PapiImport, PapiImportState
from .policies import can_manage_surveys, require_permission

DOCUMENT_SUFFIXES = {".docx", ".pdf", ".html", ".htm", ".txt"}


def is_document(file_name: str) -> bool:
    """Whether the file is a document (read by the worker) rather than a CSV or a spreadsheet
    (streamed in a bounded child process while the person waits)."""
    return Path(file_name or "").suffix.lower() in DOCUMENT_SUFFIXES


def papi_import_start(*, actor, year: int, upload) -> PapiImport:
    """Stores the document and queues its reading; the import itself is done by the worker."""
    from .tasks import papi_import_read

    require_permission(can_manage_surveys(actor))
    check_upload_size(upload)
    with transaction.atomic():
        job = PapiImport(uploaded_by=actor, year=year, file_name=(upload.name or "papi")[:255])
        upload.seek(0)
        job.file.save(Path(job.file_name).name or "papi", ContentFile(upload.read()), save=False)
        job.save()
        pk, attempt = job.pk, job.attempt
        transaction.on_commit(lambda: papi_import_read.enqueue(pk, attempt))
    return job


def papi_import_retry(*, actor, job: PapiImport) -> PapiImport:
    """Queues a job again after the machinery failed it (not after the file was refused)."""
    from .tasks import papi_import_read

    require_permission(can_manage_surveys(actor) and job.uploaded_by_id == actor.pk)
    with transaction.atomic():
        job = PapiImport.objects.select_for_update().get(pk=job.pk)
        if job.state != PapiImportState.FAILED or not job.retryable:
            raise ServiceError("Chỉ thử lại được khi việc đọc bị dừng vì hệ thống, không phải vì nội dung tệp.")
        job.state, job.attempt, job.errors, job.retryable = PapiImportState.QUEUED, job.attempt + 1, [], False
        job.started_at = job.finished_at = None
        job.save()
        pk, attempt = job.pk, job.attempt
        transaction.on_commit(lambda: papi_import_read.enqueue(pk, attempt))
    return job


def papi_imports_of(user) -> QuerySet[PapiImport]:
    """A job is seen by the person who started it only."""
    if not (user.is_authenticated and can_manage_surveys(user)):
        return PapiImport.objects.none()
    return PapiImport.objects.filter(uploaded_by=user)


def papi_imports_recover(*, now: dt.datetime, reading_limit: dt.timedelta, queue_limit: dt.timedelta) -> int:
    """Fails the jobs whose worker is gone (reading past the limit) or that no worker took; the
    number failed. Each update is conditional, so it is safe from several processes at once."""
    minutes = int(queue_limit.total_seconds() // 60)
    lost = PapiImport.objects.filter(state=PapiImportState.READING, started_at__lt=now - reading_limit).update(
        state=PapiImportState.FAILED, retryable=True, finished_at=now,
        errors=["Tiến trình nền đã dừng đột ngột khi đang đọc tệp này. Bấm “Thử lại” để đọc lại."])
    waited = PapiImport.objects.filter(state=PapiImportState.QUEUED, created_at__lt=now - queue_limit).update(
        state=PapiImportState.FAILED, retryable=True, finished_at=now,
        errors=[f"Tệp chưa được đọc sau {minutes} phút chờ (tiến trình nền không chạy). "
                "Bấm “Thử lại” khi hệ thống hoạt động bình thường."])
    return lost + waited
