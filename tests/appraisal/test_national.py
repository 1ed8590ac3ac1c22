"""The province toward the ministry (issue 12, item 9): the province's own PAR INDEX self-assessment on
the national framework, in the same cycle / sheet / entries as the province's internal index."""
from __future__ import annotations

import io
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from chiso.accounts.models import Role
from chiso.appraisal import services
from chiso.appraisal.models import CycleState, Entry, SheetState
from chiso.common.errors import ServiceError
from chiso.frameworks.models import Criterion, Framework, FrameworkVersion, IndexKind
from chiso.scores.models import Assessment, Score
from tests.appraisal.conftest import dates
from tests.appraisal.test_services import PDF
from tests.factories import AssignmentFactory, PlanItemFactory, PlanTableFactory, UserFactory


def national_version(year_from: int = 2023) -> FrameworkVersion:
    """A small PAR INDEX version of the ministry: two fields, three leaves (one by survey)."""
    fw = Framework.objects.create(code=f"par-index-thu-{year_from}", index=IndexKind.PAR_INDEX,
                                  name="Chỉ số CCHC cấp tỉnh")
    version = FrameworkVersion.objects.create(framework=fw, label=f"{year_from}", first_year=year_from,
                                              total_points=D(10))
    one = Criterion.objects.create(version=version, code="1", name="Công tác chỉ đạo, điều hành", max_points=D(6),
                                   position=0)
    Criterion.objects.create(version=version, parent=one, code="1.1", name="Kế hoạch CCHC", max_points=D(4), level=2,
                             method="appraisal", position=1)
    Criterion.objects.create(version=version, parent=one, code="1.2", name="Báo cáo CCHC", max_points=D(2), level=2,
                             method="appraisal", position=2)
    two = Criterion.objects.create(version=version, code="2", name="Hài lòng", max_points=D(4), position=3)
    Criterion.objects.create(version=version, parent=two, code="2.1", name="Mức độ hài lòng", max_points=D(4), level=2,
                             method="survey", position=4)
    return version


def login(client, user):
    client.force_login(user)


@pytest.fixture
def nat(ap):
    """The province of `ap` opens its 2026 PAR INDEX self-assessment; the Sở Tư pháp leads field 1 in
    this year's plan, the Sở Tài chính leads nothing."""
    version = national_version()
    item = PlanItemFactory(table=PlanTableFactory(plan__issuer=ap.province, plan__first_year=2026,
                                                  plan__last_year=2026), code="1", level=1)
    AssignmentFactory(task__item=item, unit=ap.justice, role="lead")
    cycle = services.national_cycle_open(actor=ap.u.coordinator, province=ap.province, version=version, year=2026,
                                         dates=dates())
    sheet = cycle.sheets.get()
    ap.version, ap.ncycle, ap.nsheet = version, cycle, sheet
    ap.nentry = lambda code: Entry.objects.select_related("criterion", "sheet__cycle__framework").get(
        sheet=sheet, criterion__code=code)
    ap.province_leader = UserFactory(username="ubnd", unit=ap.province, role=Role.LEADER)
    return ap


