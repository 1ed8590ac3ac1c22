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


def test_ranking_shows_the_change_from_last_year(client, survey):
    import datetime as dt

    w = survey.world
    last = services.campaign_create(actor=w.coordinator, owner=w.province, questionnaire=survey.templates["sipas-qd1001"],
                                    data=services.CampaignInput("Khảo sát SIPAS 2024", 2024, survey.today,
                                                                survey.today + dt.timedelta(days=1)))
    services.campaign_units_save(actor=w.coordinator, campaign=last, rows=[services.UnitRow(w.lead_unit, 1000),
                                                                           services.UnitRow(survey.counter_unit, 100)])
    services.campaign_set_state(actor=w.coordinator, campaign=last, state="open")
    units = {cu.unit_id: cu for cu in last.units.all()}
    for i in range(10):
        services.response_enter(actor=w.coordinator, campaign_unit=units[w.lead_unit.pk], serial=f"a{i}",
                                data=Posted(answers(5)), today=survey.today)  # 100 % last year, first
        services.response_enter(actor=w.coordinator, campaign_unit=units[survey.counter_unit.pk], serial=f"b{i}",
                                data=Posted(answers(4 if i < 5 else 2)), today=survey.today)  # 50 %, second
        services.response_enter(actor=w.coordinator, campaign_unit=survey.lead, serial=f"c{i}",
                                data=Posted(answers(4 if i < 6 else 1)), today=survey.today)  # 60 % this year
        services.response_enter(actor=w.coordinator, campaign_unit=survey.counter, serial=f"d{i}",
                                data=Posted(answers(5 if i < 9 else 3)), today=survey.today)  # 90 % this year
    from chiso.surveys.selectors import campaign_results

    rows = {r.cu.unit.name: r for r in campaign_results(survey.campaign).units}
    counter, lead = rows["Bộ phận Một cửa xã A"], rows["Sở Tư pháp"]
    assert (counter.rank, counter.previous_rank, counter.rank_change, counter.change) == (1, 2, 1, Decimal("40.00"))
    assert (lead.rank, lead.previous_rank, lead.rank_change, lead.change) == (2, 1, -1, Decimal("-40.00"))
    client.force_login(w.coordinator)
    html = client.get(reverse("surveys:results", args=[survey.campaign.public_id])).content.decode()
    assert "+40 điểm % · tăng 1 bậc" in html and "-40 điểm % · giảm 1 bậc" in html


def test_publication_settings_choose_what_is_public(client, survey):
    client.force_login(survey.world.coordinator)
    url = reverse("surveys:publication")
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(url, {"enabled": "1", "indices": ["SIPAS", "PAPI"], "levels": ["commune"],
                                 "years": "2024, 2025", "revision": "0"})
    assert response.status_code == 302
    from chiso.surveys.models import Publication

    pub = Publication.objects.get(owner=survey.world.province)
    assert (pub.enabled, pub.indices, pub.levels, pub.years) == (True, ["PAPI", "SIPAS"], ["commune"], [2024, 2025])
    stale = client.post(url, {"enabled": "0", "revision": "0"})
    assert stale.status_code == 422 and "vừa được người khác lưu" in stale.content.decode()
    bad = client.post(url, {"years": "năm ngoái", "revision": "1"})
    assert bad.status_code == 422


def test_qr_sheet_is_a_pdf_of_the_batch(client, survey):
    client.force_login(survey.world.own)
    response = client.post(reverse("surveys:tokens_new", args=[survey.lead.public_id]), {"count": "13"})
    assert response.status_code == 302
    pdf = client.get(response["Location"])
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf.content)) as doc:
        text = "\n".join(p.extract_text() or "" for p in doc.pages)
        assert len(doc.pages) == 2
    keys = set(RespondentToken.objects.filter(campaign_unit=survey.lead).values_list("key", flat=True))
    assert len(keys) == 13 and all(k in text for k in keys)
    refused = client.post(reverse("surveys:tokens_new", args=[survey.lead.public_id]), {"count": "0"}, follow=True)
    assert "Số mã mỗi lần in phải từ 1 đến 600" in refused.content.decode()


def test_units_and_dossiers_from_a_spreadsheet(client, survey):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(survey.world.coordinator)
    url = reverse("surveys:campaign_units", args=[survey.campaign.public_id])
    csv = "STT;Tên đơn vị;Số hồ sơ đã giải quyết\n1;Sở Tư pháp;2.400\n2;Bộ phận một cửa xã A;350\n".encode()
    client.post(url, {"file": SimpleUploadedFile("ho-so.csv", csv)})
    survey.lead.refresh_from_db()
    survey.counter.refresh_from_db()
    assert (survey.lead.dossiers, survey.counter.dossiers) == (2400, 350)
    bad = "Đơn vị,Số hồ sơ\nXã Không Có,12\nSở Tư pháp,mười\n".encode()
    page = client.post(url, {"file": SimpleUploadedFile("sai.csv", bad)}, follow=True).content.decode()
    assert "dòng 3: số hồ sơ “mười” không phải là số" in page
    page = client.post(url, {"file": SimpleUploadedFile("sai.csv", "Đơn vị,Số hồ sơ\nXã Không Có,12\n".encode())},
                       follow=True).content.decode()
    assert "dòng 2: không tìm thấy đơn vị “Xã Không Có” trong tỉnh" in page
    survey.lead.refresh_from_db()
    assert survey.lead.dossiers == 2400


def test_campaign_page_shows_progress_toward_targets(client, survey, django_assert_max_num_queries):
    _fill(survey, 3)
    client.force_login(survey.world.coordinator)
    url = reverse("surveys:campaign", args=[survey.campaign.public_id])
    with django_assert_max_num_queries(20):
        html = client.get(url).content.decode()
    lead = re.search(r'data-unit="Sở Tư pháp".*?</tr>', html, re.DOTALL).group(0)
    assert ">286<" in lead and '<progress max="286" value="3"' in lead and "Nhập phiếu giấy" in lead
    assert "Đã thu 3 / 366 phiếu theo chỉ tiêu" in html and "Thêm đơn vị vào đợt khảo sát" in html
    client.force_login(survey.world.own)
    html = client.get(url).content.decode()
    assert "Thêm đơn vị" not in html and "/ket-qua/" not in html
    counter = re.search(r'data-unit="Bộ phận Một cửa xã A".*?</tr>', html, re.DOTALL).group(0)
    assert "Nhập phiếu giấy" not in counter  # an officer keys in forms of their own unit only


def test_unit_points_are_offered_to_the_internal_index(survey):
    from chiso.common.signals import survey_points_ready

    _fill(survey, 10)
    received = []

    def listener(sender, **kwargs):
        received.append(kwargs)

    survey_points_ready.connect(listener)
    try:
        fed = services.campaign_results_feed(actor=survey.world.coordinator, campaign=survey.campaign)
    finally:
        survey_points_ready.disconnect(listener)
    assert fed.written == 5 and fed.offered == 5 and fed.refusals == []  # the lead unit's five service elements; the counter has no answers
    (call,) = received
    assert call["framework"] == "sipas" and call["year"] == 2025
    assert {(p.unit_id, p.criterion_code, p.share, p.respondents) for p in call["points"]} == {
        (survey.world.lead_unit.pk, c, Decimal("70.00"), 10) for c in "12345"}
