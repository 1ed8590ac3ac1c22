"""The rows of tests/test_scope.py for the province's own index: every URL × the roles of issue 12.

Roles: anonymous · unit_officer and unit_leader (Sở Tư pháp) · appraiser (Sở Nội vụ, field 1) ·
council_lead (Sở Tài chính) · other (the coordinator of another province) · coordinator (Sở Nội vụ;
last, as its writes change what the others read). Two cycles: 2026 where the unit's sheet is a
draft, 2027 where it is submitted (appraisal, send-back, withdrawal)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from chiso.accounts.models import Role

ROLES = ["anonymous", "unit_officer", "unit_leader", "appraiser", "council_lead", "other", "coordinator"]
PDF = b"%PDF-1.4\n%%EOF\n"


def objects():
    from chiso.appraisal import services
    from chiso.appraisal.services import SelfInput
    from tests.appraisal.conftest import CRITERIA, build_framework, dates
    from tests.factories import ProvinceFactory, UnitFactory, UserFactory

    province = ProvinceFactory(name="Tỉnh A")
    home = UnitFactory(name="Sở Nội vụ", parent=province)
    justice = UnitFactory(name="Sở Tư pháp", parent=province)
    finance = UnitFactory(name="Sở Tài chính", parent=province)
    u = {
        "coordinator": UserFactory(username="ap-coord", unit=home, role=Role.COORDINATOR),
        "unit_officer": UserFactory(username="ap-officer", unit=justice, role=Role.OFFICER),
        "unit_leader": UserFactory(username="ap-leader", unit=justice, role=Role.LEADER),
        "appraiser": UserFactory(username="ap-appraiser", unit=home, role=Role.OFFICER),
        "council_lead": UserFactory(username="ap-lead", unit=finance, role=Role.OFFICER),
        "other": UserFactory(username="ap-other", unit=UnitFactory(parent=ProvinceFactory(name="Tỉnh B")),
                             role=Role.COORDINATOR),
    }
    coord = u["coordinator"]
    cycles, sheets = [], []
    for year in (2026, 2027):
        fw = build_framework(coord, province, year=year)
        cycle = services.cycle_open(actor=coord, framework=fw, name=f"Đợt {year}", dates=dates())
        services.council_member_set(actor=coord, cycle=cycle, user=u["appraiser"], fields=["1"])
        services.council_member_set(actor=coord, cycle=cycle, user=u["council_lead"], is_lead=True)
        cycles.append(cycle)
        sheets.append(cycle.sheets.get(unit=justice))
    for code, pts, files in (("1.1", D(4), [SimpleUploadedFile("a.pdf", PDF)]), ("1.2", D(5), [])):
        for sheet in sheets:
            e = sheet.entries.get(criterion__code=code)
            services.entry_save(actor=u["unit_officer"], entry=e, version=e.version, files=files,
                                data=SelfInput(True, pts, ""))
    submitted = services.sheet_submit(actor=u["unit_leader"], sheet=sheets[1], version=sheets[1].version)
    asked = submitted.entries.get(criterion__code="1.1")
    [send_back] = services.send_back_create(actor=u["appraiser"], entries=[asked], message="Bổ sung",
                                            due=timezone.localdate() + dt.timedelta(days=2))
    def restore():
        """A removed file is hidden; each role's removal starts from the file shown again."""
        type(ev).objects.filter(pk=ev.pk).update(removed_at=None)
        return {}

    ev = sheets[0].entries.get(criterion__code="1.1").evidence.get()
    # the province's own PAR INDEX self-assessment: the Sở Tư pháp leads field 1 in this year's plan
    from tests.appraisal.test_national import national_version
    from tests.factories import AssignmentFactory, PlanItemFactory, PlanTableFactory

    version = national_version()
    item = PlanItemFactory(table=PlanTableFactory(plan__issuer=province, plan__first_year=2026, plan__last_year=2026),
                           code="1", level=1)
    AssignmentFactory(task__item=item, unit=justice, role="lead")
    national = services.national_cycle_open(actor=coord, province=province, version=version, year=2026, dates=dates())
    open_fw = services.framework_create(actor=coord, province=province, group="communes", year=2026)
    services.criteria_import(actor=coord, framework=open_fw, rows=list(CRITERIA), version=open_fw.edit_version)
    return SimpleNamespace(users=u, fw=cycles[0].framework, open_fw=open_fw, cycle=cycles[0], draft=sheets[0],
                           submitted=submitted, send_back=send_back, asked=asked,
                           evidence=ev, version=version, national=national, nsheet=national.sheets.get(),
                           member=cycles[0].members.get(user=u["appraiser"]), restore_evidence=restore)


