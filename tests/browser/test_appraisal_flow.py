"""In a real browser, the province's own index (issue 12): a department's officer self-scores with
evidence, its leader submits; an appraiser sends one criterion back; the unit answers in the same
place; the council's lead appraises and finalises."""
import datetime as dt
from decimal import Decimal as D

import pytest
from django.utils import timezone

from chiso.appraisal import services
from chiso.appraisal.models import SendBack, SheetState
from tests.appraisal.conftest import ap  # noqa: F401  (fixture)
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PDF = b"%PDF-1.4\n%%EOF\n"


def test_self_score_submit_send_back_answer_finalise(live_server, new_page, ap, tmp_path):  # noqa: F811
    sheet = ap.sheet
    services.survey_points_set(actor=ap.u.coordinator, cycle=ap.cycle, rows=[
        services.PointRow(ap.justice, "2.1", D(5)), services.PointRow(ap.justice, "2.2", D(3))])
    one, two = (sheet.entries.get(criterion__code=code).public_id for code in ("1.1", "1.2"))
    evidence = tmp_path / "ke-hoach-cchc-2026.pdf"
    evidence.write_bytes(PDF)

    # the department's officer: a score with a file, a score with an explanation
    officer = new_page()
    login(officer, live_server, "officer", "secret-pass-1")
    officer.goto(f"{live_server.url}/chi-so-noi-bo/phieu/{sheet.public_id}/")
    card = officer.locator(f"#e-{one}")
    card.get_by_label("Điểm tự chấm").fill("3,5")
    card.get_by_label("Thêm tệp kiểm chứng").set_input_files(str(evidence))
    card.get_by_role("button", name="Lưu", exact=True).click()
    officer.locator(f"#e-{one} [data-testid=evidence]").get_by_text("ke-hoach-cchc-2026.pdf").wait_for()
    assert officer.locator(f"#e-{one} [data-testid=self-score]").inner_text() == "3,5"
    card = officer.locator(f"#e-{two}")
    card.get_by_label("Điểm tự chấm").fill("5")
    card.get_by_label("Giải trình (bắt buộc khi thiếu tài liệu kiểm chứng hoặc không áp dụng)").fill(
        "Báo cáo gửi qua Hệ thống thông tin báo cáo của tỉnh")
    card.get_by_role("button", name="Lưu", exact=True).click()
    officer.locator(f"#e-{two} [data-testid=self-score]").get_by_text("5").wait_for()

    # its leader approves and submits
    leader = new_page()
    login(leader, live_server, "unitleader", "secret-pass-1")
    leader.goto(f"{live_server.url}/chi-so-noi-bo/phieu/{sheet.public_id}/")
    leader.get_by_role("button", name="Duyệt và gửi Hội đồng thẩm định").click()
    leader.get_by_test_id("sheet-state").get_by_text("Đã gửi, chờ thẩm định").wait_for()

    # the appraiser (field 1) sends 1.1 back for more evidence
    appraiser = new_page()
    login(appraiser, live_server, "appraiser", "secret-pass-1")
    appraiser.goto(f"{live_server.url}/chi-so-noi-bo/phieu/{sheet.public_id}/tham-dinh/")
    appraiser.get_by_label("Yêu cầu giải trình tiêu chí 1.1").check()
    appraiser.get_by_label("Nội dung").fill("Bổ sung quyết định ban hành kế hoạch")
    appraiser.get_by_label("Hạn trả lời").fill((timezone.localdate() + dt.timedelta(days=2)).isoformat())
    appraiser.get_by_role("button", name="Gửi yêu cầu").click()
    appraiser.locator(f"#e-{one} [data-testid=send-back]").get_by_text("Bổ sung quyết định ban hành kế hoạch").wait_for()

    # the unit answers in the same place
    officer.goto(f"{live_server.url}/chi-so-noi-bo/phieu/{sheet.public_id}/")
    box = officer.locator(f"#e-{one} [data-testid=send-back]")
    box.get_by_label("Nội dung giải trình, bổ sung").fill("Đã bổ sung Quyết định số 15/QĐ-STP")
    box.get_by_role("button", name="Gửi giải trình").click()
    officer.locator(f"#e-{one} [data-testid=send-back]").get_by_text("Đã bổ sung Quyết định số 15/QĐ-STP").wait_for()

    # the council's lead appraises both criteria and finalises; self beside appraised with the difference
    lead = new_page()
    login(lead, live_server, "councillead", "secret-pass-1")
    lead.goto(f"{live_server.url}/chi-so-noi-bo/phieu/{sheet.public_id}/tham-dinh/")
    for pid, score, comment in ((one, "3", "Kế hoạch ban hành muộn"), (two, "5", "")):
        row = lead.locator(f"#e-{pid}")
        row.get_by_label("Điểm thẩm định").fill(score)
        row.get_by_label("Ý kiến").fill(comment)
        row.get_by_role("button", name="Lưu", exact=True).click()
        lead.locator(f"#e-{pid} [data-testid=appraised]").get_by_text(score, exact=True).wait_for()
    assert lead.locator(f"#e-{one} [data-testid=difference]").inner_text() == "-0,5"
    lead.get_by_role("button", name="Chốt kết quả của đơn vị").click()
    lead.get_by_test_id("sheet-state").get_by_text("Đã chốt kết quả").wait_for()
    assert lead.get_by_test_id("index").inner_text() == "80%"  # (3 + 5 + 5 + 3) / 20

    sheet.refresh_from_db()
    assert sheet.state == SheetState.FINALISED
    assert SendBack.objects.get(entry__public_id=one).answer == "Đã bổ sung Quyết định số 15/QĐ-STP"
    assert dict(sheet.entries.values_list("criterion__code", "score")) == {
        "1.1": D(3), "1.2": D(5), "2.1": D(5), "2.2": D(3)}
