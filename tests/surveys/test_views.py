"""The public form, staff entry, results, exports and the public page, through the test client."""
import io
import re
from decimal import Decimal

from django.urls import reverse

from chiso.surveys import services
from chiso.surveys.models import RespondentToken, Response
from tests.surveys.conftest import Posted, answers


def flat(data: dict) -> dict:
    return {k: v for k, v in data.items()}


def test_public_form_is_small_accessible_and_first_party(client, survey):
    services.tokens_issue(actor=survey.world.coordinator, campaign_unit=survey.lead, count=1)
    key = RespondentToken.objects.get().key
    page = client.get(f"/khao-sat/{key}/")
    html = page.content.decode()
    assert page.status_code == 200 and len(page.content) < 100_000
    assert not re.search(r'(src|href)="(https?:)?//', html)  # nothing from another site
    assert "<script>" not in html and " style=" not in html and "onclick" not in html  # CSP-ready
    assert html.count("<fieldset") == 22 and html.count("<legend>") == 22  # every choice question is labelled
    assert 'for="id_Y1"' in html and 'lang="vi"' in html
    assert "Trả lời câu này nếu ở câu 21 ông/bà chọn “Có”" in html  # the show-if without script
    for asset in ("/static/surveys/form.css", "/static/surveys/form.js"):
        assert asset in html
    assert page["Cache-Control"].startswith("max-age=0")


def test_submit_once_then_refused(client, survey):
    services.tokens_issue(actor=survey.world.coordinator, campaign_unit=survey.lead, count=1)
    key = RespondentToken.objects.get().key
    bad = client.post(f"/khao-sat/{key}/", flat({k: v for k, v in answers().items() if k != "C12"}))
    assert bad.status_code == 422 and "còn 1 câu cần xem lại" in bad.content.decode()
    assert 'href="#q-C12"' in bad.content.decode()
    ok = client.post(f"/khao-sat/{key}/", {k: v for k, v in answers().items()})
    assert ok.status_code == 302 and ok["Location"] == f"/khao-sat/{key}/cam-on/"
    thanks = client.get(ok["Location"])
    assert f'data-clear-draft="khaosat:{key}"' in thanks.content.decode()
    again = client.get(f"/khao-sat/{key}/")
    assert again.status_code == 410 and "chỉ dùng được một lần" in again.content.decode()
    assert client.post(f"/khao-sat/{key}/", answers()).status_code == 410
    assert Response.objects.count() == 1


def test_open_link_once_per_device_and_rate_limited(client, survey, settings):
    url = f"/khao-sat/{survey.counter.open_key}/"
    page = client.get(url).content.decode()
    receipt = re.search(r'name="receipt" value="([^"]+)"', page).group(1)
    assert client.post(url, {**answers(), "receipt": receipt}).status_code == 302
    assert client.get(url).status_code == 403  # this device already answered
    from django.test import Client

    other = Client()
    assert other.post(url, {**answers(), "receipt": receipt}).status_code == 410  # the same form sent twice
    from chiso.surveys import throttle

    throttle.OPEN_SUBMITS = (1, 600)
    try:
        assert Client().post(url, answers()).status_code == 429
    finally:
        throttle.OPEN_SUBMITS = (30, 600)
    assert Response.objects.count() == 1


def test_unknown_keys_are_404_then_rate_limited(client, survey):
    from chiso.surveys import throttle

    for i in range(throttle.BAD_KEYS[0]):
        assert client.get(f"/khao-sat/khongco{i}/").status_code == 404
    assert client.get(f"/khao-sat/{survey.counter.open_key}/").status_code == 429


def test_staff_entry_refuses_a_serial_twice(client, survey):
    client.force_login(survey.world.own)
    url = reverse("surveys:enter", args=[survey.lead.public_id])
    first = client.post(url, {**answers(), "serial": "SỐ 12"}, follow=True)
    assert "Đã nhập phiếu số SỐ 12" in first.content.decode()
    second = client.post(url, {**answers(), "serial": "số 12"})
    assert second.status_code == 422 and "đã được nhập trước đó" in second.content.decode()
    assert Response.objects.filter(serial="SỐ 12").count() == 1


