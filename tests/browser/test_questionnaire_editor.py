"""In a real browser, under the strict CSP: the coordinator edits the province's copy of the SIPAS
questionnaire question by question — a new single-choice question (the fields of other kinds
hidden), a refused save explained in place with what was typed kept, a question moved up — and
the public form asks the new question."""
import pytest

from chiso.accounts.models import Role
from chiso.surveys import services
from chiso.surveys.models import Questionnaire
from tests.browser.conftest import login
from tests.factories import ProvinceFactory, UnitFactory, UserFactory

PASSWORD = "secret-pass-1"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def copy():
    province = ProvinceFactory(name="Đắk Nông")
    coordinator = UserFactory(username="dieuphoi", unit=UnitFactory(name="Sở Nội vụ", parent=province),
                              role=Role.COORDINATOR)
    sipas = next(q for q in services.bundled_questionnaires_load(actor=None) if q.code == "sipas-qd1001")
    return services.questionnaire_copy(actor=coordinator, source=sipas, owner=province)


def test_edit_a_questionnaire_question_by_question(live_server, new_page, copy):
    page = new_page()
    login(page, live_server, "dieuphoi", PASSWORD)
    page.goto(f"{live_server.url}/dieu-tra/phieu/{copy.public_id}/sua/")
    page.get_by_test_id("add-question").click()
    form = page.get_by_test_id("question-form")
    form.wait_for()
    # the keyboard lands in the new form (focused once htmx has settled it: waited for, not raced)
    page.wait_for_function("document.activeElement && document.activeElement.name === 'code'", timeout=5000)
    form.get_by_label("Loại câu hỏi").select_option("single")
    assert form.get_by_label("Thang đo riêng", exact=False).is_hidden()
    assert form.get_by_label("Các lựa chọn", exact=False).is_visible()
    form.get_by_label("Nội dung câu hỏi").fill("Ông/bà nộp hồ sơ bằng cách nào?")
    form.get_by_role("button", name="Lưu câu hỏi").click()
    error = page.get_by_test_id("edit-error")
    assert "Câu C19: loại “Chọn một” cần ít nhất một lựa chọn" in error.inner_text()
    form = page.get_by_test_id("question-form")
    assert form.get_by_label("Nội dung câu hỏi").input_value() == "Ông/bà nộp hồ sơ bằng cách nào?"
    form.get_by_label("Các lựa chọn", exact=False).fill("Trực tiếp\nQua bưu điện\nTrực tuyến")
    form.get_by_label("Đặt sau câu").select_option("C16")
    form.get_by_role("button", name="Lưu câu hỏi").click()
    page.get_by_test_id("saved").wait_for()
    codes = page.locator("[data-testid=question]").evaluate_all("els => els.map(e => e.dataset.code)")
    assert codes.index("C19") == codes.index("C16") + 1
    page.get_by_role("button", name="Đưa câu C19 lên trên").click()
    page.locator("#cau-C15 + #cau-C19").wait_for()  # moved above C16
    saved = Questionnaire.objects.get(pk=copy.pk)
    assert saved.revision == 2 and saved.spec.question("C19").choices[1] == ("qua-buu-dien", "Qua bưu điện")
