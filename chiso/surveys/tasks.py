"""Background jobs of the surveys app."""
from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django_tasks import task

from chiso.common.errors import ServiceError

from .models import PapiImport, PapiImportState

logger = logging.getLogger(__name__)


@task()
def papi_import_read(job_id: int, attempt: int = 1) -> str:
    """Reads a PAPI document (in a child process with limits) and loads it, as its uploader."""
    from .services import papi_results_import

    mine = PapiImport.objects.filter(pk=job_id, attempt=attempt)
    if not mine.filter(state=PapiImportState.QUEUED).update(state=PapiImportState.READING, started_at=timezone.now()):
        return "gone"  # given up and queued again, or already done
    job = mine.select_related("uploaded_by").get()
    reading = mine.filter(state=PapiImportState.READING)
    try:
        with job.file.open("rb") as fh:
            content = fh.read()  # its size was checked when it was uploaded
        report = papi_results_import(actor=job.uploaded_by, year=job.year, content=content, file_name=job.file_name)
    except ServiceError as exc:
        reading.update(state=PapiImportState.FAILED, errors=[exc.message, *exc.details], finished_at=timezone.now())
        return "refused"
    except PermissionDenied:
        reading.update(state=PapiImportState.FAILED, finished_at=timezone.now(),
                       errors=["Tài khoản đã tải tệp lên không còn quyền nhập kết quả PAPI."])
        return "refused"
    except Exception:  # a bug of ours must not leave the job "reading" forever
        logger.exception("PAPI import %s failed", job_id)
        reading.update(state=PapiImportState.FAILED, retryable=True, finished_at=timezone.now(),
                       errors=[f"{job.file_name}: chiso gặp lỗi khi nạp tệp này (đã ghi nhật ký để sửa)."])
        return "failed"
    reading.update(state=PapiImportState.DONE, finished_at=timezone.now(), outcome={
        "lines": report.lines, "matched": report.matched, "unmatched": list(report.unmatched or [])[:50],
        "assessments": [a.public_id for a in report.assessments or []],
        "table": report.table.public_id if report.table is not None else None})
    return "done"
