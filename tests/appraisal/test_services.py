import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import timezone

from chiso.appraisal import selectors, services
from chiso.appraisal.models import CycleState, SheetState
from chiso.appraisal.services import CriterionInput, PointRow, SelfInput
from chiso.common.errors import ConflictError, ServiceError
from chiso.common.signals import SurveyPoint, survey_points_ready
from chiso.scores.models import Score
from tests.appraisal.conftest import build_framework, dates

PDF = b"%PDF-1.4\n%%EOF\n"


def pdf(name="kh.pdf"):
    return SimpleUploadedFile(name, PDF)


def fill(ap, code, points, *, files=(), explanation="", actor=None, applicable=True):
    e = ap.entry(code)
    return services.entry_save(actor=actor or ap.u.officer, entry=e, version=e.version, files=files,
                               data=SelfInput(applicable, points, explanation))


def fill_all(ap):
    fill(ap, "1.1", D(4), files=[pdf()])
    fill(ap, "1.2", D(5))


def submit(ap):
    ap.sheet.refresh_from_db()
    return services.sheet_submit(actor=ap.u.leader, sheet=ap.sheet, version=ap.sheet.version)


def test_framework_tree_sums_and_lock(ap):
    v = ap.fw.version
    assert v.total_points == D(20)
    assert v.criteria.get(code="1").max_points == D(10)
    with pytest.raises(ServiceError, match="đã được dùng"):
        services.criterion_save(actor=ap.u.coordinator, framework=ap.fw, version=ap.fw.edit_version,
                                data=CriterionInput("1.3", "Mới", D(1)))


def test_criterion_checks_and_stale_form(ap):
    fw = services.framework_create(actor=ap.u.coordinator, province=ap.province, group="communes", year=2026)
    with pytest.raises(ServiceError) as exc:
        services.criterion_save(actor=ap.u.coordinator, framework=fw, version=fw.edit_version,
                                data=CriterionInput("1.1", "", D(-1)))
    assert exc.value.details == ["Cần ghi tên tiêu chí.", "Điểm tối đa phải là số lớn hơn 0.",
                                 "Chưa có tiêu chí cha 1: hãy thêm nó trước."]
    services.criterion_save(actor=ap.u.coordinator, framework=fw, version=fw.edit_version,
                            data=CriterionInput("1", "Lĩnh vực", D(3)))
    with pytest.raises(ConflictError):
        services.criterion_save(actor=ap.u.coordinator, framework=fw, version=1, data=CriterionInput("2", "X", D(1)))
    with pytest.raises(PermissionDenied):
        services.framework_create(actor=ap.u.other, province=ap.province, group="communes", year=2026)


def test_copy_of_last_year_with_differences(ap):
    new = services.framework_copy(actor=ap.u.coordinator, source=ap.fw, year=2027)
    services.criterion_save(actor=ap.u.coordinator, framework=new, version=new.edit_version,
                            criterion=new.version.criteria.get(code="1.2"),
                            data=CriterionInput("1.2", "Báo cáo CCHC định kỳ", D(5), evidence_required=False))
    services.criterion_save(actor=ap.u.coordinator, framework=new, version=new.edit_version + 1,
                            data=CriterionInput("1.3", "Tuyên truyền CCHC", D(1)))
    diffs = selectors.framework_differences(ap.fw.version, new.version)
    assert [(d.code, d.kind) for d in diffs] == [("1.2", "changed"), ("1.3", "added")]
    new.refresh_from_db()
    assert new.version.total_points == D(20) and new.based_on == ap.fw


def test_cycle_dates_checked_and_unit_kinds_make_na(ap):
    fw = build_framework(ap.u.coordinator, ap.province, year=2027, criteria=[
        CriterionInput("1", "Lĩnh vực", D(2)), CriterionInput("1.1", "Chỉ cho xã", D(2), unit_kinds=["commune"])])
    bad = dates()
    bad.self_due = bad.publish_on + dt.timedelta(days=1)
    with pytest.raises(ServiceError) as exc:
        services.cycle_open(actor=ap.u.coordinator, framework=fw, name="X", dates=bad)
    assert "Hạn tự đánh giá (D1)" in exc.value.details[0]
    cycle = services.cycle_open(actor=ap.u.coordinator, framework=fw, name="X", dates=dates())
    assert not cycle.sheets.get(unit=ap.justice).entries.get().applicable
    assert cycle.sheets.count() == 3


def test_self_score_bounded_and_stale_refused(ap):
    with pytest.raises(ServiceError) as exc:
        fill(ap, "1.1", D("4.5"))
    assert "lớn hơn điểm tối đa 4" in exc.value.details[0]
    with pytest.raises(ServiceError) as exc:
        fill(ap, "2.1", D(3))
    assert "không tự chấm" in exc.value.details[0]
    e = ap.entry("1.1")
    services.entry_save(actor=ap.u.officer, entry=e, version=e.version, data=SelfInput(True, D(3)))
    with pytest.raises(ConflictError):
        services.entry_save(actor=ap.u.officer, entry=e, version=e.version, data=SelfInput(True, D(2)))


