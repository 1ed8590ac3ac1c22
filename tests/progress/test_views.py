"""The progress pages with the three users, the whole report cycle through the forms, query budgets."""
import datetime as dt
import io

from django.urls import reverse

from chiso.plans.models import TaskStatus
from chiso.progress.models import ProgressReport, ReportState
from tests.factories import AssignmentFactory, PlanItemFactory
from chiso.progress import services
from tests.progress.conftest import pdf


def url(name, *args):
    return reverse(f"progress:{name}", args=args)


def test_officer_reports_coordinator_returns_officer_revises_coordinator_accepts(client, world, period):
    client.force_login(world.own)
    edit = url("report_edit", period.public_id, world.task.public_id)
    form = {"status": "in_progress", "percent": "50", "done": "Đã ban hành kế hoạch.", "reason": "", "links": "",
            "version": "0"}
    response = client.post(edit, {**form, "draft": "1"})
    assert response.status_code == 302
    report = ProgressReport.objects.get()
    assert report.state == ReportState.DRAFT
    response = client.post(edit, {**form, "version": "1", "submit": "1", "files": [pdf()]})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED and report.evidence.count() == 1

    client.force_login(world.coordinator)
    page = client.get(url("report", report.public_id)).content.decode()
    assert "Duyệt báo cáo" in page and "bien-ban.pdf" in page
    response = client.post(url("report", report.public_id), {"decision": "return", "comment": ""})
    assert "Cần ghi ý kiến" in response.content.decode()
    client.post(url("report", report.public_id), {"decision": "return", "comment": "Thiếu biên bản kiểm tra."})
    report.refresh_from_db()
    assert report.state == ReportState.RETURNED

    client.force_login(world.own)
    assert "Thiếu biên bản kiểm tra." in client.get(edit).content.decode()
    client.post(edit, {**form, "status": "done", "percent": "100", "version": str(report.version), "submit": "1"})
    client.force_login(world.coordinator)
    client.post(url("report", report.public_id), {"decision": "accept", "comment": ""})
    world.task.refresh_from_db()
    assert world.task.status == TaskStatus.DONE
    history = client.get(url("task", world.task.public_id)).content.decode()
    assert "Chưa thực hiện</del> → Hoàn thành" in history


def test_stale_form_is_refused_and_shows_the_saved_version(client, world, period, draft):
    client.force_login(world.own)
    form = {"status": "in_progress", "percent": "70", "done": "Bản cũ", "reason": "", "links": "", "version": "0"}
    response = client.post(url("report_edit", period.public_id, world.task.public_id), {**form, "draft": "1"})
    body = response.content.decode()
    assert response.status_code == 200 and "CHƯA được lưu" in body and 'data-testid="current-version"' in body
    draft.refresh_from_db()
    assert draft.done == "Đã ban hành kế hoạch kiểm tra."


def test_form_errors_are_in_vietnamese(client, world, period):
    client.force_login(world.own)
    response = client.post(url("report_edit", period.public_id, world.task.public_id),
                           {"status": "delayed", "percent": "abc", "version": "0", "submit": "1"})
    body = response.content.decode()
    assert "Tỷ lệ hoàn thành phải là số nguyên từ 0 đến 100." in body
    assert not ProgressReport.objects.exists()


