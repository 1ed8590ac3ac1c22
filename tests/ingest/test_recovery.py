"""Jobs that outlive faults: a reading whose worker is gone is read again once, then fails with a
message and a "Thử lại" button; an upload nobody takes fails after a while; no upload hangs."""
import datetime as dt
import io
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from chiso.ingest.models import Upload, UploadStatus
from chiso.ingest.recovery import jobs_recover, this_worker
from chiso.ingest.tasks import read_upload
from tests.ingest.test_upload_flow import DEMO, upload, work


def dead_worker() -> str:
    """host:pid of a process that has ended."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return this_worker().rsplit(":", 1)[0] + f":{child.pid}"


@pytest.fixture
def queued(client, coordinator, django_capture_on_commit_callbacks):
    client.force_login(coordinator)
    upload(client, "ke-hoach.txt", (DEMO / "003_5869b5a3940833bd.txt").read_bytes(), django_capture_on_commit_callbacks)
    return Upload.objects.get()


def lose_worker(item: Upload, *, worker: str | None = None, since: dt.timedelta = dt.timedelta(0)) -> None:
    """The state a worker killed in the middle of a reading leaves behind."""
    result = DBTaskResult.objects.filter(status="READY").first()
    if result is not None:
        result.claim("killed-worker")
    Upload.objects.filter(pk=item.pk).update(status=UploadStatus.READING, progress=0.05,
                                             progress_message="Đang nhận dạng định dạng tệp",
                                             worker=worker or dead_worker(), started_at=timezone.now() - since)


def test_a_reading_whose_worker_died_is_read_again_once(client, queued, django_capture_on_commit_callbacks):
    lose_worker(queued)
    with django_capture_on_commit_callbacks(execute=True):
        report = jobs_recover()
    assert report.requeued == ["ke-hoach.txt"] and report.tasks_failed == 1
    queued.refresh_from_db()
    assert (queued.status, queued.attempt, queued.auto_retried) == (UploadStatus.QUEUED, 2, True)
    assert DBTaskResult.objects.get(worker_ids=["killed-worker"]).status == "FAILED"
    page = client.get(reverse("ingest:detail", args=[queued.public_id])).content.decode()
    assert "Đọc lại: tiến trình nền trước đã dừng đột ngột" in page
    assert read_upload.call(queued.pk, 1) == "gone"  # the lost attempt, had it run on, changes nothing
    work()
    queued.refresh_from_db()
    assert queued.status == UploadStatus.READY and queued.reading["tables"]


def test_lost_twice_it_fails_with_a_message_and_thu_lai_reads_it_again(client, queued,
                                                                        django_capture_on_commit_callbacks):
    lose_worker(queued)
    with django_capture_on_commit_callbacks(execute=True):
        jobs_recover()
    lose_worker(queued)
    report = jobs_recover()
    queued.refresh_from_db()
    assert report.failed == ["ke-hoach.txt"] and queued.status == UploadStatus.FAILED
    assert queued.error_code == "worker_lost" and "đã dừng đột ngột" in queued.error_message
    page = client.get(reverse("ingest:detail", args=[queued.public_id])).content.decode()
    assert "Thử lại" in page and "đã dừng đột ngột" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("ingest:retry", args=[queued.public_id]))
    assert response.status_code == 302
    queued.refresh_from_db()
    assert (queued.status, queued.attempt, queued.auto_retried) == (UploadStatus.QUEUED, 3, False)
    work()
    queued.refresh_from_db()
    assert queued.status == UploadStatus.READY


def test_a_reading_past_its_time_limit_is_lost_even_if_its_process_lives(queued, django_capture_on_commit_callbacks):
    lose_worker(queued, worker=this_worker(), since=dt.timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs_recover().requeued == ["ke-hoach.txt"]


def test_a_live_reading_and_a_ready_upload_are_left_alone(queued):
    lose_worker(queued, worker=this_worker(), since=dt.timedelta(seconds=30))
    assert str(jobs_recover()) == "requeued=0 failed=0 tasks_failed=0 papi_failed=0"
    queued.refresh_from_db()
    assert queued.status == UploadStatus.READING and queued.attempt == 1


def test_an_upload_nobody_takes_fails_after_the_wait_limit(client, queued, monkeypatch):
    monkeypatch.setenv("CHISO_QUEUE_WAIT_SECONDS", "60")
    assert jobs_recover().failed == []
    Upload.objects.filter(pk=queued.pk).update(updated_at=timezone.now() - dt.timedelta(minutes=2))
    assert jobs_recover().failed == ["ke-hoach.txt"]
    queued.refresh_from_db()
    assert queued.error_code == "queue_timeout" and queued.can_retry


def test_a_file_the_reader_refuses_offers_no_retry(client, coordinator, django_capture_on_commit_callbacks):
    client.force_login(coordinator)
    upload(client, "anh.docx", b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, django_capture_on_commit_callbacks)
    work()
    item = Upload.objects.get()
    assert item.status == UploadStatus.FAILED and not item.can_retry
    assert "Thử lại" not in client.get(reverse("ingest:detail", args=[item.public_id])).content.decode()
    client.post(reverse("ingest:retry", args=[item.public_id]))
    item.refresh_from_db()
    assert item.status == UploadStatus.FAILED and item.attempt == 1


def test_other_tasks_running_past_their_limit_are_failed(queued, monkeypatch):
    result = DBTaskResult.objects.get()
    result.task_path = "chiso.progress.tasks.something"
    result.save()
    result.claim("killed-worker")
    DBTaskResult.objects.filter(pk=result.pk).update(started_at=timezone.now() - dt.timedelta(hours=2))
    assert jobs_recover().tasks_failed == 1
    assert DBTaskResult.objects.get(pk=result.pk).status == "FAILED"


def test_the_command_prints_what_it_did(queued):
    out = io.StringIO()
    call_command("recover_jobs", stdout=out)
    assert out.getvalue().strip() == "requeued=0 failed=0 tasks_failed=0 papi_failed=0"


def test_a_starting_worker_recovers_first(queued, monkeypatch, django_capture_on_commit_callbacks):
    """`chiso worker` (what `chiso serve` and the systemd unit run) recovers lost readings before it
    takes work, so a machine that restarts picks up what its dead worker left."""
    from chiso.web.management.commands import worker

    lose_worker(queued)
    started = []
    monkeypatch.setattr(worker, "call_command", lambda *args, **kw: started.append(args[0]))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("worker", recover_every=3600)
    queued.refresh_from_db()
    assert (queued.status, queued.attempt) == (UploadStatus.QUEUED, 2)
    assert started == ["db_worker"]
