"""Upload → background reading by the real DB worker → preview → confirm or discard."""
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from chiso.ingest.models import Upload, UploadStatus
from chiso.plans.models import Plan, Task
from chiso.units.models import Unit
from tests.factories import UserFactory

pytestmark = pytest.mark.jobs

DEMO = Path(__file__).resolve().parents[2] / "chiso" / "data" / "demo"
APPRAISAL = """UBND TỈNH ĐẮK NÔNG
SỞ NỘI VỤ
Số: 88/SNV-CCHC
Đắk Nông, ngày 05 tháng 3 năm 2024

BÁO CÁO
KẾT QUẢ THẨM ĐỊNH CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2023 VÀ GIẢI PHÁP KHẮC PHỤC

PHỤ LỤC: BẢNG ĐIỂM BỊ TRỪ CHỈ SỐ PAR INDEX NĂM 2023
STT\tTiêu chí\tĐiểm tối đa\tĐiểm thẩm định\tĐiểm bị trừ\tLý do bị trừ điểm\tGiải pháp khắc phục\tCơ quan chủ trì
1\tCÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC\t9,5\t8,75\t-0,75\t\t\t
1.1\tThực hiện kế hoạch CCHC\t1,5\t1,25\t-0,25\tCòn 01 nhiệm vụ chưa hoàn thành đúng tiến độ\tĐôn đốc hoàn thành 100% nhiệm vụ\tSở Nội vụ
1.3\tCông tác kiểm tra CCHC\t2\t1,5\t-0,5\tChưa kiểm tra đủ 30% cơ quan chuyên môn\tKiểm tra từ 30% cơ quan trở lên\tSở Nội vụ
""".encode()


def upload(client, name, content, capture):
    with capture(execute=True):
        response = client.post(reverse("ingest:new"), {"file": SimpleUploadedFile(name, content)})
    return response


def work():
    """The real worker of the configured queue (the database, or Redis in CI's second pass)."""
    call_command("worker", "--batch", verbosity=0)


def test_seed_upload_preview_confirm(client, coordinator, django_capture_on_commit_callbacks):
    client.force_login(coordinator)
    content = (DEMO / "002_612d7236c16ec5ba.txt").read_bytes()
    response = upload(client, "ke-hoach-475.txt", content, django_capture_on_commit_callbacks)
    item = Upload.objects.get()
    assert response.status_code == 302 and item.status == UploadStatus.QUEUED
    assert Plan.objects.count() == 0
    work()
    item.refresh_from_db()
    assert item.status == UploadStatus.READY, item.error_message
    page = client.get(reverse("ingest:detail", kwargs={"public_id": item.public_id})).content.decode()
    assert "Chỉ số PAR INDEX" in page and "Sở Nội vụ" in page and "Xác nhận" in page
    assert Plan.objects.count() == 0  # nothing saved before confirmation
    response = client.post(reverse("ingest:confirm", kwargs={"public_id": item.public_id}))
    plan = Plan.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/ke-hoach/{plan.public_id}/")
    assert plan.number == "475/KH-UBND" and Task.objects.filter(item__table__plan=plan).count() > 80
    assert plan.source.file_name == "ke-hoach-475.txt"


@pytest.mark.parametrize("name,content", [
    ("rong.docx", b""),
    ("anh.docx", b"\x89PNG\r\n\x1a\n" + b"\x00" * 200),
    ("rac.xlsx", bytes(range(256)) * 20),
])
def test_junk_gets_a_message_and_creates_nothing(client, coordinator, django_capture_on_commit_callbacks, name, content):
    client.force_login(coordinator)
    units_before = Unit.objects.count()
    response = upload(client, name, content, django_capture_on_commit_callbacks)
    if not content:  # refused at once
        assert response.status_code == 200 and "tệp rỗng" in response.content.decode()
        assert not Upload.objects.exists()
    else:
        work()
        item = Upload.objects.get()
        assert item.status == UploadStatus.FAILED and name in item.error_message
        page = client.get(reverse("ingest:detail", kwargs={"public_id": item.public_id})).content.decode()
        assert "Không đọc được tài liệu" in page
    assert Plan.objects.count() == 0 and Unit.objects.count() == units_before


def test_oversized_file_is_refused(client, coordinator, settings, django_capture_on_commit_callbacks):
    settings.CHISO_MAX_UPLOAD_BYTES = 100
    client.force_login(coordinator)
    response = upload(client, "lon.txt", b"x" * 101, django_capture_on_commit_callbacks)
    assert "vượt giới hạn" in response.content.decode() and not Upload.objects.exists()


def test_discard_leaves_nothing(client, coordinator, django_capture_on_commit_callbacks):
    client.force_login(coordinator)
    upload(client, "a.txt", (DEMO / "003_5869b5a3940833bd.txt").read_bytes(), django_capture_on_commit_callbacks)
    item = Upload.objects.get()
    path = Path(item.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("ingest:discard", kwargs={"public_id": item.public_id}))
    assert not Upload.objects.exists() and not path.exists() and Plan.objects.count() == 0


