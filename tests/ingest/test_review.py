"""The preview's human in the loop, through the real worker: a wrong column guess corrected,
rows merged, a stale form refused, and a ranking of units confirmed as their results."""
from decimal import Decimal

import pytest
from django.urls import reverse

from chiso.ingest.models import Upload, UploadStatus
from chiso.plans.models import Assignment, Plan
from chiso.scores.models import Assessment

from .test_upload_flow import upload, work

pytestmark = pytest.mark.django_db

# "Ghi chú" holds the lead agency: the reader reads a note, the person corrects the column
NOTE_IS_LEAD = """ỦY BAN NHÂN DÂN
TỈNH ĐẮK NÔNG
Số: 12/KH-UBND
Đắk Nông, ngày 10 tháng 3 năm 2025
KẾ HOẠCH
CẢI THIỆN CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2025

STT\tTiêu chí\tĐiểm tối đa\tNhiệm vụ, giải pháp\tGhi chú
1\tCÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC\t9,5\t\t
1.1\tThực hiện kế hoạch CCHC\t1,5\tBan hành kế hoạch CCHC năm 2025 đúng hạn\tSở Nội vụ
1.2\tThực hiện chế độ báo cáo CCHC định kỳ\t0,5\tGửi báo cáo đúng hạn\tVăn phòng UBND tỉnh
\tđúng quy định\t\t\t
""".encode()

RANKING = """ỦY BAN NHÂN DÂN
TỈNH ĐẮK NÔNG
Số: 30/QĐ-UBND
Đắk Nông, ngày 20 tháng 2 năm 2025
QUYẾT ĐỊNH
CÔNG BỐ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2024 CỦA CÁC SỞ, BAN, NGÀNH

KẾT QUẢ XẾP HẠNG CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2024 CỦA CÁC SỞ, BAN, NGÀNH
STT\tCơ quan, đơn vị\tĐiểm thẩm định (tối đa 65)\tĐiểm điều tra XHH (tối đa 35)\tTổng điểm\tChỉ số (%)\tXếp hạng
1\tSở Tư pháp\t60,5\t30,25\t90,75\t90,75\t1
2\tSở Nội vụ\t58\t31\t89\t89\t2
3\tSở Y tế\t55,5\t28\t83,5\t83,5\t3
""".encode()


def _ready(client, coordinator, name, content, capture) -> Upload:
    client.force_login(coordinator)
    upload(client, name, content, capture)
    work()
    item = Upload.objects.get(file_name=name)
    assert item.status == UploadStatus.READY, item.error_message
    return item


def _post(client, item, **data):
    return client.post(reverse("ingest:correct", kwargs={"public_id": item.public_id}), data)


def test_a_wrong_column_guess_is_corrected_then_loaded(client, coordinator, django_capture_on_commit_callbacks):
    item = _ready(client, coordinator, "ke-hoach-12.txt", NOTE_IS_LEAD, django_capture_on_commit_callbacks)
    page = client.get(reverse("ingest:detail", kwargs={"public_id": item.public_id})).content.decode()
    assert 'data-testid="review"' in page and "Ghi chú" in page
    _post(client, item, kind="column", table=0, **{"from": "text.note", "to": "text.lead"}, version=0)
    item.refresh_from_db()
    assert [c["to"] for c in item.corrections] == ["text.lead"] and item.corrections[0]["by"] == "snv-dn"
    # the same form again (the page was not reloaded): stale, refused, nothing recorded
    response = _post(client, item, kind="column", table=0, **{"from": "text.note", "to": "text.lead"}, version=0)
    assert response.status_code == 302
    item.refresh_from_db()
    assert len(item.corrections) == 1
    # a row's cells edited, and the fragment under 1.2 merged into it
    _post(client, item, kind="row", table=0, row=1, version=1, **{"cell:value.max_points": "1,5",
          "was:value.max_points": "1,5", "cell:text.tasks": "Ban hành kế hoạch CCHC năm 2025 trước 31/12",
          "was:text.tasks": "Ban hành kế hoạch CCHC năm 2025 đúng hạn"})
    item.refresh_from_db()
    assert len(item.corrections) == 2  # only the changed cell is recorded
    rows = item.corrected_reading["tables"][0]["rows"]
    if len(rows) == 4:  # the reader left the fragment as a row: the person merges it
        _post(client, item, kind="merge", table=0, row=3, version=2)
    bad = _post(client, item, kind="row", table=0, row=1, version=len(Upload.objects.get().corrections),
                **{"cell:value.max_points": "abc", "was:value.max_points": "1,5"})
    assert bad.status_code == 302
    item.refresh_from_db()
    assert "abc" not in str(item.corrections)  # invalid input: a message, never a number
    client.post(reverse("ingest:confirm", kwargs={"public_id": item.public_id}))
    plan = Plan.objects.get()
    leads = {a.task.item.code: a.unit.name for a in Assignment.objects.filter(task__item__table__plan=plan, role="lead")}
    assert leads == {"1.1": "Sở Nội vụ", "1.2": "Văn phòng UBND tỉnh"}
    tasks = {t.item.code: t.text for t in plan.tables.get().items.get(code="1.1").tasks.all()}
    assert tasks["1.1"].endswith("trước 31/12")
    item.refresh_from_db()
    assert item.status == UploadStatus.LOADED and len(item.corrections) >= 2  # kept with the upload


def test_undo_takes_back_the_last_correction(client, coordinator, django_capture_on_commit_callbacks):
    item = _ready(client, coordinator, "ke-hoach-13.txt", NOTE_IS_LEAD, django_capture_on_commit_callbacks)
    _post(client, item, kind="column", table=0, **{"from": "text.note", "to": "text.lead"}, version=0)
    client.post(reverse("ingest:undo", kwargs={"public_id": item.public_id}), {"version": 1})
    item.refresh_from_db()
    assert item.corrections == []


def test_someone_else_cannot_correct(client, coordinator, django_capture_on_commit_callbacks):
    from tests.factories import UserFactory

    item = _ready(client, coordinator, "ke-hoach-14.txt", NOTE_IS_LEAD, django_capture_on_commit_callbacks)
    other = UserFactory(username="other", unit=coordinator.unit, role="coordinator")
    client.force_login(other)
    assert _post(client, item, kind="merge", table=0, row=1, version=0).status_code == 404


def test_a_ranking_of_departments_is_confirmed_as_their_results(client, coordinator, django_capture_on_commit_callbacks):
    item = _ready(client, coordinator, "xep-hang-2024.txt", RANKING, django_capture_on_commit_callbacks)
    assert item.has_unit_results and not item.has_criteria_tables
    page = client.get(reverse("ingest:detail", kwargs={"public_id": item.public_id})).content.decode()
    assert 'data-testid="unit-results"' in page and "Sở Tư pháp (khớp)" in page
    assert "Xác nhận và nạp thành kế hoạch" not in page  # a ranking is no plan
    response = client.post(reverse("ingest:confirm_units", kwargs={"public_id": item.public_id}))
    assert response.status_code == 302
    got = {a.unit.name: (a.year, a.printed_total, a.rank, a.rank_of) for a in Assessment.objects.select_related("unit")}
    assert got == {"Sở Tư pháp": (2024, Decimal("90.75"), 1, 3), "Sở Nội vụ": (2024, Decimal("89"), 2, 3),
                   "Sở Y tế": (2024, Decimal("83.5"), 3, 3)}
    item.refresh_from_db()
    assert item.status == UploadStatus.LOADED
    assert Plan.objects.count() == 0
