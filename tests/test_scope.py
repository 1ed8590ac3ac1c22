"""Every URL of the project × every role, with the status its policy gives.

The URLs come from the resolver: a URL added without a row here fails
`test_every_url_has_a_row`. Ids are filled from the `world` fixture plus a reporting
period, a draft report with a PDF, a contribution and an upload. Roles:

    anonymous · admin · coordinator (Sở Nội vụ of province A) · leader (province A)
    · viewer (of the lead unit) · partner (officer of a unit coordinating the task)
    · peer (officer of a unit of province A without a role on the task)
    · other (officer of province B) · own (officer of the lead unit; last, as its
    writes change the data the others read)

Statuses: 200 read, 201 created, 302 redirect (to the login page for anonymous, or after
a write), 401 API without credentials, 403 visible but not allowed, 404 hidden, 405 wrong
method, 422 refused by a service (the request was allowed; the data was not valid).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Callable
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from chiso.accounts.models import Role
from chiso.progress import services
from chiso.progress.models import ReportingPeriod
from tests.factories import AssignmentFactory, UnitFactory, UserFactory
from tests.appraisal import scope_cases as appraisal
from tests.surveys.scope_cases import cases as survey_cases, survey_objects

ROLES = ["anonymous", "admin", "coordinator", "leader", "viewer", "partner", "peer", "other", "own"]
PDF = b"%PDF-1.4\n%%EOF\n"


def expect(default: int, anonymous: int = 302, **roles: int) -> dict[str, int]:
    return {r: roles.get(r, anonymous if r == "anonymous" else default) for r in ROLES}


# Who sees what, as the policies say.
ALL = expect(200)
PUBLIC = expect(200, anonymous=200)
PROVINCE = expect(200, other=404)                                   # a plan or period of province A
TASK = expect(200, peer=404, other=404)                             # a task of the lead unit, and its reports
OVERSEERS = expect(403, admin=200, coordinator=200, leader=200, other=404)
MANAGERS = expect(403, admin=200, coordinator=200)
WRITERS = expect(403, admin=200, coordinator=200, other=404)                # a draft plan of province A
POST_ONLY = expect(405)
API = {k: (401 if v == 302 else v) for k, v in PROVINCE.items()}
API_TASK = {k: (401 if v == 302 else v) for k, v in TASK.items()}
API_WRITERS = {k: (401 if v == 302 else v) for k, v in WRITERS.items()}


@dataclass
class Case:
    name: str
    method: str
    kwargs: Callable[[SimpleNamespace], dict] = lambda c: {}
    expected: dict[str, int] = field(default_factory=dict)
    data: Callable[[SimpleNamespace, str], dict] | None = None
    json: bool = False


def plan(c):
    return {"public_id": c.plan.public_id}


def period(c):
    return {"public_id": c.period.public_id}


def period_task(c):
    return {"period_id": c.period.public_id, "task_id": c.task.public_id}


def api_plan(c):
    return {"plan_id": c.plan.public_id}


def api_period(c):
    return {"period_id": c.period.public_id}


def api_report(c):
    return {"report_id": c.report.public_id}


def draft(c):
    return {"public_id": c.draft.public_id}


def api_draft(c):
    return {"plan_id": c.draft.public_id}


def draft_item(c):
    c.last = c.new_item()
    return {"public_id": c.draft.public_id, "item_id": c.last.public_id}


def draft_task(c):
    c.last = c.new_task()
    return {"public_id": c.draft.public_id, "task_id": c.last.public_id}


def draft_assignment(c):
    assignment = c.new_assignment()
    c.last = assignment.task
    return {"public_id": c.draft.public_id, "assignment_id": assignment.public_id}


def removed_task(c):
    from chiso.plans import services as plan_services

    task = c.new_task()
    c.token = plan_services.task_remove(actor=None, task=task, version=task.version)
    return {"public_id": c.draft.public_id, "task_id": task.public_id}


def fresh_draft(c):
    c.last = c.new_draft()
    return {"public_id": c.last.public_id}


def last_version(c, role):
    c.last.refresh_from_db()
    return {"version": str(c.last.version)}


def report_body(c, role):
    c.report.refresh_from_db()
    return {"status": "in_progress", "percent": "30", "done": "Đã làm", "reason": "", "links": "",
            "version": str(c.report.version), "draft": "1"}


CASES = [
    Case("home", "get", expected=ALL),
    Case("search", "get", expected=ALL),
    Case("login", "get", expected=PUBLIC),
    Case("healthz", "get", expected=PUBLIC),
    Case("logout", "get", expected=expect(405, anonymous=405)),
    Case("logout", "post", expected=expect(302)),
    Case("plans:detail", "get", plan, PROVINCE),
    Case("plans:gap", "get", plan, PROVINCE),
    Case("plans:tasks_xlsx", "get", plan, PROVINCE),
    # writing a plan: coordinators (and administrators) of the issuer's scope; the province reads
    Case("plans:new", "get", expected=MANAGERS),
    Case("plans:start_results", "post", expected=expect(403, admin=302, coordinator=302),
         data=lambda c, role: {"results": c.assessment.public_id}),
    Case("plans:start_previous", "post", expected=expect(403, admin=302, coordinator=302),
         data=lambda c, role: {"plan": c.plan.public_id}),
    Case("plans:start_blank", "post", expected=expect(403, admin=302, coordinator=302),
         data=lambda c, role: {"issuer": c.province.public_id, "version": c.version.public_id, "year": "2026"}),
    Case("plans:body_template", "get", expected=MANAGERS),
    Case("plans:body_template", "post", expected=expect(403, admin=404, coordinator=302),
         data=lambda c, role: {"action": "reset"}),
    Case("plans:edit", "get", draft, WRITERS),
    Case("plans:heading_save", "post", draft, WRITERS,
         data=lambda c, role: {"version": str(c.fresh(c.draft).version), "title": f"Kế hoạch {role}"}),
    Case("plans:item_add", "post", lambda c: {"public_id": c.draft.public_id, "position": 0}, WRITERS,
         data=lambda c, role: {"name": "Dòng thêm", "code": ""}),
    Case("plans:item_save", "post", draft_item, WRITERS, data=lambda c, role: {**last_version(c, role), "note": "x"}),
    Case("plans:item_move", "post", draft_item, WRITERS, data=lambda c, role: {**last_version(c, role), "huong": "len"}),
    Case("plans:item_remove", "post", draft_item, WRITERS, data=last_version),
    Case("plans:task_add", "post", draft_item, WRITERS, data=lambda c, role: {"text": "Nhiệm vụ mới"}),
    Case("plans:task_save", "post", draft_task, WRITERS,
         data=lambda c, role: {**last_version(c, role), "text": "Sửa", "deadline": "trước ngày 30/6"}),
    Case("plans:task_move", "post", draft_task, WRITERS, data=lambda c, role: {**last_version(c, role), "huong": "len"}),
    Case("plans:task_keep", "post", draft_task, WRITERS, data=last_version),
    Case("plans:task_remove", "post", draft_task, WRITERS, data=last_version),
    Case("plans:task_undo", "post", removed_task, WRITERS, data=lambda c, role: {"token": c.token}),
    Case("plans:assignment_add", "post", draft_task, WRITERS,
         data=lambda c, role: {**last_version(c, role), "role": "lead", "unit": c.lead_unit.public_id}),
    Case("plans:assignment_remove", "post", draft_assignment, WRITERS, data=last_version),
    Case("plans:undo", "post", lambda c: {"public_id": removed_task(c)["public_id"]}, WRITERS, data=lambda c, role: {"token": c.token, "bang": "0"}),
    Case("plans:unit_suggest", "get", draft_task, WRITERS),
    Case("plans:deadline_check", "get", draft, PROVINCE),
    Case("plans:submit", "post", fresh_draft, expect(403, admin=302, coordinator=302, other=404), data=last_version),
    Case("plans:send_back", "post", lambda c: {"public_id": c.submitted.public_id},
         expect(403, admin=302, coordinator=302, leader=302, other=404),
         data=lambda c, role: {"version": str(c.fresh(c.submitted).version), "comment": "Sửa lại"}),
    Case("plans:issue", "post", lambda c: {"public_id": c.submitted.public_id},
         expect(403, admin=302, coordinator=302, leader=302, other=404),
         data=lambda c, role: {"version": str(c.fresh(c.submitted).version), "number": "", "date": ""}),
    Case("plans:amend", "post", plan, expect(403, admin=302, coordinator=302, other=404),
         data=lambda c, role: {"version": str(c.fresh(c.plan).version), "reason": "Điều chỉnh"}),
    Case("plans:discard", "post", fresh_draft, expect(403, admin=302, coordinator=302, other=404), data=last_version),
    Case("plans:diff", "get", lambda c: {"public_id": c.amended.public_id}, PROVINCE),
    Case("plans:history", "get", plan, PROVINCE),
    Case("plans:signed_pdf", "get", lambda c: {"public_id": c.amended.public_id,
                                               "edition_id": c.amended.editions.get().public_id}, PROVINCE),
    Case("plans:body_docx", "get", plan, PROVINCE),
    Case("analysis:plan_checks", "get", draft, PROVINCE),
    Case("analysis:plan_outcome", "get", plan, PROVINCE),
    Case("units:list", "get", expected=ALL),
    Case("units:detail", "get", lambda c: {"public_id": c.lead_unit.public_id},
         expect(200, partner=404, peer=404, other=404)),
    Case("units:tasks_xlsx", "get", lambda c: {"public_id": c.lead_unit.public_id},
         expect(200, partner=404, peer=404, other=404)),
    Case("frameworks:list", "get", expected=ALL),
    Case("frameworks:version", "get", lambda c: {"public_id": c.version.public_id}, ALL),
    Case("ingest:new", "get", expected=MANAGERS),
    Case("ingest:detail", "get", lambda c: {"public_id": c.upload().public_id},
         expect(404, admin=200, coordinator=200)),
    Case("ingest:confirm", "get", lambda c: {"public_id": c.upload().public_id}, POST_ONLY),
    Case("ingest:confirm", "post", lambda c: {"public_id": c.upload().public_id}, expect(403, admin=302, coordinator=302)),
    Case("ingest:confirm_results", "post", lambda c: {"public_id": c.upload().public_id},
         expect(403, admin=302, coordinator=302), data=lambda c, role: {"unit": c.province.public_id}),
    Case("ingest:discard", "post", lambda c: {"public_id": c.upload().public_id}, expect(403, admin=302, coordinator=302)),
    Case("ingest:retry", "post", lambda c: {"public_id": c.upload().public_id}, expect(403, admin=302, coordinator=302)),
    Case("ingest:correct", "post", lambda c: {"public_id": c.upload().public_id}, expect(403, admin=302, coordinator=302)),
    Case("ingest:undo", "post", lambda c: {"public_id": c.upload().public_id}, expect(403, admin=302, coordinator=302)),
    Case("ingest:confirm_units", "post", lambda c: {"public_id": c.upload().public_id},
         expect(403, admin=302, coordinator=302)),
    # analysis (results, targets, rankings): read within the province, written by coordinators
    Case("analysis:home", "get", expected=ALL),
    Case("analysis:unit", "get", lambda c: {"public_id": c.province.public_id}, PROVINCE),
    Case("analysis:new_assessment", "get", lambda c: {"public_id": c.province.public_id}, POST_ONLY),
    Case("analysis:new_assessment", "post", lambda c: {"public_id": c.province.public_id},
         expect(403, admin=302, coordinator=302, other=404),
         data=lambda c, role: {"version": c.version.public_id, "year": "2023"}),
    Case("analysis:import_document", "post", lambda c: {"public_id": c.province.public_id},
         expect(403, admin=302, coordinator=302, other=404)),
    Case("analysis:targets", "get", lambda c: {"public_id": c.province.public_id,
                                               "version_id": c.version.public_id, "year": 2026}, PROVINCE),
    Case("analysis:targets", "post", lambda c: {"public_id": c.province.public_id,
                                                "version_id": c.version.public_id, "year": 2026}, PROVINCE,
         data=lambda c, role: {"tinh-thu": "1"}),
    Case("analysis:targets", "post", lambda c: {"public_id": c.province.public_id,
                                                "version_id": c.version.public_id, "year": 2026},
         expect(403, admin=302, coordinator=302, other=404), data=lambda c, role: {"luu": "1", "version": "0"}),
    Case("analysis:gap", "get", lambda c: {"public_id": c.assessment.public_id}, PROVINCE),
    Case("analysis:edit", "get", lambda c: {"public_id": c.assessment.public_id}, PROVINCE),
    Case("analysis:import_sheet", "post", lambda c: {"public_id": c.assessment.public_id},
         expect(403, admin=302, coordinator=302, other=404)),
    Case("analysis:sheet_template", "get", lambda c: {"public_id": c.assessment.public_id}, PROVINCE),
    Case("analysis:inputs", "get", lambda c: {"public_id": c.assessment.public_id}, PROVINCE),
    Case("analysis:rankings", "get", expected=ALL),
    Case("analysis:import_table", "post", expected=expect(403, admin=302, coordinator=302)),
    # the national table is shared reference data: only national scope replaces it
    Case("analysis:import_table", "post", expected=expect(403, admin=302),
         data=lambda c, role: {"index": "PAR_INDEX", "year": "2023", "scope": "quoc-gia",
                               "file": SimpleUploadedFile("bang.csv", "Tỉnh,Điểm\nTỉnh A,90\n".encode())}),
    Case("analysis:table", "get", lambda c: {"public_id": c.results_table.public_id}, ALL),
    Case("analysis:table", "get", lambda c: {"public_id": c.private_table.public_id}, expect(200, other=404)),
    Case("analysis:table_restore", "get", lambda c: {"public_id": c.results_table.public_id}, POST_ONLY),
    Case("analysis:table_restore", "post", lambda c: {"public_id": c.results_table.public_id},
         expect(403, admin=302), data=lambda c, role: {"number": "1", "version": "1"}),
    Case("analysis:table_restore", "post", lambda c: {"public_id": c.private_table.public_id},
         expect(403, admin=302, coordinator=302, other=404), data=lambda c, role: {"number": "1", "version": "1"}),
    Case("analysis:ranking", "get", lambda c: {"index": "PAR_INDEX", "year": 2024}, ALL),
    Case("analysis:plan_targets", "get", plan, expect(302, other=404)),
    Case("analysis:appendix_docx", "get", plan, PROVINCE),
    Case("analysis:appendix_xlsx", "get", plan, PROVINCE),
    # progress: pages
    Case("progress:home", "get", expected=ALL),
    Case("progress:notifications", "get", expected=ALL),                 # each sees only their own
    Case("progress:notifications_read", "get", expected=POST_ONLY),
    Case("progress:notifications_read", "post", expected=expect(302)),
    Case("progress:notification", "get", lambda c: {"public_id": c.notice.public_id}, POST_ONLY),
    Case("progress:notification", "post", lambda c: {"public_id": c.notice.public_id}, expect(404, own=302)),
    Case("progress:plan_dashboard", "get", plan, OVERSEERS),
    Case("progress:periods", "get", plan, PROVINCE),
    Case("progress:periods", "post", plan, expect(403, admin=200, coordinator=200, other=404),
         data=lambda c, role: {"name": ""}),
    Case("progress:period", "get", period, PROVINCE),
    Case("progress:period_toggle", "get", period, POST_ONLY),
    Case("progress:period_toggle", "post", period, expect(403, admin=302, coordinator=302, other=404),
         data=lambda c, role: {"open": "1"}),
    Case("progress:export_docx", "get", period, PROVINCE),
    Case("progress:export_xlsx", "get", period, PROVINCE),
    Case("progress:period_list_xlsx", "get", period, PROVINCE),
    Case("progress:report_edit", "get", period_task, expect(403, own=200, peer=404, other=404)),
    Case("progress:report_edit", "post", period_task, expect(403, own=302, peer=404, other=404), data=report_body),
    Case("progress:contribution_edit", "get", period_task, expect(403, partner=200, peer=404, other=404)),
    Case("progress:contribution_edit", "post", period_task, expect(403, partner=302, peer=404, other=404),
         data=lambda c, role: {"text": "Đã phối hợp", "links": "", "version": "0"}),
    Case("progress:task", "get", lambda c: {"public_id": c.task.public_id}, TASK),
    Case("progress:report", "get", lambda c: {"public_id": c.report.public_id}, TASK),
    # a draft cannot be reviewed: the coordinator is allowed, the service says why not
    Case("progress:report", "post", lambda c: {"public_id": c.report.public_id},
         expect(403, admin=200, coordinator=200, peer=404, other=404), data=lambda c, role: {"decision": "accept"}),
    Case("progress:evidence", "get", lambda c: {"public_id": c.evidence.public_id}, TASK),
    Case("progress:evidence_remove", "get", lambda c: {"public_id": c.evidence.public_id}, POST_ONLY),
    Case("progress:evidence_remove", "post", lambda c: {"public_id": c.evidence.public_id},
         expect(403, own=302, peer=404, other=404)),
    # accounts
    Case("accounts:profile", "get", expected=ALL),
    Case("accounts:profile", "post", expected=expect(302), data=lambda c, role: {"action": "digest"}),
    Case("accounts:import", "get", expected=expect(403, admin=200)),
    Case("accounts:import_template", "get", expected=expect(403, admin=200)),
    Case("accounts:lockouts", "get", expected=expect(403, admin=200)),
    # the users screen: coordinators (their province's accounts) and administrators
    Case("accounts:users", "get", expected=MANAGERS),
    Case("accounts:user", "get", lambda c: {"public_id": c.users["viewer"].public_id}, MANAGERS),
    Case("accounts:user", "post", lambda c: {"public_id": UserFactory(unit=c.lead_unit, email="x@example.vn").public_id},
         expect(403, admin=302, coordinator=302), data=lambda c, role: {"action": "reset"}),
    Case("accounts:password_reset", "get", expected=PUBLIC),
    Case("accounts:password_reset_done", "get", expected=PUBLIC),
    Case("accounts:password_reset_confirm", "get", lambda c: {"uidb64": "MQ", "token": "sai-ma"}, PUBLIC),
    Case("accounts:password_reset_complete", "get", expected=PUBLIC),
    Case("accounts:password_change", "get", expected=ALL),
    # API (the session authenticates as the token does)
    Case("api:openapi-json", "get", expected=PUBLIC),
    Case("api:openapi-view", "get", expected=PUBLIC),
    Case("api:api-root", "get", expected=expect(404, anonymous=404)),
    Case("api:list_plans", "get", expected=expect(200, anonymous=401)),
    Case("api:get_plan", "get", api_plan, API),
    Case("api:list_tasks", "get", api_plan, API),
    Case("api:get_task", "get", lambda c: {"task_id": c.task.public_id}, API_TASK),
    # API: writing plans (same services as the pages)
    Case("api:create_plan", "post", expected=expect(403, anonymous=401, admin=201, coordinator=201, other=404),
         data=lambda c, role: {"start": "blank", "issuer_id": c.province.public_id, "version_id": c.version.public_id,
                               "first_year": 2026}, json=True),
    Case("api:get_plan_content", "get", api_plan, API),
    Case("api:update_plan", "put", api_draft, API_WRITERS,
         data=lambda c, role: {"version": c.fresh(c.draft).version, "title": f"Kế hoạch {role}"}, json=True),
    Case("api:get_checks", "get", api_draft, API),
    Case("api:get_diff", "get", lambda c: {"plan_id": c.amended.public_id}, API),
    Case("api:submit_plan", "post", lambda c: {"plan_id": fresh_draft(c)["public_id"]}, API_WRITERS,
         data=lambda c, role: last_version(c, role), json=True),
    Case("api:return_plan", "post", lambda c: {"plan_id": c.submitted.public_id},
         expect(403, anonymous=401, admin=200, coordinator=422, leader=422, other=404),
         data=lambda c, role: {"version": c.fresh(c.submitted).version}, json=True),
    Case("api:issue_plan", "post", lambda c: {"plan_id": c.submitted.public_id},
         expect(403, anonymous=401, admin=200, coordinator=422, leader=422, other=404),
         data=lambda c, role: {"version": c.fresh(c.submitted).version, "number": f"{role}/KH",
                               "date": "2026-01-06", "signed_pdf": SimpleUploadedFile("ky.pdf", PDF)}),
    Case("api:amend_plan", "post", api_plan, expect(403, anonymous=401, admin=200, coordinator=422, other=404),
         data=lambda c, role: {"version": c.fresh(c.plan).version, "reason": "Điều chỉnh"}, json=True),
    Case("api:undo_removal", "post", lambda c: {"plan_id": removed_task(c)["public_id"]}, API_WRITERS,
         data=lambda c, role: {"removal": c.token}, json=True),
    Case("api:add_item", "post", api_draft, {**API_WRITERS, "admin": 201, "coordinator": 201},
         data=lambda c, role: {"name": "Dòng API"}, json=True),
    Case("api:update_item", "put", lambda c: {"plan_id": c.draft.public_id, "item_id": draft_item(c)["item_id"]},
         API_WRITERS, data=lambda c, role: {**last_version(c, role), "note": "API"}, json=True),
    Case("api:delete_item", "delete", lambda c: {"plan_id": c.draft.public_id, "item_id": draft_item(c)["item_id"]},
         API_WRITERS, data=last_version),
    Case("api:add_task", "post", lambda c: {"plan_id": c.draft.public_id, "item_id": draft_item(c)["item_id"]},
         {**API_WRITERS, "admin": 201, "coordinator": 201}, data=lambda c, role: {"text": "Nhiệm vụ API"}, json=True),
    Case("api:update_task", "put", lambda c: {"plan_id": c.draft.public_id, "task_id": draft_task(c)["task_id"]},
         API_WRITERS, data=lambda c, role: {**last_version(c, role), "text": "Sửa qua API"}, json=True),
    Case("api:delete_task", "delete", lambda c: {"plan_id": c.draft.public_id, "task_id": draft_task(c)["task_id"]},
         API_WRITERS, data=last_version),
    Case("api:add_agency", "post", lambda c: {"plan_id": c.draft.public_id, "task_id": draft_task(c)["task_id"]},
         {**API_WRITERS, "admin": 201, "coordinator": 201},
         data=lambda c, role: {**last_version(c, role), "role": "lead", "unit_id": c.lead_unit.public_id}, json=True),
    Case("api:delete_agency", "delete",
         lambda c: {"plan_id": c.draft.public_id, "agency_id": draft_assignment(c)["assignment_id"]},
         API_WRITERS, data=last_version),
    Case("api:list_periods", "get", api_plan, API),
    Case("api:open_period", "post", api_plan, expect(403, anonymous=401, admin=201, coordinator=201, other=404),
         data=lambda c, role: {"name": f"Kỳ thử {role}", "start": "2026-01-01", "end": "2026-03-31",
                               "due_date": "2026-03-15"}, json=True),
    Case("api:get_period", "get", api_period, API),
    Case("api:list_period_reports", "get", api_period, API),
    Case("api:get_report", "get", api_report, API_TASK),
    Case("api:save_report", "put", period_task, expect(403, anonymous=401, own=200, peer=404, other=404),
         data=lambda c, role: {"status": "in_progress", "percent": 30, "done": "Đã làm",
                               "version": report_body(c, role)["version"]}, json=True),
    Case("api:add_evidence", "post", api_report, expect(403, anonymous=401, own=201, peer=404, other=404),
         data=lambda c, role: {"file": SimpleUploadedFile("bb.pdf", PDF)}),
    Case("api:review_report", "post", api_report,
         expect(403, anonymous=401, admin=422, coordinator=422, peer=404, other=404),
         data=lambda c, role: {"decision": "accept"}, json=True),
]

CASES += survey_cases(Case, expect, ALL, PUBLIC, PROVINCE, OVERSEERS, MANAGERS, POST_ONLY)


def url_names() -> set[str]:
    def walk(patterns, ns=None):
        for p in patterns:
            if isinstance(p, URLResolver):
                inner = f"{ns}:{p.namespace}" if ns and p.namespace else (p.namespace or ns)
                yield from walk(p.url_patterns, inner)
            elif isinstance(p, URLPattern) and p.name:
                yield f"{ns}:{p.name}" if ns else p.name

    return {n for n in walk(get_resolver().url_patterns) if not n.startswith("admin:")}


APPRAISAL_CASES = appraisal.cases(Case)


def test_every_url_has_a_row():
    missing = url_names() - {c.name for c in CASES + APPRAISAL_CASES}
    assert not missing, f"URLs without a row in tests/test_scope.py CASES (add who may open them): {sorted(missing)}"


def test_django_admin_is_for_staff_only(client, world):
    client.force_login(world.coordinator)
    assert client.get("/quan-tri/").status_code == 302


@pytest.fixture
def scope(world, settings, tmp_path):
    from chiso.frameworks.models import Framework, FrameworkVersion
    from chiso.ingest.models import Upload

    settings.MEDIA_ROOT = tmp_path
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    partner_unit = UnitFactory(name="Sở Tài chính", parent=world.province)
    AssignmentFactory(task=world.task, unit=partner_unit, role="coordinating")
    users = {
        "admin": UserFactory(username="admin", role=Role.ADMIN, unit=None),
        "coordinator": world.coordinator,
        "leader": UserFactory(username="leader", role=Role.LEADER, unit=world.province),
        "viewer": UserFactory(username="viewer", role=Role.VIEWER, unit=world.lead_unit),
        "partner": UserFactory(username="partner", role=Role.OFFICER, unit=partner_unit),
        "peer": UserFactory(username="peer", role=Role.OFFICER, unit=UnitFactory(parent=world.province)),
        "other": world.other,
        "own": world.own,
    }
    period_ = ReportingPeriod.objects.create(plan=world.plan, name="Quý IV/2025", start=dt.date(2025, 10, 1),
                                             end=dt.date(2025, 12, 31), due_date=dt.date(2025, 12, 15))
    report = services.report_save(actor=world.own, period=period_, task=world.task, version=0,
                                  data=services.ReportInput("in_progress", 20, "Đang làm", ""),
                                  files=[SimpleUploadedFile("bb.pdf", PDF)])
    from chiso.scores.models import Assessment

    framework = Framework.objects.create(code="scope-test", index="PAR_INDEX", name="PAR INDEX")
    version = FrameworkVersion.objects.create(framework=framework, label="2023", first_year=2023, total_points=100)
    world.table.version = version
    world.table.save()
    assessment = Assessment.objects.create(unit=world.province, version=version, year=2024)
    from chiso.scores.services import ResultLine, results_table_save

    results_table = results_table_save(actor=None, index="PAR_INDEX", year=2024, lines=[ResultLine("Tỉnh A", None, 1)])
    private_table = results_table_save(actor=None, index="PAR_INDEX", year=2024, owner=world.province, name="Riêng",
                                       lines=[ResultLine("Tỉnh A", None, 1)])

    from chiso.plans import services as plan_services

    def new_draft():
        return plan_services.plan_start_blank(actor=None, issuer=world.province, version=version, first_year=2026)

    draft_plan = new_draft()

    def new_item():
        return plan_services.item_add(actor=None, table=draft_plan.tables.get(), name="Dòng thử")

    def new_task():
        return plan_services.task_add(actor=None, item=new_item(), text="Nhiệm vụ thử")

    def new_assignment():
        task = new_task()
        return plan_services.assignment_add(actor=None, task=task, version=task.version, role="lead",
                                            unit=world.lead_unit)

    def submitted_plan():
        plan_ = new_draft()
        new_item_ = plan_services.item_add(actor=None, table=plan_.tables.get(), name="Dòng")
        assert new_item_
        return plan_services.plan_submit(actor=None, plan=plan_, version=plan_.version)

    amended = submitted_plan()
    plan_services.plan_issue(actor=None, plan=amended, version=amended.version, number="1/KH-UBND",
                             date=dt.date(2026, 1, 5), signed_pdf=SimpleUploadedFile("ky.pdf", PDF))
    amended.refresh_from_db()
    plan_services.plan_amend(actor=None, plan=amended, version=amended.version, reason="Điều chỉnh")

    def fresh(obj):
        obj.refresh_from_db()
        return obj

    def upload():
        return Upload.objects.create(file="uploads/x.pdf", file_name="x.pdf", sha256="0" * 64, size=1,
                                     uploaded_by=world.coordinator, status="failed")

    from chiso.progress.models import Notification

    notice = Notification.objects.create(recipient=users["own"], kind="report_returned", key="scope", text="Thử",
                                         url="/tien-do/")
    return SimpleNamespace(notice=notice, plan=world.plan, task=world.task, lead_unit=world.lead_unit, period=period_,
                           report=report,
                           evidence=report.evidence.get(), version=version, upload=upload, users=users,
                           province=world.province, assessment=assessment, survey=survey_objects(world),
                           results_table=results_table, private_table=private_table,
                           draft=draft_plan, new_draft=new_draft,
                           new_item=new_item, new_task=new_task, new_assignment=new_assignment,
                           submitted=submitted_plan(), amended=amended, fresh=fresh, last=None, token="")


@pytest.mark.parametrize("case", CASES, ids=[f"{c.method}-{c.name}" for c in CASES])
def test_url_by_role(client, scope, case):
    got = {}
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(scope.users[role])
        url = reverse(case.name, kwargs=case.kwargs(scope))
        data = case.data(scope, role) if case.data else {}
        if case.method == "get":
            response = client.get(url)
        elif case.method == "delete":  # the API reads a DELETE's parameters from the query
            response = client.delete(f"{url}?{urlencode(data)}")
        elif case.json:
            response = getattr(client, case.method)(url, data, content_type="application/json")
        else:
            response = getattr(client, case.method)(url, data)
        got[role] = response.status_code
    assert got == case.expected


# Writes that every signed-in person may do to what is their own (their session, their profile).
OWN_WRITES = {("post", "logout"), ("post", "accounts:profile"),
              ("post", "progress:notifications_read")}  # one marks only their own notices read
REFUSED = {302, 401, 403, 404, 405}


def test_the_table_is_whole_and_scoped_by_default():
    """Every row names a status for every role; no write is open to an anonymous visitor;
    every write but a person's own refuses some signed-in role (scoped by default)."""
    assert [c.name for c in CASES if list(c.expected) != ROLES] == []
    writes = [c for c in CASES if c.method != "get"]
    assert [c.name for c in writes if c.expected["anonymous"] not in REFUSED] == []
    open_to_all = [(c.method, c.name) for c in writes
                   if not any(c.expected[r] in {403, 404, 405} for r in ROLES if r != "anonymous")]
    assert set(open_to_all) == OWN_WRITES
    assert len(CASES) * len(ROLES) >= 1400  # the pairs checked when this was written: 179 × 9