def test_upload_pages_by_user(client, world, three_users, django_capture_on_commit_callbacks):
    client.force_login(world.coordinator)
    upload(client, "a.txt", b"hello", django_capture_on_commit_callbacks)
    item = Upload.objects.get()
    expected = {"own": (403, 404), "other": (403, 404), "coordinator": (200, 200)}
    for who, user in three_users:
        client.force_login(user)
        new = client.get(reverse("ingest:new")).status_code
        detail = client.get(reverse("ingest:detail", kwargs={"public_id": item.public_id})).status_code
        assert (new, detail) == expected[who], who
        if who != "coordinator":
            confirm = client.post(reverse("ingest:confirm", kwargs={"public_id": item.public_id})).status_code
            assert confirm == 403, who


@pytest.fixture
def appraisal_upload(client, coordinator, django_capture_on_commit_callbacks):
    """The appraisal report above, uploaded by the Đắk Nông coordinator and read by the worker."""
    client.force_login(coordinator)
    upload(client, "tham-dinh-2023.txt", APPRAISAL, django_capture_on_commit_callbacks)
    work()
    return Upload.objects.get()


def confirm_results(client, item, unit):
    return client.post(reverse("ingest:confirm_results", kwargs={"public_id": item.public_id}), {"unit": unit.public_id})


def test_an_appraisal_table_loads_as_the_units_results(client, appraisal_upload):
    """A Sở Nội vụ appraisal report (scores, deductions, reasons) becomes a unit's 2023 results, not a plan."""
    from chiso.scores.models import Assessment, Score
    from chiso.units.reference import province

    item = appraisal_upload
    assert item.status == UploadStatus.READY and item.has_scores
    page = client.get(reverse("ingest:detail", kwargs={"public_id": item.public_id})).content.decode()
    assert 'data-testid="confirm-results"' in page
    dak_nong = province("Đắk Nông")
    response = confirm_results(client, item, dak_nong)
    assert response.status_code == 302 and response["Location"].endswith(f"/don-vi/{dak_nong.public_id}/")
    assessment = Assessment.objects.get(unit=dak_nong, year=2023)
    score = Score.objects.get(assessment=assessment, criterion__code="1.3")
    assert score.score == Decimal("1.5") and "30%" in score.reason
    assert Plan.objects.count() == 0
    item.refresh_from_db()
    assert item.status == UploadStatus.LOADED and item.results_unit == dak_nong
    scores = Score.objects.count()
    again = confirm_results(client, item, dak_nong)  # loaded already: refused with a message
    assert again["Location"].endswith(f"/tai-lieu/{item.public_id}/") and Score.objects.count() == scores


def test_results_go_only_to_units_in_scope(client, appraisal_upload):
    from chiso.units.reference import province

    assert confirm_results(client, appraisal_upload, province("Gia Lai")).status_code == 404


def test_a_plan_of_a_province_outside_ones_scope_is_not_loaded_for_it(client, demo_reference,
                                                                       django_capture_on_commit_callbacks):
    """A Đắk Lắk coordinator uploads Đắk Nông's plan: the preview says so and asks for an issuer,
    and confirming without choosing one loads nothing (never silently under another unit)."""
    from chiso.units.reference import province

    daklak = UserFactory(username="snv-dl", unit=province("Đắk Lắk").children.get(name="Sở Nội vụ"),
                         role="coordinator")
    client.force_login(daklak)
    upload(client, "ke-hoach-475.txt", (DEMO / "002_612d7236c16ec5ba.txt").read_bytes(),
           django_capture_on_commit_callbacks)
    work()
    item = Upload.objects.get()
    page = client.get(reverse("ingest:detail", kwargs={"public_id": item.public_id})).content.decode()
    assert 'data-testid="issuer-out-of-scope"' in page and "— chọn đơn vị ban hành —" in page
    response = client.post(reverse("ingest:confirm", kwargs={"public_id": item.public_id}))
    assert response["Location"].endswith(f"/tai-lieu/{item.public_id}/") and not Plan.objects.exists()
    chosen = client.post(reverse("ingest:confirm", kwargs={"public_id": item.public_id}),
                         {"issuer": province("Đắk Lắk").public_id})
    assert Plan.objects.get().issuer == province("Đắk Lắk") and chosen.status_code == 302


def test_a_ministrys_results_table_offers_the_province_its_title_names(client, coordinator,
                                                                      django_capture_on_commit_callbacks):
    text = ("BỘ NỘI VỤ\nKẾT QUẢ THẨM ĐỊNH CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2023 CỦA TỈNH ĐẮK NÔNG\n\n"
            "STT\tTiêu chí\tĐiểm tối đa\tĐiểm thẩm định\tLý do bị trừ điểm\n"
            "1.1\tThực hiện kế hoạch CCHC\t1,5\t1\tChưa hoàn thành 01 nhiệm vụ\n")
    client.force_login(coordinator)
    upload(client, "kq-bnv.txt", text.encode(), django_capture_on_commit_callbacks)
    work()
    item = Upload.objects.get()
    response = client.get(reverse("ingest:detail", kwargs={"public_id": item.public_id}))
    from chiso.units.reference import province

    assert response.context["results_unit"] == province("Đắk Nông")
    assert 'data-testid="issuer-out-of-scope"' in response.content.decode()  # Bộ Nội vụ issued it