def _fill(survey, count: int, unit="lead", level=5):
    cu = getattr(survey, unit)
    for i in range(count):
        services.response_enter(actor=survey.world.coordinator, campaign_unit=cu, serial=f"{unit}-{level}-{i}",
                                data=Posted(answers(level if i % 4 else 3)), today=survey.today)


def test_results_page_with_intervals_and_small_cells(client, survey):
    _fill(survey, 12)
    _fill(survey, 4, "counter")
    client.force_login(survey.world.coordinator)
    html = client.get(reverse("surveys:results", args=[survey.campaign.public_id])).content.decode()
    assert "Tiếp cận dịch vụ" in html and "Khoảng tin cậy 95" in html
    row = re.search(r'data-unit="Bộ phận Một cửa xã A".*?</tr>', html, re.S).group(0)
    assert "dưới 10 phiếu" in row and "%" not in row.replace("dưới 10 phiếu", "")
    lead = re.search(r'data-unit="Sở Tư pháp".*?</tr>', html, re.S).group(0)
    assert "75%" in lead  # 9 of 12 forms at 5, three at 3


def test_exports_carry_no_identifiers(client, survey):
    _fill(survey, 11)
    services.response_submit(entry=services.entry_for_key(survey.counter.open_key), data=Posted(answers(
        Y1=["=HYPERLINK(\"http://x\")"])), today=survey.today, receipt="secret-receipt")
    client.force_login(survey.world.coordinator)
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(client.get(reverse("surveys:data_xlsx", args=[survey.campaign.public_id])).content))
    cells = [str(c.value) for ws in book for row in ws.iter_rows() for c in row if c.value is not None]
    text = " ".join(cells)
    assert "secret-receipt" not in text and "lead-5-0" not in text and "coordinator" not in text
    formula = next(c for ws in book for row in ws.iter_rows() for c in row if c.value and str(c.value).startswith("=HYP"))
    assert formula.data_type == "s"
    assert book["Phiếu trả lời"].max_row == 13
    from docx import Document

    doc = Document(io.BytesIO(client.get(reverse("surveys:report_docx", args=[survey.campaign.public_id])).content))
    body = "\n".join(p.text for p in doc.paragraphs) + "\n".join(
        c.text for t in doc.tables for r in t.rows for c in r.cells)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in body and "BÁO CÁO" in body and "Nơi nhận:" in body
    assert "Tiếp cận dịch vụ" in body and "< 10 phiếu" in body


def test_feed_scores_writes_the_sipas_self_assessment(client, survey):
    _fill(survey, 10)
    client.force_login(survey.world.coordinator)
    client.post(reverse("surveys:feed_scores", args=[survey.campaign.public_id]))
    from chiso.scores.models import Score

    scores = {s.criterion.code: s.self_score for s in Score.objects.filter(
        assessment__unit=survey.world.province, assessment__year=2025).select_related("criterion")}
    assert scores == {c: Decimal("70.0000") for c in "12345"}  # 7 of 10 forms "hài lòng" or better


def test_public_page_is_cached_and_needs_no_login(client, survey, django_assert_max_num_queries):
    from chiso.surveys.models import Publication

    _fill(survey, 10)
    services.campaign_set_public(actor=survey.world.coordinator, campaign=survey.campaign, public=True)
    pub = Publication.objects.create(owner=survey.world.province, enabled=True)
    url = reverse("public:results", args=[pub.slug])
    first = client.get(url)
    assert first.status_code == 200 and "Khảo sát SIPAS 2025" in first.content.decode()
    assert " style=" not in first.content.decode()
    with django_assert_max_num_queries(2):
        assert client.get(url).status_code == 200
    pub.enabled = False
    pub.save()
    assert client.get(url).status_code == 404
