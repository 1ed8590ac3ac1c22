"""The three results imports measure a file before reading it, read spreadsheets in a bounded
child process, and hand documents to the background reader instead of reading them in the request."""
import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from chiso.ingest.models import Upload, UploadStatus
from chiso.scores.models import Assessment, PublishedResult, ResultsTable, Score
from tests.analysis.conftest import golden
from tests.reader.bombs import xlsx_bomb

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "reader" / "002_612d7236c16ec5ba.docx"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def year(frameworks, world):
    return Assessment.objects.create(unit=world.province, version=frameworks["PAR_INDEX"], year=2024)


@pytest.fixture
def no_reading_here(monkeypatch):
    """Fails the test if this process parses a document or a spreadsheet itself."""
    def refuse(*args, **kwargs):
        raise AssertionError("read inside the web process")

    monkeypatch.setattr("chiso.reader.read_document", refuse)
    monkeypatch.setattr("chiso.reader.read_bytes", refuse)
    monkeypatch.setattr("chiso.reader.formats.sheets.iter_values", refuse)
    monkeypatch.setattr("python_calamine.CalamineWorkbook.from_filelike", refuse, raising=False)


def test_a_word_document_goes_to_the_background_reader(client, world, no_reading_here,
                                                       django_capture_on_commit_callbacks):
    client.force_login(world.coordinator)
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(reverse("analysis:import_document", args=[world.province.public_id]),
                               {"file": SimpleUploadedFile("ket-qua.docx", FIXTURE.read_bytes())})
    upload = Upload.objects.get()
    assert upload.status == UploadStatus.QUEUED and upload.reading is None
    assert response.status_code == 302
    assert response["Location"] == reverse("ingest:detail", args=[upload.public_id]) + f"?unit={world.province.public_id}"


def test_the_document_page_offers_the_unit_it_came_from(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.coordinator)
    upload = Upload.objects.create(file_name="kq.json", sha256="0", size=1, uploaded_by=world.coordinator,
                                   status=UploadStatus.READY, reading=golden())
    page = client.get(reverse("ingest:detail", args=[upload.public_id]) + f"?unit={world.province.public_id}")
    form = page.content.decode().split('data-testid="confirm-results"')[1]
    assert f'value="{world.province.public_id}" selected' in form


def test_a_json_document_is_still_loaded_at_once(client, world, frameworks):
    client.force_login(world.coordinator)
    body = json.dumps(golden()).encode()
    response = client.post(reverse("analysis:import_document", args=[world.province.public_id]),
                           {"file": SimpleUploadedFile("kh475.json", body)})
    assert response.status_code == 302 and Score.objects.filter(assessment__unit=world.province).exists()


@pytest.mark.parametrize("url_name", ["import_sheet", "import_table", "import_document"])
def test_an_oversized_file_is_refused_before_it_is_read(client, world, year, settings, no_reading_here, url_name):
    settings.CHISO_MAX_UPLOAD_BYTES = 1000
    client.force_login(world.coordinator)
    args = {"import_sheet": [year.public_id], "import_document": [world.province.public_id]}.get(url_name, [])
    data = {"file": SimpleUploadedFile("lon.json" if url_name == "import_document" else "lon.xlsx", b"x" * 2000),
            "index": "PAR_INDEX", "year": "2024"}
    response = client.post(reverse(f"analysis:{url_name}", args=args), data)
    assert response.status_code == 400
    assert "lon." in response.content.decode() and "vượt giới hạn 0,0 MB" in response.content.decode()
    assert not Upload.objects.exists()


def test_a_zip_bomb_sheet_is_refused_with_a_message(client, world, year):
    bomb, _cells = xlsx_bomb(4 * 1024 * 1024)
    client.force_login(world.coordinator)
    response = client.post(reverse("analysis:import_sheet", args=[year.public_id]),
                           {"file": SimpleUploadedFile("bom.xlsx", bomb)})
    assert response.status_code == 400 and "bom.xlsx" in response.content.decode()
    assert "nén 1" in response.content.decode()
    response = client.post(reverse("analysis:import_table"), {"file": SimpleUploadedFile("bom.xlsx", bomb),
                                                             "index": "PAR_INDEX", "year": "2024", "scope": "rieng"})
    assert response.status_code == 400 and not PublishedResult.objects.filter(year=2024).exists()
    assert not ResultsTable.objects.exists()
