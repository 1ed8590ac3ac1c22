"""PAPI import: a published provincial table (CSV or Excel), then gap, trend and targets on PAPI as on PAR."""
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from chiso.accounts.models import Role
from chiso.common.errors import ServiceError
from chiso.scores.models import Assessment, PublishedResult, Score
from chiso.surveys import services
from tests.factories import UserFactory

SUBS = {"1": 4, "2": 4, "3": 3, "4": 4, "5": 3, "6": 4, "7": 3, "8": 3}


def table(rows: list[tuple[str, float]], *, subs=True, sep=",") -> bytes:
    head = ["STT", "Tỉnh/Thành phố"]
    for d, n in SUBS.items():
        head.append(f"Nội dung {d}")
        if subs:
            head += [f"{d}.{i}" for i in range(1, n + 1)]
    head.append("Tổng điểm")
    lines = [sep.join(head)]
    for i, (name, base) in enumerate(rows, start=1):
        cells = [str(i), name]
        total = Decimal(0)
        for n in SUBS.values():
            parts = [Decimal(str(base)) / n + Decimal(i) / 100 for _ in range(n)]
            parts = [p.quantize(Decimal("0.0001")) for p in parts]
            cells.append(f"{sum(parts)}".replace(".", ","))
            total += sum(parts)
            if subs:
                cells += [f"{p}".replace(".", ",") for p in parts]
        cells.append(f"{total}".replace(".", ","))
        lines.append(sep.join(f'"{c}"' for c in cells))
    return ("\n".join(lines) + "\n").encode("utf-8")


def papi_docx() -> bytes:
    """A Word appendix with the PAPI dimensions of two provinces in a table."""
    from docx import Document

    doc = Document()
    doc.add_paragraph("Phụ lục: Điểm PAPI năm 2024 của các tỉnh Tây Nguyên")
    rows = [["TT", "Tỉnh", "Tham gia của người dân ở cấp cơ sở", "Công khai, minh bạch", "Trách nhiệm giải trình",
             "Kiểm soát tham nhũng", "Thủ tục hành chính công", "Cung ứng dịch vụ công", "Quản trị môi trường",
             "Quản trị điện tử"],
            ["1", "Đắk Lắk", "5,01", "5,12", "4,33", "6,48", "7,21", "7,30", "3,41", "3,02"],
            ["2", "Gia Lai", "4,91", "5,02", "4,13", "6,38", "7,11", "7,20", "3,31", "3,12"]]
    table = doc.add_table(rows=len(rows), cols=len(rows[0]))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def daklak_coordinator(demo_reference):
    from chiso.units.reference import province

    daklak = province("Đắk Lắk")
    return UserFactory(username="snv-daklak", role=Role.COORDINATOR, unit=daklak)


def test_import_then_gap_trend_targets(client, daklak_coordinator):
    content = table([("Hà Nội", 6.0), ("Đắk Lắk", 5.2), ("TP. Hồ Chí Minh", 5.9)])
    report = services.papi_results_import(actor=daklak_coordinator, year=2023, content=content, file_name="papi-2023.csv")
    assert report.lines == 3 and report.matched == 3 and report.unmatched == []
    (assessment,) = report.assessments  # only the province in the actor's scope gets its detailed results
    assert assessment.unit.name == "Đắk Lắk" and assessment.version.framework.index == "PAPI"
    scores = {s.criterion.code: s.score for s in Score.objects.filter(assessment=assessment).select_related("criterion")}
    assert len(scores) == 36 and scores["1"] == sum(scores[f"1.{i}"] for i in range(1, 5))
    # a province's import is its own table: the national one, shared by every province, is untouched
    assert not PublishedResult.objects.exists() and report.table.owner == assessment.unit
    own_table = {line["unit_name"]: line["rank"] for line in report.table.current.lines}
    assert own_table["Hà Nội"] == 1 and own_table["Đắk Lắk"] == 3
    assert (assessment.rank, assessment.rank_of) == (3, 3)
    services.papi_results_import(actor=daklak_coordinator, year=2024, content=table([("Đắk Lắk", 5.6)], subs=False),
                                 file_name="papi-2024.csv")
    client.force_login(daklak_coordinator)
    gap = client.get(reverse("analysis:gap", args=[assessment.public_id]))
    assert gap.status_code == 200 and "Tham gia của người dân ở cấp cơ sở" in gap.content.decode()
    unit = client.get(reverse("analysis:unit", args=[assessment.unit.public_id]))
    assert unit.status_code == 200
    targets = client.get(reverse("analysis:targets", args=[assessment.unit.public_id, assessment.version.public_id, 2025]))
    assert targets.status_code == 200
    assert Assessment.objects.filter(unit=assessment.unit, version__framework__index="PAPI").count() == 2