def test_open_period_through_the_form_with_vietnamese_dates(client, world):
    client.force_login(world.coordinator)
    response = client.post(url("periods", world.plan.public_id),
                           {"name": "Quý I/2026", "start": "01/01/2026", "end": "31/03/2026", "due_date": "15/03/2026"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Quý I/2026" in page and "15/03/2026" in page
    response = client.post(url("periods", world.plan.public_id),
                           {"name": "Quý I/2026", "start": "01/01/2026", "end": "31/13/2026", "due_date": "15/03/2026"})
    body = response.content.decode()
    assert "Ngày không hợp lệ" in body


def test_evidence_download_in_scope_only(client, world, period, submitted, three_users):
    evidence = submitted.evidence.get()
    expected = {"own": 200, "other": 404, "coordinator": 200}
    for who, user in three_users:
        client.force_login(user)
        response = client.get(url("evidence", evidence.public_id))
        assert response.status_code == expected[who], who
        if response.status_code == 200:
            assert b"".join(response.streaming_content).startswith(b"%PDF")
            assert response["Content-Type"] == "application/pdf"


def test_officer_of_a_unit_without_a_role_gets_404(client, world, period, submitted):
    from tests.factories import UnitFactory, UserFactory

    peer = UserFactory(unit=UnitFactory(parent=world.province), role="officer")
    client.force_login(peer)
    assert client.get(url("task", world.task.public_id)).status_code == 404
    assert client.get(url("evidence", submitted.evidence.get().public_id)).status_code == 404
    assert client.get(url("report", submitted.public_id)).status_code == 404


def test_exports_open_in_word_and_excel(client, world, period, submitted):
    from docx import Document
    from openpyxl import load_workbook

    client.force_login(world.coordinator)
    response = client.get(url("export_docx", period.public_id))
    assert response["Content-Disposition"].startswith('attachment; filename="bao-cao-quy-iv-2025-')
    doc = Document(io.BytesIO(b"".join(response.streaming_content)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "BÁO CÁO" in text and "Quý IV/2025" in text
    cells = [c.text for row in doc.tables[1].rows for c in row.cells]
    assert world.task.text in cells and "Sở Tư pháp" in cells and "Đã tổ chức kiểm tra 5 cơ quan." in cells
    assert "1" in cells  # evidence count
    response = client.get(url("export_xlsx", period.public_id))
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [c for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    assert world.task.text in values and "Tình hình thực hiện" in values and "GIÁM ĐỐC" in values


def _docx(client, name, period, query=None):
    from docx import Document

    response = client.get(url(name, period.public_id), query or {})
    doc = Document(io.BytesIO(b"".join(response.streaming_content)))
    head = [c.text for c in doc.tables[0].rows[0].cells]
    foot = [c.text for c in doc.tables[-1].rows[0].cells]
    return response, doc, head, foot


def test_the_sở_nội_vụ_report_is_signed_by_its_director_and_sent_to_the_province(client, world, period, submitted):
    world.home_affairs.short_name = "SNV"
    world.home_affairs.save()
    client.force_login(world.coordinator)
    response, doc, head, foot = _docx(client, "export_docx", period)
    assert "UBND TỈNH A" in head[0] and "SỞ NỘI VỤ" in head[0] and "Số:      /BC-SNV" in head[0]
    assert "A, ngày" in head[1]
    assert "Sở Nội vụ (để tổng hợp)" not in foot[0]  # not addressed to itself
    assert "- UBND tỉnh A (để báo cáo);" in foot[0] and "Lưu: VT, SNV." in foot[0] and "GIÁM ĐỐC" in foot[1]
    name = response["Content-Disposition"]
    assert "bao-cao-quy-iv-2025-" in name and "so-noi-vu.docx" in name and "bao-cao.docx" not in name


def test_an_agency_report_goes_to_the_sở_nội_vụ_and_the_foot_can_be_set(client, world, period, submitted):
    client.force_login(world.own)
    _, doc, head, foot = _docx(client, "export_docx", period)
    assert "SỞ TƯ PHÁP" in head[0] and "/BC-STP" in head[0]
    assert "- Sở Nội vụ (để tổng hợp);" in foot[0] and "- UBND tỉnh A (để báo cáo);" in foot[0]
    query = {"so": "12/BC-STP", "noi-nhan": "Sở Nội vụ;\n- Văn phòng UBND tỉnh;\n", "chuc-vu": "KT. GIÁM ĐỐC\nPhó Giám đốc",
             "nguoi-ky": "Trần Văn Bảy"}
    _, doc, head, foot = _docx(client, "export_docx", period, query)
    assert "Số: 12/BC-STP" in head[0]
    assert "- Văn phòng UBND tỉnh;" in foot[0] and "UBND tỉnh A (để báo cáo)" not in foot[0]
    assert "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC" in foot[1] and "Trần Văn Bảy" in foot[1]


def test_a_district_report_is_headed_with_the_districts_name(client, world):
    from chiso.accounts.models import Role
    from chiso.progress.models import ReportingPeriod
    from tests.factories import PlanTableFactory, UnitFactory, UserFactory

    district = UnitFactory(name="Tuy Phước", kind="district", parent=world.province)
    office = UnitFactory(name="Phòng Nội vụ", kind="district_office", parent=district)
    table = PlanTableFactory(plan__issuer=district)
    period = ReportingPeriod.objects.create(plan=table.plan, name="Quý I/2026", start=dt.date(2026, 1, 1),
                                            end=dt.date(2026, 3, 31), due_date=dt.date(2026, 3, 25))
    client.force_login(UserFactory(unit=office, role=Role.COORDINATOR))
    _, doc, head, foot = _docx(client, "export_docx", period)
    assert "UBND HUYỆN TUY PHƯỚC" in head[0] and "PHÒNG NỘI VỤ" in head[0] and "/BC-PNV" in head[0]
    assert head[1].strip().splitlines()[-1].startswith("Tuy Phước, ngày") and "A, ngày" not in head[1]
    assert "UBND huyện Tuy Phước (để báo cáo)" in foot[0] and "TRƯỞNG PHÒNG" in foot[1]


def test_report_counts_agree_a_draft_is_not_reported(client, world, period, draft):
    from chiso.progress.exports import summary_lines
    from chiso.progress.selectors import period_rows

    second = AssignmentFactory(task__item=world.item, unit=world.lead_unit, role="lead").task
    services.report_save(actor=world.own, period=period, task=second, submit=True, version=0,
                         data=services.ReportInput("done", 100, "Xong.", ""))
    rows = period_rows(period, world.plan.tables.get().items.get().tasks.all(), dt.date(2025, 11, 1))
    first, breakdown = summary_lines(period, rows)
    assert "Tổng số nhiệm vụ phải báo cáo trong kỳ: 2; đã báo cáo: 1 (đã duyệt 0, chờ duyệt 1)" in first
    assert "chưa báo cáo: 1" in first
    assert breakdown.startswith("Trong 1 nhiệm vụ đã báo cáo:") and "hoàn thành 1" in breakdown
    assert "đang thực hiện 0" in breakdown  # the draft's "in progress" is not counted


def _many_tasks(world, n=20):
    for i in range(n):
        item = PlanItemFactory(table=world.table, parent=world.item, level=3, max_points=1, baseline=0)
        a = AssignmentFactory(task__item=item, unit=world.lead_unit, role="lead")
        a.task.due_date = dt.date(2020, 1, 1) if i % 2 else dt.date(2099, 1, 1)
        a.task.save()


def test_home_query_budget(client, world, period, django_assert_max_num_queries):
    _many_tasks(world)
    for user in (world.own, world.coordinator):
        client.force_login(user)
        with django_assert_max_num_queries(12):
            response = client.get(url("home"))
        assert response.status_code == 200


def test_plan_dashboard_counts_and_query_budget(client, world, period, submitted, django_assert_max_num_queries):
    _many_tasks(world)
    client.force_login(world.coordinator)
    with django_assert_max_num_queries(12):
        response = client.get(url("plan_dashboard", world.plan.public_id))
    d = response.context["d"]
    assert d.total == 21 and len(d.overdue) == 10
    assert dict((s, n) for s, _, n in d.by_status)["not_started"] == 21
    assert d.periods[0]["sent"] == 1 and d.periods[0]["expected"] == 21
    assert len(d.lost) == 10  # the rows that lost a point and whose task is overdue
    from chiso.progress.services import report_review

    report_review(actor=world.coordinator, report=submitted, accept=True)
    d = client.get(url("plan_dashboard", world.plan.public_id)).context["d"]
    assert dict((s, n) for s, _, n in d.by_status)["done"] == 1
    # cached: the same page again costs the session, the user, the scope, the plan, the generations, the navbar
    with django_assert_max_num_queries(6):
        assert client.get(url("plan_dashboard", world.plan.public_id)).status_code == 200


def test_period_page_query_budget(client, world, period, django_assert_max_num_queries):
    _many_tasks(world)
    client.force_login(world.coordinator)
    with django_assert_max_num_queries(14):  # 3 for the report's default issuer and recipients, 1 the navbar's unread count
        response = client.get(url("period", period.public_id))
    assert len(response.context["rows"]) == 21


def test_task_links_on_plan_page_only_where_the_unit_has_a_role(client, world):
    other_task = AssignmentFactory(task__item=world.item, role="lead").task
    client.force_login(world.own)
    body = client.get(reverse("plans:detail", args=[world.plan.public_id])).content.decode()
    assert url("task", world.task.public_id) in body and url("task", other_task.public_id) not in body


def test_remove_evidence_from_a_draft_keeps_the_record(client, world, period, draft):
    from chiso.progress import services

    services.evidence_add(actor=world.own, report=draft, files=[pdf()])
    evidence = draft.evidence.get()
    client.force_login(world.own)
    page = client.get(url("report_edit", period.public_id, world.task.public_id)).content.decode()
    # the remove buttons sit in the main form and point to forms outside it (forms cannot nest)
    assert f'form="go-bo-{evidence.public_id}"' in page and page.count("<form") == page.count("</form>")
    main = page.split('enctype="multipart/form-data"')[1].split("</form>")[0]
    assert "<form" not in main and 'name="submit"' in main
    response = client.post(url("evidence_remove", evidence.public_id))
    assert response.status_code == 302
    evidence.refresh_from_db()
    assert evidence.removed_at is not None and evidence.removed_by == world.own
    assert "evidence-link" not in client.get(url("report_edit", period.public_id, world.task.public_id)).content.decode()
    assert client.get(url("evidence", evidence.public_id)).status_code == 404
    client.force_login(world.coordinator)
    assert client.get(url("evidence", evidence.public_id)).status_code == 200  # kept, for the record


def test_dashboard_does_not_count_group_phrases_as_agencies(client, world):
    from chiso.progress.dashboards import GROUP_LEAD

    for phrase in ("các cơ quan có liên quan", "UBND cấp xã"):
        AssignmentFactory(task__item=world.item, unit=None, group="related", text=phrase, role="lead")
    client.force_login(world.coordinator)
    d = client.get(url("plan_dashboard", world.plan.public_id)).context["d"]
    labels = {b.label: b.total for b in d.by_lead}
    assert labels == {"Sở Tư pháp": 1, GROUP_LEAD: 2}


def test_period_page_filters_by_unit_and_field_and_exports_the_filtered_list(client, world, period,
                                                                            django_assert_max_num_queries):
    from openpyxl import load_workbook

    from tests.factories import UnitFactory

    finance = UnitFactory(name="Sở Tài chính", parent=world.province)
    field6 = PlanItemFactory(table=world.table, code="6.1", name="Tài chính công", level=2)
    other = AssignmentFactory(task__item=field6, unit=finance, role="lead").task
    _many_tasks(world, 4)
    client.force_login(world.coordinator)
    with django_assert_max_num_queries(14):  # as the unfiltered page: filtering is in Python
        response = client.get(url("period", period.public_id), {"don-vi": finance.public_id})
    assert [r.task for r in response.context["rows"]] == [other]
    assert "Đang hiện 1 / 6 nhiệm vụ." in response.content.decode()
    rows = client.get(url("period", period.public_id), {"linh-vuc": world.table.index + "-2"}).context["rows"]
    assert other not in [r.task for r in rows] and world.task in [r.task for r in rows]
    rows = client.get(url("period", period.public_id), {"sap-xep": "don-vi"}).context["rows"]
    assert rows[0].task == other  # "Sở Tài chính" before "Sở Tư pháp"
    response = client.get(url("period_list_xlsx", period.public_id), {"don-vi": finance.public_id})
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws["C4"].value == other.text and ws["D4"].value == "Sở Tài chính" and ws["A5"].value is None
    assert response["Content-Disposition"].startswith('attachment; filename="danh-sach-quy-iv-2025-')


def test_plan_dashboard_filters_by_lead_unit_and_field(client, world, period, submitted, django_assert_max_num_queries):
    """?don-vi= and ?linh-vuc= narrow every count (status, overdue, periods); each count links to
    the plan page's list of the same tasks, and the Excel link carries the filter."""
    from tests.factories import UnitFactory

    _many_tasks(world)
    finance = UnitFactory(name="Sở Tài chính", parent=world.province)
    field2 = PlanItemFactory(table=world.table, level=1, code="9", name="Lĩnh vực khác")
    for _ in range(3):
        AssignmentFactory(task__item=PlanItemFactory(table=world.table, parent=field2, level=2), unit=finance, role="lead")
    client.force_login(world.coordinator)
    assert client.get(url("plan_dashboard", world.plan.public_id)).context["d"].total == 24
    with django_assert_max_num_queries(12):  # the same budget as the whole dashboard
        response = client.get(url("plan_dashboard", world.plan.public_id), {"don-vi": finance.public_id})
    d = response.context["d"]
    assert d.total == 3 and d.overdue == [] and [b.label for b in d.by_lead] == ["Sở Tài chính"]
    assert d.periods[0]["sent"] == 0 and d.periods[0]["expected"] == 3
    body = response.content.decode()
    assert "?linh-vuc=" not in body.split('data-testid="dashboard-xlsx"')[0].rsplit("<a", 1)[1]
    assert f"don-vi={finance.public_id}&amp;chu-tri=1" in body
    d = client.get(url("plan_dashboard", world.plan.public_id), {"linh-vuc": field2.public_id}).context["d"]
    assert d.total == 3 and [b.label for b in d.by_field] == ["PAR INDEX · 9 Lĩnh vực khác"]
    # an unknown unit is ignored
    assert client.get(url("plan_dashboard", world.plan.public_id), {"don-vi": "nope"}).context["d"].total == 24
    # the status count links to the plan page's list of the same tasks
    plan_page = client.get(reverse("plans:detail", args=[world.plan.public_id]),
                           {"don-vi": finance.public_id, "chu-tri": "1", "trang-thai": "not_started"})
    assert plan_page.context["shown"] == 3
