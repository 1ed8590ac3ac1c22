"""The background job that reads an uploaded document."""
from __future__ import annotations

import logging
import time

from django.utils import timezone
from django_tasks import task

from .models import Upload, UploadStatus

logger = logging.getLogger(__name__)


@task()
def read_upload(upload_id: int, attempt: int = 1) -> str:
    """Reads the upload (attempt number `attempt`): every write is made only while the upload is
    still at this attempt, so a reading given up as lost (chiso.ingest.recovery) and queued again
    cannot be overwritten by the old one."""
    from chiso.reader import ReaderError

    from .recovery import this_worker

    mine = Upload.objects.filter(pk=upload_id, attempt=attempt)
    claimed = mine.filter(status=UploadStatus.QUEUED).update(
        status=UploadStatus.READING, progress=0.02, progress_message="Bắt đầu đọc", worker=this_worker(),
        started_at=timezone.now(), updated_at=timezone.now())
    if not claimed:  # discarded before the worker got to it, or taken over by a later attempt
        return "gone"
    upload = mine.get()
    reading = mine.filter(status=UploadStatus.READING)
    last = [0.0]

    def progress(fraction: float, message: str) -> None:
        now = time.monotonic()
        if now - last[0] >= 0.3 or fraction >= 1:  # a few writes, not one per row
            last[0] = now
            reading.update(progress=max(0.02, min(fraction, 0.99)), progress_message=message[:255])

    try:
        result = _read(upload, progress)
    except ReaderError as exc:
        reading.update(status=UploadStatus.FAILED, error_code=getattr(exc, "code", ""), error_message=str(exc),
                       progress=1)
        return "failed"
    except Exception:  # a bug of ours must not leave the upload "reading" forever
        logger.exception("reading upload %s failed", upload.pk)
        reading.update(status=UploadStatus.FAILED, error_code="internal", progress=1,
                       error_message=f"{upload.file_name}: chiso gặp lỗi khi đọc tệp này (đã ghi nhật ký để sửa).")
        return "failed"
    result["source"] = upload.file_name
    reading.update(status=UploadStatus.READY, reading=result, progress=1, progress_message="Đã đọc xong")
    return "ready"


def _read(upload: Upload, progress) -> dict:
    """The reading, done in a child process with memory and time limits: a hostile file costs
    the child, never this worker."""
    import tempfile
    from pathlib import Path

    from chiso.reader.isolated import read_document_isolated

    try:
        local = Path(upload.file.path)
    except NotImplementedError:  # remote storage (S3) has no local path: read a local copy
        local = None
    if local is not None:
        return read_document_isolated(local, progress=progress, name=upload.file_name)
    with tempfile.TemporaryDirectory(prefix="chiso-") as tmp:
        copy = Path(tmp) / (Path(upload.file_name).name or "tai-lieu")
        with upload.file.open("rb") as fh, copy.open("wb") as out:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                out.write(chunk)
        return read_document_isolated(copy, progress=progress, name=upload.file_name)
