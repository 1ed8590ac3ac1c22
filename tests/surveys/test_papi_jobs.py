"""A PAPI table in a Word document: stored and queued by the page, read and loaded by the real
worker (never in the web process); a lost worker fails the job with "Thử lại"; only its uploader
sees it."""
import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from chiso.accounts.models import Role
from chiso.scores.models import Assessment
from chiso.surveys.jobs import papi_imports_recover
from chiso.surveys.models import PapiImport, PapiImportState
from tests.factories import UserFactory
from tests.surveys.test_papi import daklak_coordinator, papi_docx  # noqa: F401 (a fixture)

pytestmark = pytest.mark.jobs


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def worker_keeps_the_test_connection(monkeypatch):
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)


def post(client, name, content, capture):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with capture(execute=True):
        return client.post(reverse("surveys:papi_import"), {"year": "2024", "file": SimpleUploadedFile(name, content)})


def work():
    call_command("worker", "--batch", verbosity=0)


def test_a_word_document_is_read_by_the_worker_not_the_page(client, daklak_coordinator, monkeypatch,  # noqa: F811
                                                            django_capture_on_commit_callbacks):
    import chiso.common.uploads

    client.force_login(daklak_coordinator)
    real = chiso.common.uploads.document_tables
    monkeypatch.setattr(chiso.common.uploads, "document_tables",
                        lambda *a, **k: pytest.fail("the web request read the document"))
    response = post(client, "papi-tay-nguyen.docx", papi_docx(), django_capture_on_commit_callbacks)
    job = PapiImport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("surveys:papi_job", args=[job.public_id])
    assert job.state == PapiImportState.QUEUED and not Assessment.objects.filter(year=2024).exists()
    page = client.get(response["Location"])
    assert "Đang chờ đọc" in page.content.decode() and 'hx-trigger="every 1s"' in page.content.decode()

    monkeypatch.setattr(chiso.common.uploads, "document_tables", real)
    work()
    job.refresh_from_db()
    assert job.state == PapiImportState.DONE and job.outcome["matched"] == 2, job.errors
    assessment = Assessment.objects.get(version__framework__index="PAPI", year=2024)
    page = client.get(reverse("surveys:papi_job", args=[job.public_id]), HTTP_HX_REQUEST="true").content.decode()
    assert "Đã nạp PAPI 2024: 2 tỉnh" in page and reverse("analysis:gap", args=[assessment.public_id]) in page
    assert "hx-trigger" not in page and "<nav" not in page  # the fragment, and it stops polling


def test_a_broken_document_fails_by_name_without_retry(client, daklak_coordinator,  # noqa: F811
                                                       django_capture_on_commit_callbacks):
    client.force_login(daklak_coordinator)
    post(client, "papi.docx", b"PK\x03\x04 not a zip", django_capture_on_commit_callbacks)
    work()
    job = PapiImport.objects.get()
    assert job.state == PapiImportState.FAILED and not job.retryable
    page = client.get(reverse("surveys:papi_job", args=[job.public_id])).content.decode()
    assert "papi.docx" in page and 'data-testid="retry"' not in page


def test_a_lost_worker_fails_the_job_and_thu_lai_reads_it_again(client, daklak_coordinator,  # noqa: F811
                                                                 django_capture_on_commit_callbacks):
    client.force_login(daklak_coordinator)
    post(client, "papi.docx", papi_docx(), django_capture_on_commit_callbacks)
    job = PapiImport.objects.get()
    # a worker took it and died: READING since long ago
    PapiImport.objects.filter(pk=job.pk).update(state=PapiImportState.READING,
                                                started_at=timezone.now() - dt.timedelta(hours=2))
    assert papi_imports_recover(now=timezone.now(), reading_limit=dt.timedelta(minutes=5),
                                queue_limit=dt.timedelta(hours=1)) == 1
    page = client.get(reverse("surveys:papi_job", args=[job.public_id])).content.decode()
    assert "dừng đột ngột" in page and 'data-testid="retry"' in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("surveys:papi_job", args=[job.public_id]))
    job.refresh_from_db()
    assert job.state == PapiImportState.QUEUED and job.attempt == 2
    work()  # the first attempt's queued task finds its attempt gone; the second loads
    job.refresh_from_db()
    assert job.state == PapiImportState.DONE


def test_a_job_waiting_past_the_queue_limit_fails(daklak_coordinator, client,  # noqa: F811
                                                  django_capture_on_commit_callbacks):
    client.force_login(daklak_coordinator)
    post(client, "papi.docx", papi_docx(), django_capture_on_commit_callbacks)
    later = timezone.now() + dt.timedelta(hours=2)
    assert papi_imports_recover(now=later, reading_limit=dt.timedelta(minutes=5), queue_limit=dt.timedelta(hours=1)) == 1
    job = PapiImport.objects.get()
    assert job.state == PapiImportState.FAILED and job.retryable and "60 phút" in job.errors[0]


def test_only_the_uploader_sees_the_job(client, daklak_coordinator, world,  # noqa: F811
                                        django_capture_on_commit_callbacks):
    client.force_login(daklak_coordinator)
    post(client, "papi.docx", papi_docx(), django_capture_on_commit_callbacks)
    url = reverse("surveys:papi_job", args=[PapiImport.objects.get().public_id])
    colleague = UserFactory(unit=daklak_coordinator.unit, role=Role.COORDINATOR)
    for user, status in ((world.coordinator, 404), (colleague, 404), (world.own, 403)):
        client.force_login(user)
        assert client.get(url).status_code == status, user
        assert client.post(url).status_code == status, user
