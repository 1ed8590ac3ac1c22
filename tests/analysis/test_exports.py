"""The plan's appendix out: Word (A4 landscape, Times New Roman 13, NĐ 30 heading) and Excel; read back."""
import importlib.util
import io
from pathlib import Path

import pytest
from django.urls import reverse

from chiso.analysis.appendix import plan_document, plan_sheets
from chiso.analysis.exports import appendix_docx, appendix_xlsx

SCORER = Path(__file__).resolve().parents[3] / "shared" / "tools" / "score_ingest.py"


def test_sheets_hold_the_plans_own_rows_and_the_deductions(dak_nong):
    sheets = plan_sheets(dak_nong.plan)
    appendix, sipas, deductions = sheets
    assert [c["key"] for c in appendix.columns] == ["max_points", "achieved", "target"]
    assert len(appendix.lines) == 120 and appendix.total[-1] == {"key": "target", "year": "2024", "value": 88.679}
    line = next(ln for ln in appendix.lines if ln.code == "1.1")
    assert line.text["lead"] == "Giám đốc Sở Nội vụ" and line.text["tasks"].startswith("Thực hiện hoàn thành 100%")
    assert sipas.columns == [] and len(sipas.lines) == 26
    assert deductions.lines[0].code == "1.7" and {ln.code for ln in deductions.lines} >= {"8.1", "6.3.4", "3.4.1"}
    six = next(ln for ln in deductions.lines if ln.code == "6.3.4")
    assert [str(v) for v in six.values] == ["1.0000", "0.0000", "-1.0000"]


def test_word_file_layout(dak_nong):
    from docx import Document
    from docx.enum.section import WD_ORIENT

    sheets = plan_sheets(dak_nong.plan)
    doc = Document(io.BytesIO(appendix_docx(dak_nong.plan, sheets, [("Biểu đồ", '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 50"><rect width="50" height="20"/></svg>')])))
    section = doc.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE and round(section.page_width.cm, 1) == 29.7
    assert doc.styles["Normal"].font.name == "Times New Roman" and doc.styles["Normal"].font.size.pt == 13
    heading = doc.tables[0].rows[0].cells
    assert "ỦY BAN NHÂN DÂN" in heading[0].text and "TỈNH ĐẮK NÔNG" in heading[0].text and "475/KH-UBND" in heading[0].text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in heading[1].text and "ngày 18 tháng 7 năm 2024" in heading[1].text
    body = doc.tables[1]
    assert [c.text for c in body.rows[0].cells][:5] == ["STT", "Lĩnh vực, tiêu chí", "Điểm tối đa",
                                                        "Điểm đạt được năm 2023", "Mục tiêu năm 2024"]
    assert [c.text for c in body.rows[-1].cells][1:5] == ["TỔNG ĐIỂM", "100", "85,415", "88,679"]
    assert len(doc.inline_shapes) == 1


def test_excel_file(dak_nong):
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(appendix_xlsx(dak_nong.plan, plan_sheets(dak_nong.plan))))
    assert book.sheetnames == ["Phụ lục 01", "Phụ lục 02", "Điểm bị trừ 03"]
    ws = book["Phụ lục 01"]
    assert ws["A9"].value == "STT" and ws["E9"].value == "Mục tiêu năm 2024"
    rows = {ws.cell(row=r, column=1).value: r for r in range(10, ws.max_row + 1)}
    assert ws.cell(row=rows["3.4.1"], column=4).value == pytest.approx(1.4784)
    assert ws.page_setup.orientation == "landscape"


@pytest.mark.parametrize("who, status", [("own", 200), ("other", 404), ("coordinator", 200)])
def test_downloads_for_three_users(client, dak_nong, users, who, status):
    client.force_login(users[who])
    for name in ("analysis:appendix_docx", "analysis:appendix_xlsx"):
        response = client.get(reverse(name, args=[dak_nong.plan.public_id]))
        assert response.status_code == status
        if status == 200:
            assert "phu-luc-475-KH-UBND" in response["Content-Disposition"]


def _scorer():
    if not SCORER.exists():
        pytest.skip(f"the scorer {SCORER} is not there")
    spec = importlib.util.spec_from_file_location("score_ingest", SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("deductions", [False, True], ids=["appendix", "appendix+deductions"])
def test_word_file_reads_back_as_the_plans_own_table(dak_nong, tmp_path, deductions):
    try:
        from chiso.reader import read_document
    except ImportError:
        pytest.skip("the reader (chiso.reader.read_document) is not importable yet")
    scorer = _scorer()
    sheets = plan_sheets(dak_nong.plan, deductions=deductions)
    path = tmp_path / "phu-luc.docx"
    path.write_bytes(appendix_docx(dak_nong.plan, sheets))
    passed, total, misses = scorer.score_document(plan_document(dak_nong.plan, sheets), read_document(path))
    assert passed / total >= 0.98, misses[:10]
