"""In a real browser, with the real background worker: upload a seed document, watch the
progress, read the preview, confirm, and find the plan with its tasks and agencies; upload
junk and get a message, with nothing created."""
from pathlib import Path

import pytest
from django.core.management import call_command

from chiso.plans.models import Plan, Task
from chiso.units.models import Unit
from tests.browser.conftest import login
from tests.factories import UserFactory

DEMO = Path(__file__).resolve().parents[2] / "chiso" / "data" / "demo"
pytestmark = [pytest.mark.browser, pytest.mark.jobs, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def coordinator(demo_reference, settings, tmp_path):
    from chiso.units.reference import province

    settings.MEDIA_ROOT = tmp_path / "media"
    UserFactory(username="snv", unit=province("Đắk Nông").children.get(name="Sở Nội vụ"), role="coordinator")


def run_worker():
    """The real worker of the configured queue, in batch mode: reads what is queued, then returns."""
    call_command("worker", "--batch", verbosity=0)


def upload(page, live_server, path: Path):
    page.goto(f"{live_server.url}/tai-lieu/")
    page.set_input_files("#id_file", str(path))
    page.get_by_role("button", name="Tải lên và đọc").click()
    page.wait_for_url(lambda url: url.rstrip("/") != f"{live_server.url}/tai-lieu")


def test_upload_seed_watch_progress_confirm(live_server, browser_page, coordinator):
    page = browser_page
    login(page, live_server, "snv", "secret-pass-1")
    upload(page, live_server, DEMO / "002_612d7236c16ec5ba.txt")
    bar = page.get_by_role("progressbar")
    assert bar.is_visible()  # queued: the bar is there before the worker starts
    assert Plan.objects.count() == 0
    run_worker()
    # the page polls, sees the reading finished and reloads itself into the preview
    page.get_by_test_id("preview-tables").wait_for()
    assert "Chỉ số PAR INDEX" in page.get_by_test_id("preview-tables").inner_text()
    agencies = page.get_by_test_id("agencies").inner_text()
    assert "Sở Nội vụ" in agencies and "khớp" in agencies
    assert Plan.objects.count() == 0  # nothing saved before confirmation
    page.get_by_role("button", name="Xác nhận và nạp thành kế hoạch").click()
    page.wait_for_url("**/ke-hoach/*/")
    assert "Đã nạp kế hoạch" in page.locator(".alert").first.inner_text()
    body = page.locator("main").inner_text()
    assert "475/KH-UBND" in body and "Chủ trì" in body and "Sở Nội vụ" in body
    plan = Plan.objects.get()
    assert Task.objects.filter(item__table__plan=plan).count() > 80


def test_junk_upload_gets_a_message_and_creates_nothing(live_server, browser_page, coordinator, tmp_path):
    page = browser_page
    login(page, live_server, "snv", "secret-pass-1")
    units_before = Unit.objects.count()
    junk = tmp_path / "ke-hoach.docx"
    junk.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)  # an image renamed .docx
    upload(page, live_server, junk)
    run_worker()
    error = page.get_by_test_id("read-error")
    error.wait_for()
    assert "ke-hoach.docx" in error.inner_text()
    assert Plan.objects.count() == 0 and Unit.objects.count() == units_before
    page.get_by_role("button", name="Huỷ tài liệu này").click()
    page.wait_for_url(f"{live_server.url}/tai-lieu/")
    assert "không có gì được lưu" in page.locator(".alert").first.inner_text()


def test_empty_file_is_refused_at_once(live_server, browser_page, coordinator, tmp_path):
    page = browser_page
    login(page, live_server, "snv", "secret-pass-1")
    empty = tmp_path / "rong.xlsx"
    empty.write_bytes(b"")
    page.goto(f"{live_server.url}/tai-lieu/")
    page.set_input_files("#id_file", str(empty))
    page.get_by_role("button", name="Tải lên và đọc").click()
    page.locator(".alert").first.wait_for()
    assert "rong.xlsx: tệp rỗng" in page.locator(".alert").first.inner_text()