@pytest.mark.parametrize("case", APPRAISAL_CASES, ids=[f"{c.method}-{c.name}" for c in APPRAISAL_CASES])
def test_appraisal_url_by_role(client, db, settings, tmp_path, case):
    """The province's own index with its roles: unit officer, unit leader, appraiser, council lead,
    coordinator, another province (tests/appraisal/scope_cases.py)."""
    settings.MEDIA_ROOT = tmp_path
    objects = appraisal.objects()
    got = {}
    for role in appraisal.ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(objects.users[role])
        url = reverse(case.name, kwargs=case.kwargs(objects))
        data = case.data(objects, role) if case.data else {}
        if case.method == "get":
            response = client.get(url)
        elif case.json:
            response = getattr(client, case.method)(url, data, content_type="application/json")
        else:
            response = client.post(url, data)
        got[role] = response.status_code
    assert got == case.expected


def test_the_appraisal_table_is_scoped_by_default():
    """The same rules for the province's own index: no write open to an anonymous visitor or to
    every signed-in role, and another province never sees anything (404, or its own new framework)."""
    roles = appraisal.ROLES
    assert [c.name for c in APPRAISAL_CASES if list(c.expected) != roles] == []
    writes = [c for c in APPRAISAL_CASES if c.method != "get"]
    assert [c.name for c in writes if c.expected["anonymous"] not in REFUSED] == []
    assert [c.name for c in writes if not any(c.expected[r] in {403, 404} for r in roles if r != "anonymous")] == []
    assert [c.name for c in APPRAISAL_CASES if c.expected["other"] != 404] == [
        "appraisal:home", "appraisal:framework_new", "api:list_appraisal_frameworks", "api:list_appraisal_cycles",
        "appraisal:national_open"]