def test_the_province_is_the_unit_and_the_national_framework_applies(nat):
    assert nat.nsheet.unit == nat.province
    assert sorted(nat.nsheet.entries.values_list("criterion__code", flat=True)) == ["1.1", "1.2", "2.1"]
    assert nat.ncycle.framework.version == nat.version and nat.ncycle.framework.is_national
    # the national criteria are the ministry's: no edit, copy or council here
    with pytest.raises(ServiceError, match="Bộ Nội vụ ban hành"):
        services.criterion_save(actor=nat.u.coordinator, framework=nat.ncycle.framework, version=1,
                                data=services.CriterionInput("3", "Mới", D(1)))
    with pytest.raises(ServiceError):
        services.framework_copy(actor=nat.u.coordinator, source=nat.ncycle.framework)
    with pytest.raises(ServiceError) as refused:
        services.council_member_set(actor=nat.u.coordinator, cycle=nat.ncycle, user=nat.u.appraiser)
    assert any("không có Hội đồng" in d for d in refused.value.details)
    with pytest.raises(ServiceError, match="Bộ Nội vụ"):
        services.framework_create(actor=nat.u.coordinator, province=nat.province, group="province", year=2026)
    for year, why in ((2026, "đã có đợt"), (2020, "không áp dụng cho năm 2020")):
        with pytest.raises(ServiceError) as refused:
            services.national_cycle_open(actor=nat.u.coordinator, province=nat.province, version=nat.version,
                                         year=year, dates=dates())
        assert any(why in d for d in refused.value.details)
    # the same national version serves another province too
    other = nat.u.other
    services.national_cycle_open(actor=other, province=other.unit.root, version=nat.version, year=2026, dates=dates())


