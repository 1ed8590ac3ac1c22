"""In a real browser at phone size (390×844): a citizen answers the SIPAS form from a printed token —
half-finished answers survive a reload, a follow-up question appears only when it applies — and the same
token is then refused; staff key in a paper form and the same serial number is refused; the coordinator
reads the results with n and intervals and downloads the report; the public page opens logged out."""
import datetime as dt

import pytest
from django.utils import timezone

from chiso.accounts.models import Role
from chiso.surveys import services
from chiso.surveys.models import Publication, RespondentToken, Response
from tests.browser.conftest import login
from tests.factories import ProvinceFactory, UnitFactory, UserFactory

PASSWORD = "secret-pass-1"
PHONE = {"width": 390, "height": 844}
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def campaign(frameworks):
    province = ProvinceFactory(name="Đắk Lắk")
    home_affairs = UnitFactory(name="Sở Nội vụ", parent=province)
    counter = UnitFactory(name="Bộ phận Một cửa phường Buôn Ma Thuột", parent=province, kind="commune")
    coordinator = UserFactory(username="dieuphoi", unit=home_affairs, role=Role.COORDINATOR)
    UserFactory(username="motcua", unit=counter, role=Role.OFFICER)
    sipas = next(q for q in services.bundled_questionnaires_load(actor=None) if q.code == "sipas-qd1001")
    today = timezone.localdate()
    c = services.campaign_create(actor=coordinator, owner=province, questionnaire=sipas,
                                 data=services.CampaignInput("Khảo sát SIPAS năm 2025", 2025,
                                                             today - dt.timedelta(days=3), today + dt.timedelta(days=30)))
    services.campaign_units_save(actor=coordinator, campaign=c, rows=[services.UnitRow(counter, 1200)])
    services.campaign_set_state(actor=coordinator, campaign=c, state="open")
    cu = c.units.get()
    services.tokens_issue(actor=coordinator, campaign_unit=cu, count=2)
    return c, cu, coordinator


def rate_all(page, level: str) -> None:
    for i in range(1, 17):
        page.locator(f"#q-C{i} input[value='{level}']").check()


def test_answer_from_a_token_then_refused(live_server, new_page, campaign):
    c, cu, _ = campaign
    key = RespondentToken.objects.filter(campaign_unit=cu).first().key
    page = new_page(PHONE)
    page.goto(f"{live_server.url}/khao-sat/{key}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling on a phone
    page.get_by_label("Đất đai").check()
    page.locator("#q-C1 input[value='4']").check()
    assert page.locator("#q-C18").is_hidden()  # asked only after "Có" at the previous question
    page.locator("#q-C17").get_by_label("Có", exact=True).check()
    assert page.locator("#q-C18").is_visible()
    page.locator("#q-C17").get_by_label("Không", exact=True).check()
    assert page.locator("#q-C18").is_hidden()
    page.reload()  # half-finished answers are kept on the phone
    assert page.locator("#draft-note").is_visible()
    assert page.get_by_label("Đất đai").is_checked() and page.locator("#q-C1 input[value='4']").is_checked()
    page.get_by_role("button", name="Gửi phiếu").click()
    summary = page.get_by_test_id("errors")
    assert "còn" in summary.inner_text() and page.evaluate("document.activeElement.id") == "loi"
    rate_all(page, "5")
    page.locator("#id_Y1").focus()
    page.keyboard.type("Cán bộ tận tình.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the send button, from the keyboard
    page.wait_for_selector("[data-testid=thanks]")
    assert page.evaluate(f"window.localStorage.getItem('khaosat:{key}')") is None
    page.goto(f"{live_server.url}/khao-sat/{key}/")
    assert "chỉ dùng được một lần" in page.get_by_test_id("refused").inner_text()
    assert Response.objects.filter(campaign=c).count() == 1


def test_paper_entry_results_and_public_page(live_server, new_page, campaign):
    c, cu, coordinator = campaign
    staff = new_page(PHONE)
    login(staff, live_server, "motcua", PASSWORD)
    staff.goto(f"{live_server.url}/dieu-tra/don-vi/{cu.public_id}/nhap-phieu/")
    for serial in ("GIAY-001", "GIAY-001"):
        staff.fill("#id_serial", serial)
        staff.get_by_label("Xây dựng").check()
        rate_all(staff, "4")
        staff.get_by_role("button", name="Lưu phiếu này").click()
        staff.wait_for_load_state()
    assert "đã được nhập trước đó" in staff.get_by_test_id("errors").inner_text()
    for k in range(2, 12):  # ten more paper forms, so that the unit's cell is shown
        services.response_enter(actor=coordinator, campaign_unit=cu, serial=f"GIAY-{k:03d}", data=_Form(k),
                                today=timezone.localdate())
    boss = new_page()
    login(boss, live_server, "dieuphoi", PASSWORD)
    boss.goto(f"{live_server.url}/dieu-tra/dot/{c.public_id}/ket-qua/")
    elements = boss.get_by_test_id("elements").inner_text()
    assert "Tiếp cận dịch vụ" in elements and "–" in elements
    with boss.expect_download() as download:
        boss.get_by_role("link", name="Báo cáo (Word)").click()
    assert download.value.suggested_filename.endswith(".docx")
    services.campaign_set_public(actor=coordinator, campaign=c, public=True)
    pub = Publication.objects.create(owner=c.owner, enabled=True)
    visitor = new_page(PHONE)
    visitor.goto(f"{live_server.url}/cong-khai/{pub.slug}/")
    assert "Khảo sát SIPAS năm 2025" in visitor.get_by_test_id("survey").inner_text()


class _Form(dict):
    def __init__(self, k):
        super().__init__({f"C{i}": [str(3 + k % 3)] for i in range(1, 17)})
        self["F1"] = ["ho-tich"]

    def getlist(self, key):
        return self.get(key, [])
