"""In a real browser: a document whose column the reader guesses wrong ("Ghi chú" holds the
lead agencies) is uploaded, the person changes the column's type in the preview, corrects a
cell, confirms, and finds the corrected plan."""
import pytest

from chiso.ingest.models import Upload
from chiso.plans.models import Assignment, Plan
from tests.browser.conftest import login
from tests.browser.test_upload_flow import coordinator, run_worker, upload  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOCUMENT = """ỦY BAN NHÂN DÂN
TỈNH ĐẮK NÔNG
Số: 12/KH-UBND
Đắk Nông, ngày 10 tháng 3 năm 2025
KẾ HOẠCH
CẢI THIỆN CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2025

STT\tTiêu chí\tĐiểm tối đa\tNhiệm vụ, giải pháp\tGhi chú
1\tCÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC\t9,5\t\t
1.1\tThực hiện kế hoạch CCHC\t1,5\tBan hành kế hoạch CCHC năm 2025 đúng hạn\tSở Nội vụ
1.2\tThực hiện chế độ báo cáo CCHC định kỳ\t0,5\tGửi báo cáo đúng hạn\tVăn phòng UBND tỉnh
"""


def test_correct_a_wrong_column_guess_then_confirm(live_server, browser_page, coordinator, tmp_path):  # noqa: F811
    page = browser_page
    login(page, live_server, "snv", "secret-pass-1")
    doc = tmp_path / "ke-hoach-12.txt"
    doc.write_text(DOCUMENT, encoding="utf-8")
    upload(page, live_server, doc)
    run_worker()
    review = page.get_by_test_id("review")
    review.wait_for()
    table = page.get_by_test_id("review-table-0")
    assert "Sở Nội vụ" in table.inner_text() and "Ghi chú" in table.inner_text()
    # the "Ghi chú" column holds the lead agencies: read it as "Cơ quan chủ trì"
    page.get_by_label("Đổi kiểu cột Ghi chú", exact=True).first.select_option(label="Cơ quan chủ trì")
    page.get_by_role("button", name="Đổi kiểu cột Ghi chú").click()
    page.get_by_test_id("corrections").wait_for()
    assert "text.lead" in page.get_by_test_id("corrections").inner_text()
    # a cell corrected by hand: 1.2's task
    page.get_by_role("link", name="Sửa dòng 3").click()
    form = page.get_by_test_id("edit-row")
    form.get_by_label("Nhiệm vụ, giải pháp").fill("Gửi đủ 4 báo cáo quý đúng hạn")
    form.get_by_role("button", name="Lưu sửa đổi dòng này").click()
    page.get_by_test_id("corrections").wait_for()
    assert Plan.objects.count() == 0  # nothing loaded before confirmation
    assert len(Upload.objects.get().corrections) == 2
    page.get_by_role("button", name="Xác nhận và nạp thành kế hoạch").click()
    page.wait_for_url("**/ke-hoach/*/")
    body = page.locator("main").inner_text()
    assert "Gửi đủ 4 báo cáo quý đúng hạn" in body and "Sở Nội vụ" in body
    plan = Plan.objects.get()
    leads = {a.task.item.code: a.unit.name for a in Assignment.objects.filter(task__item__table__plan=plan, role="lead")}
    assert leads == {"1.1": "Sở Nội vụ", "1.2": "Văn phòng UBND tỉnh"}