def test_lead_departments_gather_evidence_on_the_criteria_they_lead(client, nat):
    login(client, nat.u.officer)  # Sở Tư pháp leads field 1
    page = client.get(reverse("appraisal:sheet", args=[nat.nsheet.public_id]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Cơ quan chủ trì (kế hoạch năm nay): Sở Tư pháp" in text and 'name="self_score"' not in text
    assert "Tài liệu kiểm chứng cho Chỉ số CCHC của tỉnh" in client.get(reverse("appraisal:home")).content.decode()
    e = nat.nentry("1.1")
    r = client.post(reverse("appraisal:evidence_add", args=[e.public_id]),
                    {"url": "https://sonoivu.example.gov.vn/ke-hoach-cchc-2026", "label": "Kế hoạch CCHC 2026",
                     "files": [SimpleUploadedFile("bao-cao.pdf", PDF)]}, HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and "Kế hoạch CCHC 2026" in r.content.decode()
    added = {ev.file_name: ev for ev in e.evidence.all()}
    assert set(added) == {"Kế hoạch CCHC 2026", "bao-cao.pdf"}
    assert all(ev.taken_from == "Do Sở Tư pháp cung cấp" for ev in added.values())
    link = added["Kế hoạch CCHC 2026"]
    assert link.url.startswith("https://") and not link.file
    got = client.get(reverse("appraisal:evidence", args=[link.public_id]))
    assert got.status_code == 302 and got["Location"] == link.url
    bad = client.post(reverse("appraisal:evidence_add", args=[e.public_id]), {"url": "javascript:alert(1)"},
                      HTTP_HX_REQUEST="true")
    assert bad.status_code == 422 and "không hợp lệ" in bad.content.decode()
    # not a criterion it leads; never the scores
    assert client.post(reverse("appraisal:evidence_add", args=[nat.nentry("2.1").public_id]),
                       {"url": "https://a.example/x"}).status_code == 403
    assert client.post(reverse("appraisal:entry_save", args=[e.public_id]),
                       {"version": e.version, "applicable": "1", "self_score": "4"}).status_code == 403
    # a department leading nothing, and another province: 404
    login(client, UserFactory(username="finance-officer", unit=nat.finance, role=Role.OFFICER))
    assert client.get(reverse("appraisal:sheet", args=[nat.nsheet.public_id])).status_code == 404
    login(client, nat.u.other)
    assert client.get(reverse("appraisal:sheet", args=[nat.nsheet.public_id])).status_code == 404
    assert client.get(reverse("appraisal:comparison", args=[nat.nsheet.public_id])).status_code == 404


def self_assess(nat):
    for code, points in (("1.1", D(4)), ("1.2", D(2))):
        e = nat.nentry(code)
        services.entry_save(actor=nat.u.coordinator, entry=e, version=e.version,
                            data=services.SelfInput(True, points, "" if code == "1.1" else "Báo cáo gửi qua hệ thống"),
                            files=[SimpleUploadedFile("kh.pdf", PDF)] if code == "1.1" else [])
    nat.nsheet.refresh_from_db()
    return services.sheet_submit(actor=nat.province_leader, sheet=nat.nsheet, version=nat.nsheet.version)


def test_evidence_is_required_for_every_self_scored_criterion(nat):
    e = nat.nentry("1.2")
    services.entry_save(actor=nat.u.coordinator, entry=e, version=e.version, data=services.SelfInput(True, D(2)))
    problems = services.submission_problems(nat.nsheet)
    assert "Tiêu chí 1.2: chưa có tài liệu kiểm chứng — cần giải trình vì sao." in problems
    assert not any("2.1" in p for p in problems)  # by survey: the ministry's


def test_the_ministry_scores_beside_the_self_scores(client, nat):
    sheet = self_assess(nat)
    assert sheet.state == SheetState.SUBMITTED
    with pytest.raises(ServiceError, match="Chưa có kết quả Chỉ số CCHC năm 2026"):
        services.ministry_scores_apply(actor=nat.u.coordinator, cycle=nat.ncycle, version=nat.ncycle.version)
    assessment = Assessment.objects.create(unit=nat.province, version=nat.version, year=2026, source="QĐ 1/QĐ-BNV")
    leaf = {c.code: c for c in nat.version.criteria.all()}
    Score.objects.bulk_create([
        Score(assessment=assessment, criterion=leaf["1"], score=D("4.5")),
        Score(assessment=assessment, criterion=leaf["1.1"], score=D("2.5"), reason="Ban hành kế hoạch muộn"),
        Score(assessment=assessment, criterion=leaf["1.2"], score=D(2)),
        Score(assessment=assessment, criterion=leaf["2.1"], score=D("3.1"))])
    with pytest.raises(PermissionDenied):
        services.ministry_scores_apply(actor=nat.u.officer, cycle=nat.ncycle, version=nat.ncycle.version)
    login(client, nat.u.coordinator)
    r = client.post(reverse("appraisal:ministry_apply", args=[nat.ncycle.public_id]), {"version": nat.ncycle.version})
    assert r.status_code == 302 and r["Location"] == reverse("appraisal:comparison", args=[sheet.public_id])
    sheet.refresh_from_db()
    nat.ncycle.refresh_from_db()
    assert sheet.state == SheetState.FINALISED and nat.ncycle.state == CycleState.FINALISED
    assert sheet.results == assessment
    e = nat.nentry("1.1")
    assert (e.self_score, e.score, e.difference, e.comment) == (D(4), D("2.5"), D("-1.5"), "Ban hành kế hoạch muộn")
    page = client.get(reverse("appraisal:comparison", args=[sheet.public_id])).content.decode()
    assert "Bị trừ khi thẩm định ở 1 tiêu chí:</strong> 1.1 (-1,5)" in page
    assert page.count('<td class="num" data-testid="diff">-1,5</td>') == 2  # the criterion and its field
    assert "Ban hành kế hoạch muộn" in page and "Sở Tư pháp" in page
    # the summary table: self, appraised, difference per criterion; user text as text
    from openpyxl import load_workbook

    xlsx = client.get(reverse("appraisal:summary_xlsx", args=[sheet.public_id]))
    assert xlsx.status_code == 200
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    rows = {r[0]: r for r in ws.iter_rows(min_row=4, values_only=True)}
    assert rows["1.1"][2:6] == (4, 4, 2.5, -1.5)
    assert rows["1"][2:6] == (6, 6, 4.5, -1.5)
    assert rows["2.1"][3] is None and rows["2.1"][4] == 3.1
    assert rows["1.1"][10] == "Sở Tư pháp"
    docx = client.get(reverse("appraisal:self_report_docx", args=[sheet.public_id]))
    assert docx.status_code == 200
    # taken again when the ministry corrects its results
    Score.objects.filter(assessment=assessment, criterion=leaf["1.1"]).update(score=D(3))
    assert services.ministry_scores_apply(actor=nat.u.coordinator, cycle=nat.ncycle, version=nat.ncycle.version) == 3
    assert nat.nentry("1.1").score == D(3)


def test_the_bundled_par_index_opens_for_the_province(ap, frameworks):
    version = frameworks["PAR_INDEX"]
    cycle = services.national_cycle_open(actor=ap.u.coordinator, province=ap.province, version=version,
                                         year=max(version.first_year, 2024), dates=dates())
    leaves = version.criteria.filter(children__isnull=True).count()
    assert leaves > 20 and cycle.sheets.get().entries.count() == leaves


def test_the_coordinator_opens_it_from_the_home_page(client, ap):
    version = national_version()
    login(client, ap.u.coordinator)
    page = client.get(reverse("appraisal:home")).content.decode()
    assert "Tỉnh tự đánh giá Chỉ số CCHC (gửi Bộ Nội vụ)" in page and version.public_id in page
    form = {"version": version.public_id, "year": "2026", "self_due": "10/01/2030", "appraisal_due": "20/01/2030",
            "explanation_due": "25/01/2030", "publish_on": "30/01/2030"}
    r = client.post(reverse("appraisal:national_open"), form)
    sheet = ap.province.appraisal_sheets.get()
    assert r.status_code == 302 and r["Location"] == reverse("appraisal:sheet", args=[sheet.public_id])
    assert client.get(reverse("appraisal:cycle", args=[sheet.cycle.public_id]))["Location"] == r["Location"]
    again = client.post(reverse("appraisal:national_open"), form, follow=True).content.decode()
    assert "đã có đợt tự đánh giá" in again


def test_a_unit_links_evidence_on_its_own_sheet(client, ap):
    """Links as evidence on any sheet (issue 12 item 4): the unit's officer adds an address; the appraiser
    opens it; another unit's officer cannot add one."""
    e = ap.entry("1.1")
    login(client, ap.u.officer)
    page = client.get(reverse("appraisal:sheet", args=[ap.sheet.public_id])).content.decode()
    assert 'data-testid="add-evidence"' in page
    r = client.post(reverse("appraisal:evidence_add", args=[e.public_id]),
                    {"url": "https://congbao.example.gov.vn/qd-15", "label": "Quyết định 15/QĐ-STP"})
    assert r.status_code == 302
    link = e.evidence.get()
    assert (link.url, link.file_name, link.taken_from) == ("https://congbao.example.gov.vn/qd-15",
                                                           "Quyết định 15/QĐ-STP", "")
    e.refresh_from_db()
    services.entry_save(actor=ap.u.officer, entry=e, version=e.version, data=services.SelfInput(True, D(4)))
    assert not [p for p in services.submission_problems(ap.sheet) if p.startswith("Tiêu chí 1.1")]  # the link counts
    login(client, UserFactory(username="finance-officer-2", unit=ap.finance, role=Role.OFFICER))
    assert client.post(reverse("appraisal:evidence_add", args=[e.public_id]),
                       {"url": "https://a.example/x"}).status_code == 404


def test_the_coordinators_sheet_page_sends_to_the_ministry_then_takes_its_scores(client, nat):
    login(client, nat.u.coordinator)
    url = reverse("appraisal:sheet", args=[nat.nsheet.public_id])
    page = client.get(url).content.decode()
    assert "Duyệt và gửi Bộ Nội vụ" in page and 'name="self_score"' in page and 'data-testid="ministry-apply"' not in page
    self_assess(nat)
    page = client.get(url).content.decode()
    assert 'data-testid="ministry-apply"' in page and "Lấy điểm Bộ Nội vụ công bố năm 2026" in page
    r = client.post(reverse("appraisal:ministry_apply", args=[nat.ncycle.public_id]), {"version": nat.ncycle.version},
                    follow=True)
    assert "Chưa có kết quả Chỉ số CCHC năm 2026" in r.content.decode()
