"""`chiso backup` then `chiso restore` into an empty database and storage: the demo with its
evidence and an uploaded document comes back row for row and byte for byte, and loading the
same plan again creates nothing; a non-empty database or storage and a damaged backup are refused."""
import hashlib
import json
import shutil

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from chiso.web.backup import row_counts, stored_names

pytestmark = pytest.mark.django_db(transaction=True)


def stored_files() -> dict[str, str]:
    return {name: hashlib.sha256(default_storage.open(name).read()).hexdigest() for name in stored_names()}


def wipe(media) -> None:
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(media, ignore_errors=True)


def test_backup_and_restore_round_trip_the_demo(tmp_path, settings, django_capture_on_commit_callbacks):
    from chiso.accounts.models import User
    from chiso.demo.steps import demo_documents, read_demo_document
    from chiso.ingest.services import upload_create
    from chiso.plans.services import plan_load

    settings.MEDIA_ROOT = media = tmp_path / "media"
    call_command("setup_demo", stdout=open("/dev/null", "w"))  # frameworks, units, 3 plans, a report with a PDF
    upload_create(actor=User.objects.get(username="snv.daklak"),
                  uploaded_file=SimpleUploadedFile("ke-hoach.txt", demo_documents()[0].read_bytes()))
    counts, files = row_counts(), stored_files()
    appraisal_files = [name for name in files if name.startswith("appraisal/")]  # the province's own index
    assert len(files) - len(appraisal_files) == 2 and appraisal_files
    assert counts["plans.Plan"] == 3 and counts["progress.Evidence"] >= 1

    out = tmp_path / "sao-luu"
    call_command("backup", str(out), stdout=open("/dev/null", "w"))
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["counts"] == counts
    assert {f["name"]: f["sha256"] for f in manifest["files"]} == files
    with pytest.raises(CommandError, match="Thư mục .* đã có dữ liệu"):
        call_command("backup", str(out))

    users = counts["accounts.User"]
    with pytest.raises(CommandError, match=f"Cơ sở dữ liệu đích không trống .*accounts.User: {users} dòng"):
        call_command("restore", str(out))
    call_command("flush", interactive=False, verbosity=0)
    with pytest.raises(CommandError, match="Kho tệp đích không trống"):
        call_command("restore", str(out))
    wipe(media)

    damaged = tmp_path / "hong"
    shutil.copytree(out, damaged)
    evidence = next(p for p in (damaged / "files").rglob("*.pdf"))
    evidence.write_bytes(evidence.read_bytes() + b"x")
    with pytest.raises(CommandError, match="(?s)không nguyên vẹn.*SHA-256 không khớp"):
        call_command("restore", str(damaged))
    assert row_counts()["plans.Plan"] == 0

    call_command("restore", str(out), stdout=open("/dev/null", "w"))
    assert row_counts() == counts
    assert stored_files() == files

    for path in demo_documents():  # the same plans loaded again: nothing new
        assert plan_load(actor=None, document=read_demo_document(path)).existing
    assert row_counts() == counts
    assert User.objects.get(username="snv.daklak").check_password("chiso-demo")
