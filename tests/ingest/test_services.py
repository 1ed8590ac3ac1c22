"""The upload services check their actor themselves: the uploader's role, and that the upload is theirs."""
import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from chiso.ingest.models import Upload, UploadStatus
from chiso.ingest.services import upload_confirm, upload_create, upload_discard
from chiso.plans.models import Plan
from tests.factories import UnitFactory, UserFactory


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_only_coordinators_upload_and_only_the_uploader_confirms_or_discards(db, django_capture_on_commit_callbacks):
    coordinator = UserFactory(unit=UnitFactory(), role="coordinator")
    with pytest.raises(PermissionDenied):
        upload_create(actor=UserFactory(role="officer"), uploaded_file=SimpleUploadedFile("a.txt", b"x"))
    with django_capture_on_commit_callbacks(execute=False):
        upload = upload_create(actor=coordinator, uploaded_file=SimpleUploadedFile("a.txt", b"x"))
    Upload.objects.filter(pk=upload.pk).update(status=UploadStatus.READY, reading={"schema": "x", "tables": []})
    other = UserFactory(unit=UnitFactory(), role="coordinator")
    with pytest.raises(PermissionDenied):
        upload_confirm(actor=other, upload=upload)
    with pytest.raises(PermissionDenied):
        upload_discard(actor=other, upload=upload)
    assert Upload.objects.filter(pk=upload.pk).exists() and not Plan.objects.exists()