def test_papi_from_excel_through_the_reader(daklak_coordinator):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["BẢNG 1. ĐIỂM PAPI 2023 THEO NỘI DUNG"])
    ws.append(["Tỉnh, thành phố", "D1", "D2", "D3", "D4", "D5", "D6", "D7", "D8", "Tổng"])
    ws.append(["Đắk Lắk", 5.1, 5.2, 4.3, 6.5, 7.2, 7.3, 3.4, 3.0, 42.0])
    buffer = io.BytesIO()
    wb.save(buffer)
    report = services.papi_results_import(actor=daklak_coordinator, year=2023, content=buffer.getvalue(),
                                          file_name="papi.xlsx")
    assert Score.objects.get(assessment=report.assessments[0], criterion__code="4").score == Decimal("6.5")


def test_bad_lines_refuse_the_whole_table(daklak_coordinator):
    content = table([("Đắk Lắk", 5.2)]).replace(b'"1,', b'"x1,', 1)
    bad = b'STT,T\xe1\xbb\x89nh,N\xe1\xbb\x99i dung 1,N\xe1\xbb\x99i dung 2,N\xe1\xbb\x99i dung 3\n1,\xc4\x90\xe1\xba\xafk L\xe1\xba\xafk,12,abc,3\n'
    with pytest.raises(ServiceError) as exc:
        services.papi_results_import(actor=daklak_coordinator, year=2023, content=bad, file_name="sai.csv")
    assert any("nội dung 1 = 12 ngoài khoảng 0–10" in d for d in exc.value.details)
    assert any("“abc” không phải là số" in d for d in exc.value.details)
    assert not Assessment.objects.filter(version__framework__index="PAPI").exists()
    with pytest.raises(ServiceError, match="không thấy bảng PAPI"):
        services.papi_results_import(actor=daklak_coordinator, year=2023, content=b"a,b\n1,2\n", file_name="x.csv")
    assert content


def test_papi_page_redirects_to_the_gap(client, daklak_coordinator):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(daklak_coordinator)
    response = client.post(reverse("surveys:papi_import"), {
        "year": "2023", "file": SimpleUploadedFile("papi.csv", table([("Đắk Lắk", 5.0)]))})
    assert response.status_code == 302 and "/phan-tich/ket-qua/" in response["Location"]


def test_papi_from_a_word_document(daklak_coordinator, monkeypatch):
    import chiso.reader.pipeline

    def in_this_process(*args, **kwargs):
        raise AssertionError("a document is read in a child process with limits, never in the web process")

    monkeypatch.setattr(chiso.reader.pipeline, "extract", in_this_process)

    report = services.papi_results_import(actor=daklak_coordinator, year=2024, content=papi_docx(),
                                          file_name="papi-tay-nguyen.docx")
    assert report.matched == 2 and len(report.assessments) == 1
    assessment = report.assessments[0]
    assert assessment.printed_total == Decimal("41.88")  # the sum of the eight dimensions
    assert {line["unit_name"]: line["rank"] for line in report.table.current.lines}["Gia Lai"] == 2


def test_a_broken_papi_document_is_refused_by_name(daklak_coordinator):
    with pytest.raises(ServiceError, match="papi.docx"):
        services.papi_results_import(actor=daklak_coordinator, year=2024, content=b"PK\x03\x04 not a zip",
                                     file_name="papi.docx")
