"""Entering and importing results: the form, an Excel sheet, a read document, a national table."""
import io
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from chiso.analysis.services import results_import_document, results_table_import
from chiso.common.errors import ServiceError
from chiso.scores.models import Assessment, PublishedResult, Score
from tests.analysis.conftest import golden


def xlsx(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


HEADER = ["STT", "Tiêu chí", "Điểm tối đa", "Điểm tự đánh giá", "Điểm thẩm định", "Điểm bị trừ", "Lý do bị trừ điểm",
          "Biện pháp khắc phục"]


@pytest.fixture
def year(frameworks, world):
    return Assessment.objects.create(unit=world.province, version=frameworks["PAR_INDEX"], year=2024)


def test_a_results_document_becomes_scores_targets_and_totals(frameworks, world):
    report = results_import_document(actor=None, unit=world.province, document=golden(), file_name="kh475.json")
    assert sorted(a.year for a in report.assessments) == [2023, 2024]
    a2023 = Assessment.objects.get(unit=world.province, year=2023)
    assert a2023.printed_total == D("85.415")
    assert Score.objects.get(assessment=a2023, criterion__code="3.4.1").score == D("1.4784")
    assert Score.objects.get(assessment__year=2024, criterion__code="3.4.1").target == D("1.479")
    again = results_import_document(actor=None, unit=world.province, document=golden(), file_name="kh475.json")
    assert again.created == 0 and again.updated == 0  # the same document again changes nothing


def test_a_results_table_with_deductions_and_reasons(frameworks, world):
    doc = {"schema": "chiso.plan-table/1", "tables": [{
        "index": "PAR_INDEX", "columns": [{"key": "max_points"}, {"key": "appraised", "year": "2023"},
                                          {"key": "deducted", "year": "2023"}],
        "rows": [{"code": "7.3.7", "name": "Thực hiện thanh toán trực tuyến",
                  "values": [{"key": "max_points", "value": 1.5}, {"key": "appraised", "year": "2023", "value": 0.64},
                             {"key": "deducted", "year": "2023", "value": -0.96}],
                  "text": {"reason": "Tỷ lệ thanh toán trực tuyến thấp", "tasks": "Đẩy mạnh thanh toán trực tuyến"}}]}]}
    report = results_import_document(actor=None, unit=world.province, document=doc, file_name="tham-dinh.json")
    assert any("-0.96" in w and "-0,86" in w for w in report.warnings)  # a misprint is flagged, not used
    score = Score.objects.get(criterion__code="7.3.7")
    assert score.score == D("0.64") and score.deduction == D("-0.86")
    assert score.reason.startswith("Tỷ lệ") and score.remedy.startswith("Đẩy mạnh")


def test_a_document_with_an_impossible_score_saves_nothing(frameworks, world):
    doc = golden()
    doc["tables"][0]["rows"][1]["values"][1]["value"] = 2.5  # 1.1 scores 2,5 of 1,5
    with pytest.raises(ServiceError) as e:
        results_import_document(actor=None, unit=world.province, document=doc, file_name="kh475.json")
    assert any("kh475.json, bảng 1, dòng 2" in p and "lớn hơn điểm tối đa 1,5" in p for p in e.value.details)
    assert not Score.objects.exists() and not Assessment.objects.filter(unit=world.province).exists()


def test_excel_sheet_import_and_errors_that_name_file_and_line(client, year, world):
    client.force_login(world.coordinator)
    url = reverse("analysis:import_sheet", args=[year.public_id])
    good = xlsx([["KẾT QUẢ THẨM ĐỊNH"], HEADER,
                 ["3", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH", 13, None, "12,905"],
                 ["3.4.1", "Tỷ lệ hồ sơ …", 1.5, 1.5, 1.4784, -0.0216, "Trễ hạn 1,44%", "Nhắc việc tự động"],
                 ["3.4.2", "Tỷ lệ hồ sơ …", 1.5, 1.5, 1.4477, -0.5, "", ""],
                 [None, "TỔNG ĐIỂM", 100, None, 85.415]])
    response = client.post(url, {"file": SimpleUploadedFile("ket-qua.xlsx", good)})
    assert response.status_code == 302
    s = Score.objects.get(assessment=year, criterion__code="3.4.1")
    assert (s.self_score, s.score, s.reason, s.remedy) == (D("1.5"), D("1.4784"), "Trễ hạn 1,44%", "Nhắc việc tự động")
    year.refresh_from_db()
    assert year.printed_total == D("85.415")
    bad = xlsx([HEADER, ["3.4.1", "x", 1.5, 1.5, "1,6"], ["9.9.9", "y", 1, None, 1], ["3.4.3", "z", 1, None, "nhiều"]])
    response = client.post(url, {"file": SimpleUploadedFile("sai.xlsx", bad)})
    body = response.content.decode()
    assert response.status_code == 400
    assert "Tệp sai.xlsx, trang Sheet, dòng 4: điểm thẩm định &#x27;nhiều&#x27; không phải là số" in body
    assert Score.objects.get(assessment=year, criterion__code="3.4.1").score == D("1.4784")  # unchanged


def test_excel_import_refused_to_an_officer(client, year, world):
    client.force_login(world.own)
    response = client.post(reverse("analysis:import_sheet", args=[year.public_id]),
                           {"file": SimpleUploadedFile("a.xlsx", xlsx([HEADER]))})
    assert response.status_code == 403


@pytest.mark.parametrize("who, status", [("own", 200), ("other", 404), ("coordinator", 200)])
def test_entry_form_for_three_users(client, year, three_users, who, status):
    client.force_login(dict(three_users)[who])
    url = reverse("analysis:edit", args=[year.public_id])
    response = client.get(url)
    assert response.status_code == status
    if status != 200:
        return
    form = {"score-1.1": "1,5", "reason-1.1": "", "self_score-1.7": "1,5", "score-1.7": "1,45",
            "reason-1.7": "Chậm một nhiệm vụ được giao", "printed_total": "", "version": "0"}
    response = client.post(url, form)
    if who == "own":
        assert response.status_code == 403
        return
    assert response.status_code == 302
    assert Score.objects.get(assessment=year, criterion__code="1.7").reason == "Chậm một nhiệm vụ được giao"
    response = client.post(url, {**form, "score-1.7": "1,6"})
    assert response.status_code == 400 and "Tiêu chí 1.7: điểm thẩm định/đạt được 1,6 lớn hơn điểm tối đa 1,5" in \
        response.content.decode()
    assert client.get(reverse("analysis:sheet_template", args=[year.public_id]))["Content-Type"].startswith(
        "application/vnd.openxmlformats")


def test_national_table_import(client, frameworks, world):
    table = xlsx([["Xếp hạng", "Tỉnh, thành phố", "Chỉ số PAR INDEX"], [1, "Hải Phòng", "96,17"], [2, "Tỉnh A", 92.5],
                  [3, "Tỉnh B", 91]])
    imported = results_table_import(actor=None, index="PAR_INDEX", year=2024, content=table, file_name="par.xlsx")
    assert imported.is_national and imported.version == 1 and len(imported.current.lines) == 3
    assert PublishedResult.objects.get(unit_name="Tỉnh A").unit == world.province
    client.force_login(world.other)  # national tables are public: any user reads them
    page = client.get(reverse("analysis:ranking", args=["PAR_INDEX", 2024])).content.decode()
    assert "Hải Phòng" in page and "96,17" in page
    assert client.post(reverse("analysis:import_table"), {"index": "PAR_INDEX", "year": "2024"}).status_code == 403
    client.force_login(world.coordinator)
    dup = xlsx([["Tỉnh", "Điểm"], ["Hải Phòng", 96], ["Hải Phòng", 95]])
    response = client.post(reverse("analysis:import_table"), {"index": "PAR_INDEX", "year": "2024", "scope": "rieng",
                                                             "file": SimpleUploadedFile("dup.xlsx", dup)})
    assert response.status_code == 400 and "Tệp dup.xlsx, dòng 3: Hải Phòng đã có ở Tệp dup.xlsx, dòng 2" in \
        response.content.decode()
    assert PublishedResult.objects.filter(year=2024).count() == 3


def test_beside_the_appraised_score_the_units_own_figure_is_its_self_assessment(frameworks, world):
    """The appraised column is the score whatever the column order; the other is the self-assessment."""
    document = {"schema": "chiso.plan-table/1", "document": {"issuer": "Bộ Nội vụ"}, "tables": [{
        "index": "PAR_INDEX", "columns": [{"key": "max_points"}, {"key": "appraised", "year": "2023"},
                                          {"key": "achieved", "year": "2023"}],
        "rows": [{"code": "1.1", "name": "Thực hiện kế hoạch CCHC",
                  "values": [{"key": "max_points", "value": 1.5}, {"key": "appraised", "year": "2023", "value": 1},
                             {"key": "achieved", "year": "2023", "value": 1.5}],
                  "text": {"reason": "Chưa hoàn thành 01 nhiệm vụ"}}]}]}
    results_import_document(actor=None, unit=world.province, document=document, file_name="kq.json")
    score = Score.objects.get(assessment__unit=world.province, assessment__year=2023, criterion__code="1.1")
    assert (score.score, score.self_score, score.reason) == (D("1"), D("1.5"), "Chưa hoàn thành 01 nhiệm vụ")
