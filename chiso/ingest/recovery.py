"""Background jobs that outlive faults: a reading whose worker is gone is read again once, then
failed with a message that offers "Thử lại"; no upload waits forever.

`jobs_recover()` is run when a worker starts and every few minutes after (`chiso recover-jobs`,
see docs in the command). It looks at

- uploads being read (READING): lost when the process that reads them is gone (same machine:
  its pid no longer exists) or when they have been reading longer than `reading_time_limit()`
  — the reader's own time limit plus a margin, so a live reading never reaches it;
- uploads waiting (QUEUED) longer than `queue_time_limit()`: no worker has taken them;
- any other task of the database queue RUNNING longer than `task_time_limit()`.

A lost reading is queued again once (a new attempt; whatever the old one still writes is
ignored, see tasks.read_upload); lost a second time, or waiting too long, it fails with
a Vietnamese message, and the upload's page offers "Thử lại".
"""
from __future__ import annotations

import datetime as dt
import logging
import os
import socket
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from chiso.surveys.jobs import papi_imports_recover

from .models import Upload, UploadStatus

logger = logging.getLogger(__name__)

WORKER_LOST = "worker_lost"
QUEUE_TIMEOUT = "queue_timeout"


class WorkerLost(Exception):
    """Recorded on a task result whose worker stopped while running it."""


@dataclass
class RecoveryReport:
    requeued: list[str] = field(default_factory=list)  # file names
    failed: list[str] = field(default_factory=list)
    tasks_failed: int = 0
    papi_failed: int = 0  # PAPI documents (chiso.surveys.jobs)

    def __str__(self) -> str:
        return (f"requeued={len(self.requeued)} failed={len(self.failed)} tasks_failed={self.tasks_failed} "
                f"papi_failed={self.papi_failed}")


def _seconds(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, "") or default)
    except ValueError:
        return default


def reading_time_limit() -> dt.timedelta:
    from chiso.reader.limits import seconds

    return dt.timedelta(seconds=seconds() + 120)


def queue_time_limit() -> dt.timedelta:
    """CHISO_QUEUE_WAIT_SECONDS (default an hour)."""
    return dt.timedelta(seconds=_seconds("CHISO_QUEUE_WAIT_SECONDS", 3600))


def task_time_limit() -> dt.timedelta:
    """CHISO_TASK_TIME_LIMIT_SECONDS (default an hour), for tasks other than readings."""
    return dt.timedelta(seconds=_seconds("CHISO_TASK_TIME_LIMIT_SECONDS", 3600))


def this_worker() -> str:
    """How a reading names the process doing it: host and pid."""
    return f"{socket.gethostname()}:{os.getpid()}"


def worker_alive(worker: str) -> bool | None:
    """False when `worker` ran on this machine and its process is gone; None when it cannot be told."""
    host, _, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return None
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def jobs_recover(*, now: dt.datetime | None = None) -> RecoveryReport:
    """One pass over the readings and tasks; safe to run from several processes at once."""
    now = now or timezone.now()
    report = RecoveryReport()
    reading_cutoff, queue_cutoff = now - reading_time_limit(), now - queue_time_limit()
    for pk in Upload.objects.filter(status=UploadStatus.READING).values_list("pk", flat=True):
        with transaction.atomic():
            upload = Upload.objects.select_for_update().filter(pk=pk, status=UploadStatus.READING).first()
            if upload is None:
                continue
            overdue = upload.started_at is None or upload.started_at < reading_cutoff
            if not overdue and worker_alive(upload.worker) is not False:
                continue
            report.tasks_failed += _fail_running_tasks(upload)
            if not upload.auto_retried:
                _requeue(upload)
                report.requeued.append(upload.file_name)
            else:
                _fail(upload, WORKER_LOST, f"Tệp «{upload.file_name}»: tiến trình đọc nền đã dừng đột ngột khi đang "
                                           "đọc tệp này (đã thử đọc lại một lần). Bấm “Thử lại” để đọc lại.")
                report.failed.append(upload.file_name)
    for pk in Upload.objects.filter(status=UploadStatus.QUEUED, updated_at__lt=queue_cutoff).values_list("pk", flat=True):
        with transaction.atomic():
            upload = Upload.objects.select_for_update().filter(pk=pk, status=UploadStatus.QUEUED).first()
            if upload is None or upload.updated_at >= queue_cutoff:
                continue
            _fail(upload, QUEUE_TIMEOUT, f"Tệp «{upload.file_name}»: chưa được đọc sau "
                                         f"{int(queue_time_limit().total_seconds() // 60)} phút chờ (tiến trình nền "
                                         "không chạy). Bấm “Thử lại” khi hệ thống hoạt động bình thường.")
            report.failed.append(upload.file_name)
    report.tasks_failed += _fail_overdue_tasks(now)
    report.papi_failed = papi_imports_recover(now=now, reading_limit=reading_time_limit(), queue_limit=queue_time_limit())
    if report.papi_failed or report.requeued or report.failed or report.tasks_failed:
        logger.warning("recovered background jobs: %s", report)
    return report


def _requeue(upload: Upload) -> None:
    from .tasks import read_upload

    upload.status, upload.attempt, upload.auto_retried = UploadStatus.QUEUED, upload.attempt + 1, True
    upload.progress, upload.worker, upload.started_at = 0, "", None
    upload.progress_message = "Đọc lại: tiến trình nền trước đã dừng đột ngột"
    upload.save(update_fields=["status", "attempt", "auto_retried", "progress", "worker", "started_at",
                               "progress_message", "updated_at"])
    pk, attempt = upload.pk, upload.attempt
    transaction.on_commit(lambda: read_upload.enqueue(pk, attempt))


def _fail(upload: Upload, code: str, message: str) -> None:
    upload.status, upload.error_code, upload.error_message, upload.progress = UploadStatus.FAILED, code, message, 1
    upload.save(update_fields=["status", "error_code", "error_message", "progress", "updated_at"])


def _db_queue() -> bool:
    return "django_tasks_db" in settings.INSTALLED_APPS and any(
        b.get("BACKEND", "").startswith("django_tasks_db") for b in settings.TASKS.values())


def _fail_running_tasks(upload: Upload) -> int:
    """The database queue's RUNNING results of this upload's readings, marked failed."""
    if not _db_queue():
        return 0
    from django_tasks_db.models import DBTaskResult

    from .tasks import read_upload

    running = [r for r in DBTaskResult.objects.running().filter(task_path=read_upload.module_path)
               if (r.args_kwargs.get("args") or [None])[0] == upload.pk]
    for result in running:
        result.set_failed(WorkerLost(f"worker {upload.worker or '?'} lost while reading upload {upload.pk}"))
    return len(running)


def _fail_overdue_tasks(now: dt.datetime) -> int:
    """Tasks of the database queue still RUNNING past their time limit (their worker is gone):
    readings after `reading_time_limit()`, any other task after `task_time_limit()`."""
    if not _db_queue():
        return 0
    from django.db.models import Q
    from django_tasks_db.models import DBTaskResult

    from .tasks import read_upload

    path = read_upload.module_path
    overdue = DBTaskResult.objects.running().filter(
        Q(task_path=path, started_at__lt=now - reading_time_limit())
        | (~Q(task_path=path) & Q(started_at__lt=now - task_time_limit())))
    count = 0
    for result in overdue:
        result.set_failed(WorkerLost(f"running since {result.started_at:%Y-%m-%d %H:%M:%S}, past the time limit"))
        count += 1
    return count