def test_evidence_checked_like_progress_and_nothing_half_saved(ap):
    with pytest.raises(ServiceError) as exc:
        fill(ap, "1.1", D(4), files=[pdf(), SimpleUploadedFile("x.exe", b"MZ")])
    assert "x.exe" in exc.value.details[0]
    assert ap.entry("1.1").self_score is None and not ap.entry("1.1").evidence.exists()


def test_submit_needs_scores_and_explanation_where_evidence_missing(ap):
    fill(ap, "1.1", D(4))
    with pytest.raises(ServiceError) as exc:
        submit(ap)
    assert exc.value.details == ["Tiêu chí 1.1: chưa có tài liệu kiểm chứng — cần giải trình vì sao.",
                                 "Tiêu chí 1.2: chưa chấm điểm tự đánh giá."]
    fill(ap, "1.1", D(4), explanation="Kế hoạch ban hành trên hệ thống văn bản điện tử, số 12/KH-SNV")
    fill(ap, "1.2", D(5))
    with pytest.raises(PermissionDenied):
        services.sheet_submit(actor=ap.u.officer, sheet=ap.sheet, version=ap.sheet.version)
    sheet = submit(ap)
    assert sheet.state == SheetState.SUBMITTED and not sheet.late
    with pytest.raises(ServiceError, match="Phiếu đang"):
        fill(ap, "1.2", D(6))


def test_withdraw_before_d1_and_late_mark(ap):
    fill_all(ap)
    sheet = submit(ap)
    sheet = services.sheet_withdraw(actor=ap.u.leader, sheet=sheet, version=sheet.version)
    assert sheet.state == SheetState.DRAFT
    type(ap.cycle).objects.filter(pk=ap.cycle.pk).update(self_due=timezone.localdate() - dt.timedelta(days=1))
    ap.sheet.cycle.refresh_from_db()
    sheet = submit(ap)
    assert sheet.late
    with pytest.raises(ServiceError, match="quá hạn tự đánh giá"):
        services.sheet_withdraw(actor=ap.u.leader, sheet=sheet, version=sheet.version)


def test_after_d2_no_more_self_assessment(ap):
    type(ap.cycle).objects.filter(pk=ap.cycle.pk).update(appraisal_due=timezone.localdate() - dt.timedelta(days=1),
                                                         self_due=timezone.localdate() - dt.timedelta(days=2))
    with pytest.raises(ServiceError, match="quá hạn thẩm định"):
        fill(ap, "1.1", D(4))


def test_appraisal_scope_own_unit_and_fields(ap):
    fill_all(ap)
    submit(ap)
    e = ap.entry("1.1")
    e = services.entry_appraise(actor=ap.u.appraiser, entry=e, score=D(3), comment="Thiếu 1 văn bản", version=e.version)
    assert e.difference == D(-1)
    services.council_member_set(actor=ap.u.coordinator, cycle=ap.cycle, user=ap.u.appraiser, fields=["2"])
    with pytest.raises(PermissionDenied):  # now the appraiser holds field 2 only
        services.entry_appraise(actor=ap.u.appraiser, entry=ap.entry("1.2"), score=D(1), comment="",
                                version=ap.entry("1.2").version)
    home_sheet = ap.cycle.sheets.get(unit=ap.home)
    with pytest.raises(PermissionDenied):  # nobody appraises their own unit
        services.entry_appraise(actor=ap.u.appraiser, entry=ap.entry("1.1", home_sheet), score=D(1), comment="",
                                version=1)
    with pytest.raises(Http404):
        services.entry_appraise(actor=ap.u.other, entry=e, score=D(1), comment="", version=e.version)


def test_send_back_answer_and_finalise(ap):
    fill_all(ap)
    submit(ap)
    e = ap.entry("1.1")
    due = timezone.localdate() + dt.timedelta(days=3)
    [sb] = services.send_back_create(actor=ap.u.appraiser, entries=[e], message="Bổ sung quyết định ban hành",
                                     due=due)
    with pytest.raises(ServiceError) as exc:
        services.send_back_create(actor=ap.u.appraiser, entries=[e], message="x", due=due + dt.timedelta(days=30))
    assert exc.value.details[0].startswith("Hạn trả lời phải từ hôm nay")
    services.send_back_answer(actor=ap.u.officer, send_back=sb, answer="Đã bổ sung", files=[pdf("qd.pdf")])
    assert ap.entry("1.1").evidence.count() == 2
    for code, pts in [("1.1", D(4)), ("1.2", D(5))]:
        en = ap.entry(code)
        services.entry_appraise(actor=ap.u.lead, entry=en, score=pts, comment="", version=en.version)
    ap.sheet.refresh_from_db()
    with pytest.raises(ServiceError) as exc:
        services.sheet_finalise(actor=ap.u.lead, sheet=ap.sheet, version=ap.sheet.version)
    assert exc.value.details == ["Tiêu chí 2.1: chưa có điểm.", "Tiêu chí 2.2: chưa có điểm."]
    services.survey_points_set(actor=ap.u.coordinator, cycle=ap.cycle,
                               rows=[PointRow(ap.justice, "2.1", D(6)), PointRow(ap.justice, "2.2", D("3.5"))])
    with pytest.raises(PermissionDenied):
        services.sheet_finalise(actor=ap.u.appraiser, sheet=ap.sheet, version=ap.sheet.version)
    sheet = services.sheet_finalise(actor=ap.u.lead, sheet=ap.sheet, version=ap.sheet.version)
    assert sheet.state == SheetState.FINALISED
    result = selectors.sheet_index(sheet)
    assert (result.points, result.index) == (D("18.5"), D("92.5"))


