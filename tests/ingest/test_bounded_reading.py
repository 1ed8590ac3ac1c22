"""The worker reads an upload in a bounded child process: a zip bomb fails with a message naming
the file, and the worker process itself never parses the document."""
from chiso.ingest.models import Upload, UploadStatus
from tests.ingest.test_upload_flow import DEMO, upload, work
from tests.reader.bombs import xlsx_bomb


def test_a_zip_bomb_fails_with_a_message(client, coordinator, django_capture_on_commit_callbacks):
    client.force_login(coordinator)
    upload(client, "bom.xlsx", xlsx_bomb(4 * 1024 * 1024)[0], django_capture_on_commit_callbacks)
    work()
    item = Upload.objects.get()
    assert item.status == UploadStatus.FAILED and item.error_code == "too_large"
    assert item.error_message.startswith("Tệp «bom.xlsx»:") and "nén" in item.error_message


def test_the_worker_process_never_parses_the_document(client, coordinator, monkeypatch,
                                                      django_capture_on_commit_callbacks):
    def refuse(*args, **kwargs):
        raise AssertionError("parsed inside the worker process")

    monkeypatch.setattr("chiso.reader.read_document", refuse)
    monkeypatch.setattr("chiso.reader.read_bytes", refuse)
    client.force_login(coordinator)
    upload(client, "ke-hoach.txt", (DEMO / "003_5869b5a3940833bd.txt").read_bytes(), django_capture_on_commit_callbacks)
    upload(client, "ke-hoach.txt", (DEMO / "003_5869b5a3940833bd.txt").read_bytes(), django_capture_on_commit_callbacks)
    work()
    first, second = Upload.objects.order_by("pk")
    assert first.status == second.status == UploadStatus.READY, second.error_message
    assert second.file.name != first.file.name and second.reading["source"] == "ke-hoach.txt"
