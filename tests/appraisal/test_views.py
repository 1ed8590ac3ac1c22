"""The pages, as each role: the unit self-scores with evidence (one file taken from its quarterly
report), explains, the leader submits and withdraws; the appraiser sends back, the unit answers, the
lead finalises; the results and the outputs. Query budgets are constant in the number of units."""
import datetime as dt
import io
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from chiso.appraisal import services
from chiso.appraisal.models import SheetState
from chiso.progress import services as progress
from chiso.progress.models import ReportingPeriod
from tests.appraisal.test_services import PDF, fill_all, finish_all, submit
from tests.factories import AssignmentFactory, PlanItemFactory, PlanTableFactory, UnitFactory

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def test_self_assessment_page_and_htmx_save(client, ap):
    login(client, ap.u.officer)
    page = client.get(reverse("appraisal:sheet", args=[ap.sheet.public_id]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Ban hành đúng hạn: 4 điểm" in body and "Lưu" in body
    e = ap.entry("1.1")
    url = reverse("appraisal:entry_save", args=[e.public_id])
    ok = client.post(url, {"version": e.version, "applicable": "1", "self_score": "3,5", "explanation": "",
                           "files": [SimpleUploadedFile("kh.pdf", PDF)]}, HTTP_HX_REQUEST="true")
    assert ok.status_code == 200 and "3,5" in ok.content.decode() and "kh.pdf" in ok.content.decode()
    bad = client.post(url, {"version": e.version + 1, "applicable": "1", "self_score": "9"}, HTTP_HX_REQUEST="true")
    assert bad.status_code == 422 and "lớn hơn điểm tối đa 4" in bad.content.decode()
    assert 'value="9"' in bad.content.decode()  # what was typed stays
    stale = client.post(url, {"version": e.version, "applicable": "1", "self_score": "1"}, HTTP_HX_REQUEST="true")
    assert stale.status_code == 409 and "CHƯA được lưu" in stale.content.decode()
    junk = client.post(url, {"version": e.version + 1, "applicable": "1", "self_score": "1,2,3"}, HTTP_HX_REQUEST="true")
    assert junk.status_code == 422 and "không phải là một số" in junk.content.decode()
    assert ap.entry("1.1").self_score == D("3.5")


def test_taking_a_file_from_the_quarterly_report(client, ap, settings):
    plan_item = PlanItemFactory(table=PlanTableFactory(plan__issuer=ap.province, plan__first_year=2026,
                                                       plan__last_year=2026), code="1.1")
    task = AssignmentFactory(task__item=plan_item, unit=ap.justice, role="lead").task
    period = ReportingPeriod.objects.create(plan=plan_item.table.plan, name="Quý II/2026", start=dt.date(2026, 4, 1),
                                            end=dt.date(2026, 6, 30), due_date=dt.date(2026, 6, 20))
    progress.report_save(actor=ap.u.officer, period=period, task=task, version=0,
                         data=progress.ReportInput("in_progress", 50, "Đã ban hành kế hoạch", ""),
                         files=[SimpleUploadedFile("ke-hoach-cchc.pdf", PDF)])
    login(client, ap.u.officer)
    page = client.get(reverse("appraisal:sheet", args=[ap.sheet.public_id])).content.decode()
    assert "ke-hoach-cchc.pdf — Quý II/2026" in page
    source = period.reports.get().evidence.get()
    e = ap.entry("1.1")
    r = client.post(reverse("appraisal:evidence_take", args=[e.public_id]), {"source": source.public_id},
                    HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and "Báo cáo Quý II/2026" in r.content.decode()
    taken = e.evidence.get()
    assert taken.file.name == source.file.name
    assert client.get(reverse("appraisal:evidence", args=[taken.public_id])).status_code == 200


def test_submit_withdraw_by_the_leader_only(client, ap):
    fill_all(ap)
    login(client, ap.u.officer)
    ap.sheet.refresh_from_db()
    assert client.post(reverse("appraisal:submit", args=[ap.sheet.public_id]),
                       {"version": ap.sheet.version}).status_code == 403
    login(client, ap.u.leader)
    client.post(reverse("appraisal:submit", args=[ap.sheet.public_id]), {"version": ap.sheet.version})
    ap.sheet.refresh_from_db()
    assert ap.sheet.state == SheetState.SUBMITTED
    page = client.get(reverse("appraisal:sheet", args=[ap.sheet.public_id])).content.decode()
    assert "Rút lại để sửa" in page
    client.post(reverse("appraisal:withdraw", args=[ap.sheet.public_id]), {"version": ap.sheet.version})
    ap.sheet.refresh_from_db()
    assert ap.sheet.state == SheetState.DRAFT


def test_appraisal_page_send_back_answer_finalise(client, ap):
    fill_all(ap)
    submit(ap)
    login(client, ap.u.appraiser)
    page = client.get(reverse("appraisal:appraise", args=[ap.sheet.public_id]))
    assert page.status_code == 200
    e = ap.entry("1.1")
    r = client.post(reverse("appraisal:entry_appraise", args=[e.public_id]),
                    {"version": e.version, "score": "3", "comment": "Thiếu quyết định", "applicable": "1"},
                    HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and "-1" in r.content.decode()
    due = (timezone.localdate() + dt.timedelta(days=2)).isoformat()
    client.post(reverse("appraisal:send_back", args=[ap.sheet.public_id]),
                {"entries": [e.public_id], "message": "Bổ sung quyết định", "due": due})
    sb = e.send_backs.get()
    login(client, ap.u.officer)
    assert "Bổ sung quyết định" in client.get(reverse("appraisal:sheet", args=[ap.sheet.public_id])).content.decode()
    client.post(reverse("appraisal:answer", args=[sb.public_id]), {"answer": "Đã bổ sung QĐ 12"})
    sb.refresh_from_db()
    assert sb.answer == "Đã bổ sung QĐ 12"
    login(client, ap.u.lead)
    assert "Đã bổ sung QĐ 12" in client.get(reverse("appraisal:appraise", args=[ap.sheet.public_id])).content.decode()


def test_other_province_gets_404(client, ap):
    login(client, ap.u.other)
    for name, arg in [("appraisal:sheet", ap.sheet.public_id), ("appraisal:appraise", ap.sheet.public_id),
                      ("appraisal:cycle", ap.cycle.public_id), ("appraisal:results", ap.cycle.public_id),
                      ("appraisal:framework", ap.fw.public_id)]:
        assert client.get(reverse(name, args=[arg])).status_code == 404, name


def test_a_unit_sees_only_its_own_sheet_before_publication(client, ap):
    other_sheet = ap.cycle.sheets.get(unit=ap.finance)
    login(client, ap.u.officer)
    assert client.get(reverse("appraisal:sheet", args=[other_sheet.public_id])).status_code == 404
    assert client.get(reverse("appraisal:results", args=[ap.cycle.public_id])).status_code == 404
    assert client.get(reverse("appraisal:cycle", args=[ap.cycle.public_id])).status_code == 302


def publish(ap):
    finish_all(ap)
    for sheet in ap.cycle.sheets.all():
        type(sheet).objects.filter(pk=sheet.pk).update(state=SheetState.FINALISED)
    ap.cycle.refresh_from_db()
    return services.cycle_publish(actor=ap.u.coordinator, cycle=ap.cycle, decision_number="15/QĐ-UBND",
                                  version=ap.cycle.version)


def test_results_heatmap_and_outputs(client, ap):
    publish(ap)
    login(client, ap.u.officer)
    page = client.get(reverse("appraisal:results", args=[ap.cycle.public_id])).content.decode()
    assert "#1e7b4f" in page and "<svg" in page and "Xuất sắc" in page and "Điểm bị mất" in page
    for name in ("appraisal:results_xlsx", "appraisal:decision_docx"):
        r = client.get(reverse(name, args=[ap.cycle.public_id]))
        assert r.status_code == 200 and r.content[:2] == b"PK"
    for name in ("appraisal:self_report_docx", "appraisal:record_docx"):
        assert client.get(reverse(name, args=[ap.sheet.public_id])).content[:2] == b"PK"


def test_points_template_round_trip(client, ap):
    login(client, ap.u.coordinator)
    content = client.get(reverse("appraisal:points_template", args=[ap.cycle.public_id])).content
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(content))
    ws = wb.active
    assert [c.value for c in ws[1]][2:] == ["2.1 (tối đa 6)", "2.2 (tối đa 4)"]
    for row in ws.iter_rows(min_row=2):
        row[2].value, row[3].value = 5, 3.5
    buf = io.BytesIO()
    wb.save(buf)
    client.post(reverse("appraisal:points_import", args=[ap.cycle.public_id]),
                {"file": SimpleUploadedFile("diem.xlsx", buf.getvalue())})
    assert ap.entry("2.2").score == D("3.5")


def test_query_counts_do_not_grow_with_units(client, ap):
    login(client, ap.u.coordinator)
    url = reverse("appraisal:results", args=[ap.cycle.public_id])
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(6):
        UnitFactory(name=f"Sở thêm {i}", parent=ap.province)
    fw = services.framework_copy(actor=ap.u.coordinator, source=ap.fw, year=2027)
    from tests.appraisal.conftest import dates

    bigger = services.cycle_open(actor=ap.u.coordinator, framework=fw, name="2027", dates=dates())
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("appraisal:results", args=[bigger.public_id]))
    # a fixed budget (the navbar's included), the same for 3 units as for 9: nothing per unit or criterion
    assert len(few) <= 15 and len(many) == len(few), (len(few), len(many))
    sheet = bigger.sheets.first()
    with CaptureQueriesContext(connection) as page:
        client.get(reverse("appraisal:appraise", args=[sheet.public_id]))
    assert len(page) <= 25