def test_survey_points_checked_and_fed_by_signal(ap):
    with pytest.raises(ServiceError) as exc:
        services.survey_points_set(actor=ap.u.coordinator, cycle=ap.cycle,
                                   rows=[PointRow(ap.justice, "1.1", D(1), "dòng 3"), PointRow(ap.justice, "2.2", D(9))])
    assert exc.value.details[0].startswith("dòng 3: tiêu chí 1.1 do Hội đồng")
    assert "phải từ 0 đến 4" in exc.value.details[1]
    survey_points_ready.send(sender=None, actor=None, year=2026, framework=ap.fw.version.framework.code,
                             points=[SurveyPoint(ap.justice.pk, "2.2", D(80), 120, "Khảo sát 2026")])
    assert ap.entry("2.2").score == D("3.2")
    with pytest.raises(PermissionDenied):
        services.survey_points_set(actor=ap.u.officer, cycle=ap.cycle, rows=[])


def finish_all(ap):
    """Every sheet appraised and finalised: the justice department from its self-assessment, the others
    never submitted (finalised after D1 on the appraised points)."""
    fill_all(ap)
    submit(ap)
    type(ap.cycle).objects.filter(pk=ap.cycle.pk).update(self_due=timezone.localdate() - dt.timedelta(days=1))
    rows = []
    for sheet, pts in [(ap.sheet, D(4)), (ap.cycle.sheets.get(unit=ap.finance), D(2)),
                       (ap.cycle.sheets.get(unit=ap.home), D(4))]:
        if sheet.state == SheetState.DRAFT:
            type(sheet).objects.filter(pk=sheet.pk).update(state=SheetState.SUBMITTED)
        for code in ("1.1", "1.2"):
            e = ap.entry(code, sheet)
            actor = ap.u.appraiser if sheet.unit == ap.finance else ap.u.lead
            services.entry_appraise(actor=actor, entry=e, score=pts, comment="", version=e.version)
        rows += [PointRow(sheet.unit, "2.1", D(6)), PointRow(sheet.unit, "2.2", D(4))]
    services.survey_points_set(actor=ap.u.coordinator, cycle=ap.cycle, rows=rows)


def test_publish_writes_results_and_ranks(ap):
    finish_all(ap)
    with pytest.raises(ServiceError) as exc:
        services.cycle_publish(actor=ap.u.coordinator, cycle=ap.cycle, decision_number="1/QĐ", version=ap.cycle.version)
    assert len(exc.value.details) == 3
    ap.sheet.refresh_from_db()
    services.sheet_finalise(actor=ap.u.lead, sheet=ap.sheet, version=ap.sheet.version)
    for sheet in ap.cycle.sheets.exclude(pk=ap.sheet.pk):
        if sheet.unit == ap.finance:
            with pytest.raises(PermissionDenied):  # the lead's own unit: finalised by nobody on the council
                services.sheet_finalise(actor=ap.u.lead, sheet=sheet, version=sheet.version)
            type(sheet).objects.filter(pk=sheet.pk).update(state=SheetState.FINALISED)
        else:
            services.sheet_finalise(actor=ap.u.lead, sheet=sheet, version=sheet.version)
    cycle = services.cycle_publish(actor=ap.u.coordinator, cycle=ap.cycle, decision_number="15/QĐ-UBND",
                                   version=ap.cycle.version)
    assert cycle.state == CycleState.PUBLISHED
    lines = selectors.results(cycle)
    assert [(line.sheet.unit.name, line.rank, line.result.index) for line in lines] == [
        ("Sở Nội vụ", 1, D(90)), ("Sở Tư pháp", 1, D(90)), ("Sở Tài chính", 3, D(70))]
    ap.sheet.refresh_from_db()
    assert Score.objects.get(assessment=ap.sheet.results, criterion__code="1").score == D(8)
    assert Score.objects.get(assessment=ap.sheet.results, criterion__code="1.2").self_score == D(5)