def cases(Case):
    def expect(default, anonymous=302, **roles):
        return {r: roles.get(r, anonymous if r == "anonymous" else default) for r in ROLES}

    def fresh(obj):
        obj.refresh_from_db()
        return obj

    def api(expected):
        return {k: (401 if k == "anonymous" else v) for k, v in expected.items()}

    readers = expect(200, other=404)
    manager_post = expect(403, coordinator=302, other=404)
    manager_get = expect(403, coordinator=200, other=404)
    overseen = expect(404, appraiser=200, council_lead=200, coordinator=200)  # results before publication
    fill_post = expect(403, unit_officer=302, unit_leader=302, other=404)
    appraise_post = expect(403, appraiser=302, council_lead=302, other=404)
    fw = lambda c: {"public_id": c.fw.public_id}  # noqa: E731
    open_fw = lambda c: {"public_id": c.open_fw.public_id}  # noqa: E731
    cyc = lambda c: {"public_id": c.cycle.public_id}  # noqa: E731
    draft = lambda c: {"public_id": c.draft.public_id}  # noqa: E731
    sub = lambda c: {"public_id": c.submitted.public_id}  # noqa: E731
    draft_entry = lambda c: {"public_id": c.draft.entries.get(criterion__code="1.2").public_id}  # noqa: E731
    dates = {"self_due": "2030-01-10", "appraisal_due": "2030-01-20", "explanation_due": "2030-01-25",
             "publish_on": "2030-01-30"}
    return [
        Case("appraisal:home", "get", expected=expect(200)),
        Case("appraisal:framework_new", "post", expected=expect(403, coordinator=302, other=302),
             data=lambda c, role: {"group": "districts", "year": "2026"}),
        Case("appraisal:framework", "get", fw, readers),
        Case("appraisal:criterion_save", "post", open_fw, manager_post,
             data=lambda c, role: {"version": fresh(c.open_fw).edit_version, "code": "3", "name": "Lĩnh vực mới",
                                   "max_points": "5", "method": "appraisal"}),
        Case("appraisal:criteria_template", "get", open_fw, manager_get),
        Case("appraisal:criteria_import", "post", open_fw, manager_post,
             data=lambda c, role: {"version": fresh(c.open_fw).edit_version}),
        Case("appraisal:criterion_remove", "post", lambda c: {"public_id": c.open_fw.public_id, "code": "2.2"},
             manager_post, data=lambda c, role: {"version": fresh(c.open_fw).edit_version}),
        Case("appraisal:framework_revise", "post", fw, manager_post),
        Case("appraisal:thresholds", "post", open_fw, manager_post,
             data=lambda c, role: {"version": fresh(c.open_fw).edit_version, "bound": ["80", "0"],
                                   "label": ["Tốt", "Chưa tốt"]}),
        Case("appraisal:cycle_open", "post", open_fw, manager_post, data=lambda c, role: {"name": "Đợt xã", **dates}),
        Case("appraisal:cycle", "get", cyc, expect(200, unit_officer=302, unit_leader=302, other=404)),
        Case("appraisal:cycle_dates", "post", cyc, manager_post,
             data=lambda c, role: {"version": fresh(c.cycle).version, **dates}),
        Case("appraisal:council", "post", cyc, manager_post,
             data=lambda c, role: {"user": c.users["appraiser"].public_id, "fields": ["1", "2"]}),
        Case("appraisal:council_remove", "post", lambda c: {"public_id": c.cycle.public_id,
                                                            "member_id": c.member.public_id}, manager_post),
        Case("appraisal:points_template", "get", cyc, manager_get),
        Case("appraisal:points_import", "post", cyc, manager_post),
        Case("appraisal:points_form", "get", cyc, manager_get),
        Case("appraisal:points_form", "post", cyc, manager_post, data=lambda c, role: {}),
        Case("appraisal:publish", "post", cyc, manager_post,
             data=lambda c, role: {"version": fresh(c.cycle).version, "decision_number": "1/QĐ"}),
        Case("appraisal:results", "get", cyc, overseen),
        Case("appraisal:results_xlsx", "get", cyc, overseen),
        Case("appraisal:decision_docx", "get", cyc, overseen),
        Case("appraisal:sheet", "get", draft, expect(200, appraiser=302, council_lead=302, other=404)),
        Case("appraisal:appraise", "get", sub, expect(403, appraiser=200, council_lead=200, coordinator=200,
                                                      other=404)),
        Case("appraisal:submit", "post", draft, expect(403, unit_leader=302, other=404),
             data=lambda c, role: {"version": fresh(c.draft).version}),
        Case("appraisal:withdraw", "post", sub, expect(403, unit_leader=302, other=404),
             data=lambda c, role: {"version": fresh(c.submitted).version}),
        Case("appraisal:finalise", "post", sub, expect(403, council_lead=302, other=404),
             data=lambda c, role: {"version": fresh(c.submitted).version}),
        Case("appraisal:accept_self", "post", sub, appraise_post),
        Case("appraisal:send_back", "post", sub, appraise_post,
             data=lambda c, role: {"entries": [c.asked.public_id], "message": "Giải trình thêm",
                                   "due": (timezone.localdate() + dt.timedelta(days=1)).isoformat()}),
        Case("appraisal:self_report_docx", "get", draft, readers),
        Case("appraisal:record_docx", "get", sub, readers),
        Case("appraisal:entry_save", "post", draft_entry, fill_post,
             data=lambda c, role: {"version": c.draft.entries.get(criterion__code="1.2").version, "applicable": "1",
                                   "self_score": "4", "explanation": ""}),
        Case("appraisal:evidence_take", "post", draft_entry, fill_post, data=lambda c, role: {"source": "khong-co"}),
        Case("appraisal:entry_appraise", "post", lambda c: {"public_id": c.asked.public_id}, appraise_post,
             data=lambda c, role: {"version": fresh(c.asked).version, "score": "3", "comment": "",
                                   "applicable": "1"}),
        Case("appraisal:evidence", "get", lambda c: {"public_id": c.evidence.public_id}, readers),
        Case("appraisal:evidence_remove", "post", lambda c: {"public_id": c.evidence.public_id}, fill_post,
             data=lambda c, role: c.restore_evidence()),
        # API (/api/appraisals/): the same services and policies; 401 without credentials
        Case("api:list_appraisal_frameworks", "get", expected=api(expect(200))),
        Case("api:get_appraisal_framework", "get", lambda c: {"framework_id": c.fw.public_id}, api(readers)),
        Case("api:list_appraisal_cycles", "get", expected=api(expect(200))),
        Case("api:list_appraisal_assessments", "get", lambda c: {"cycle_id": c.cycle.public_id}, api(readers)),
        Case("api:get_appraisal_assessment", "get", lambda c: {"assessment_id": c.draft.public_id}, api(readers)),
        Case("api:save_self_score", "put", lambda c: {"assessment_id": c.draft.public_id, "code": "1.2"},
             api(expect(403, unit_officer=200, unit_leader=200, other=404)), json=True,
             data=lambda c, role: {"version": c.draft.entries.get(criterion__code="1.2").version, "self_score": 4}),
        Case("api:save_appraisal_score", "put", lambda c: {"assessment_id": c.submitted.public_id, "code": "1.1"},
             api(expect(403, appraiser=200, council_lead=200, other=404)), json=True,
             data=lambda c, role: {"version": fresh(c.asked).version, "score": 3, "comment": "API"}),
        Case("api:submit_appraisal_assessment", "post", lambda c: {"assessment_id": c.draft.public_id},
             api(expect(403, unit_leader=200, other=404)), json=True,
             data=lambda c, role: {"version": fresh(c.draft).version}),
        Case("api:withdraw_appraisal_assessment", "post", lambda c: {"assessment_id": c.submitted.public_id},
             api(expect(403, unit_leader=200, other=404)), json=True,
             data=lambda c, role: {"version": fresh(c.submitted).version}),
        Case("api:set_survey_points", "post", lambda c: {"cycle_id": c.cycle.public_id},
             api(expect(403, coordinator=200, other=404)), json=True,
             data=lambda c, role: [{"unit_id": c.draft.unit.public_id, "code": "2.1", "points": 5}]),
        Case("api:get_appraisal_results", "get", lambda c: {"cycle_id": c.cycle.public_id}, api(overseen)),
        # the province toward the ministry (item 9): lead departments (the unit's officer and leader: the Sở Tư
        # pháp leads field 1) add evidence; the coordinator fills, takes the ministry's scores
        Case("appraisal:national_open", "post", expected=expect(403, coordinator=302, other=302),
             data=lambda c, role: {"version": c.version.public_id, "year": "2027", **dates}),
        Case("appraisal:ministry_apply", "post", lambda c: {"public_id": c.national.public_id},
             expect(404, coordinator=302),  # the cycle is the province's: hidden from the departments
             data=lambda c, role: {"version": fresh(c.national).version}),
        Case("appraisal:comparison", "get", lambda c: {"public_id": c.nsheet.public_id},
             expect(404, unit_officer=200, unit_leader=200, coordinator=200)),
        Case("appraisal:summary_xlsx", "get", draft, readers),
        Case("appraisal:evidence_add", "post",
             lambda c: {"public_id": c.nsheet.entries.get(criterion__code="1.1").public_id},
             expect(404, unit_officer=302, unit_leader=302, coordinator=302),
             data=lambda c, role: {"url": f"https://tinh.example.gov.vn/{role}"}),
        Case("appraisal:answer", "post", lambda c: {"public_id": c.send_back.public_id}, fill_post,
             data=lambda c, role: {"answer": "Đã bổ sung"}),
    ]
