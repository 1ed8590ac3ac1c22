"""API for writing plans: start a plan, edit its heading, rows, targets, tasks and agencies, move
it through its life — the same services (and so the same checks of the actor, the draft state
and stale versions) as the pages. Every object carries its `version`: send it back with a
change; a change made on an older version is refused with 409 and overwrites nothing."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import File, Form, Schema
from ninja.files import UploadedFile

from chiso.common.errors import ServiceError
from chiso.frameworks.models import Criterion
from chiso.frameworks.policies import versions_visible_to
from chiso.scores.models import Assessment
from chiso.units.models import Unit

from . import services
from .api import router
from .checks import plan_checks
from .models import Assignment, ItemValue, Plan, PlanItem, Task, ValueKey
from .policies import issuer_allowed, plans_visible_to
from .selectors import plan_tables, tasks_prefetch
from .snapshot import edition_diff

try:
    from ninja import Status
except ImportError:  # django-ninja < 1.7 takes a (status, body) tuple
    def Status(status_code, value):  # noqa: N802
        return status_code, value

# The read API's router: a path has one URL pattern, so GET /plans and POST /plans must be
# operations of one router (chiso.api imports this module to register them).
WRITING = ["Soạn kế hoạch"]
CONFLICT = ("`version` là phiên bản khi đọc; nếu đã có người sửa sau đó, yêu cầu bị từ chối với mã 409 và "
            "không ghi đè gì.")


# -- schemas ---------------------------------------------------------------------------------

class AgencyOut(Schema):
    id: str
    role: str
    unit_id: str | None
    name: str
    group: str


class TaskDetailOut(Schema):
    id: str
    item_id: str
    text: str
    deliverable: str
    deadline_text: str
    deadline_understood: bool
    due_date: dt.date | None
    status: str
    review_note: str
    version: int
    agencies: list[AgencyOut]


class ItemOut(Schema):
    id: str
    table: int
    code: str
    name: str
    level: int
    parent_id: str | None
    max_points: Decimal | None
    baseline: Decimal | None
    baseline_year: str
    targets: dict[str, Decimal | None]
    reason: str
    note: str
    version: int
    tasks: list[TaskDetailOut]


class PlanDetailOut(Schema):
    id: str
    title: str
    issuer: str
    state: str
    edition: int
    number: str
    date: dt.date | None
    first_year: int
    last_year: int
    purpose: str
    requirements: str
    organization: str
    version: int
    items: list[ItemOut]


class StartIn(Schema):
    start: Literal["results", "previous", "blank"]
    results_id: str | None = None
    plan_id: str | None = None
    issuer_id: str | None = None
    version_id: str | None = None
    first_year: int | None = None
    last_year: int | None = None
    title: str = ""


class HeadingIn(Schema):
    version: int
    title: str
    purpose: str = ""
    requirements: str = ""
    organization: str = ""


class ItemIn(Schema):
    table: int = 0
    criterion_code: str | None = None
    name: str = ""
    code: str = ""


class ItemPatch(Schema):
    version: int
    name: str | None = None
    reason: str | None = None
    note: str | None = None
    targets: dict[str, Decimal | None] | None = None


class TaskIn(Schema):
    text: str
    deliverable: str = ""
    deadline_text: str = ""
    lead: str | None = None


class TaskPut(Schema):
    version: int
    text: str
    deliverable: str = ""
    deadline_text: str = ""


class AgencyIn(Schema):
    version: int
    role: Literal["lead", "coordinating", "implementing", "monitoring"]
    unit_id: str | None = None
    text: str = ""


class VersionIn(Schema):
    version: int


class ReturnIn(Schema):
    version: int
    comment: str = ""


class AmendIn(Schema):
    version: int
    reason: str


class RemovalOut(Schema):
    removal: str


class UndoIn(Schema):
    removal: str


class CheckOut(Schema):
    code: str
    text: str
    item_id: str


class ChecksOut(Schema):
    rows: int
    tasks: int
    assessment_cutoff: dt.date
    lost_without_task: list[CheckOut]
    without_lead: list[CheckOut]
    deadlines_after_assessment: list[CheckOut]
    deadlines_not_understood: list[CheckOut]
    targets: list[CheckOut]
    marked_for_review: list[CheckOut]
    tasks_led: dict[str, int]


class DiffOut(Schema):
    changes: int
    rows: list[dict]
    targets: list[dict]
    tasks: list[dict]
    deadlines: list[dict]
    agencies: list[dict]


# -- shaping ---------------------------------------------------------------------------------

def agency_out(a: Assignment) -> dict:
    return {"id": a.public_id, "role": a.role, "unit_id": a.unit.public_id if a.unit else None,
            "name": a.unit.name if a.unit else a.text, "group": a.group}


def task_out(task: Task, item: PlanItem) -> dict:
    return {"id": task.public_id, "item_id": item.public_id, "text": task.text, "deliverable": task.deliverable,
            "deadline_text": task.deadline_text, "deadline_understood": not task.deadline_flagged,
            "due_date": task.due_date, "status": task.status, "review_note": task.review_note,
            "version": task.version, "agencies": [agency_out(a) for a in task.assignments.all()]}


def item_out(item: PlanItem, table_position: int, parents: dict[int, str]) -> dict:
    return {"id": item.public_id, "table": table_position, "code": item.display_code, "name": item.name,
            "level": item.level, "parent_id": parents.get(item.parent_id), "max_points": item.max_points,
            "baseline": item.baseline, "baseline_year": item.baseline_year,
            "targets": {v.year: v.value for v in item.values.all() if v.key == ValueKey.TARGET},
            "reason": item.reason, "note": item.note, "version": item.version,
            "tasks": [task_out(t, item) for t in item.tasks.all()]}


def plan_detail_out(plan: Plan) -> dict:
    items = []
    for table in plan_tables(plan):
        rows = list(table.items.all())
        parents = {i.pk: i.public_id for i in rows}
        items += [item_out(i, table.position, parents) for i in rows]
    return {"id": plan.public_id, "title": plan.title, "issuer": plan.issuer.name, "state": plan.state,
            "edition": plan.edition, "number": plan.number, "date": plan.date, "first_year": plan.first_year,
            "last_year": plan.last_year, "purpose": plan.purpose, "requirements": plan.requirements,
            "organization": plan.organization, "version": plan.version, "items": items}


def _plan(request, plan_id: str) -> Plan:
    return get_object_or_404(plans_visible_to(request.user).select_related("issuer"), public_id=plan_id)


def _item(plan: Plan, item_id: str) -> PlanItem:
    return get_object_or_404(PlanItem.objects.select_related("table__plan__issuer", "table__version"),
                             table__plan=plan, public_id=item_id)


def _task(plan: Plan, task_id: str) -> Task:
    return get_object_or_404(Task.objects.select_related("item__table__plan__issuer"), item__table__plan=plan,
                             public_id=task_id)


def _item_read(item: PlanItem) -> dict:
    item = (PlanItem.objects.select_related("table")
            .prefetch_related(Prefetch("values", queryset=ItemValue.objects.order_by("key", "year")), tasks_prefetch())
            .get(pk=item.pk))
    parent = PlanItem.objects.filter(pk=item.parent_id).values_list("pk", "public_id")
    return item_out(item, item.table.position, dict(parent))


def _task_read(task: Task) -> dict:
    task = Task.objects.select_related("item").prefetch_related(
        Prefetch("assignments", queryset=Assignment.objects.select_related("unit").order_by("role_order", "position"))
    ).get(pk=task.pk)
    return task_out(task, task.item)


# -- plans -----------------------------------------------------------------------------------

@router.post("/plans", tags=WRITING, response={201: PlanDetailOut}, summary="Lập kế hoạch mới (cán bộ điều phối)",
             description="`start`: `results` (từ kết quả `results_id`: mỗi tiêu chí bị mất điểm một dòng), "
                         "`previous` (sao kế hoạch `plan_id`, lùi năm và thời hạn), `blank` (trống, theo bộ chỉ số "
                         "`version_id`, đơn vị ban hành `issuer_id`, năm `first_year`).")
def create_plan(request, data: StartIn):
    user = request.user
    if data.start == "results":
        assessment = get_object_or_404(Assessment.objects.select_related("unit", "version"),
                                       public_id=data.results_id or "")
        if not issuer_allowed(user, assessment.unit):
            raise Http404
        plan = services.plan_start_from_results(actor=user, assessment=assessment, first_year=data.first_year,
                                                last_year=data.last_year, title=data.title)
    elif data.start == "previous":
        previous = _plan(request, data.plan_id or "")
        plan = services.plan_start_from_plan(actor=user, previous=previous, first_year=data.first_year,
                                             title=data.title)
    else:
        issuer = get_object_or_404(Unit, public_id=data.issuer_id or "")
        if not issuer_allowed(user, issuer):
            raise Http404
        version = get_object_or_404(versions_visible_to(user).select_related("framework"),
                                    public_id=data.version_id or "")
        if data.first_year is None:
            raise ServiceError("Cần `first_year`: năm của kế hoạch.")
        plan = services.plan_start_blank(actor=user, issuer=issuer, version=version, first_year=data.first_year,
                                         last_year=data.last_year, title=data.title)
    return Status(201, plan_detail_out(plan))


@router.get("/plans/{plan_id}/content", tags=WRITING, response=PlanDetailOut, summary="Toàn bộ nội dung kế hoạch: dòng, mục tiêu, "
            "nhiệm vụ, cơ quan (kèm `version` để sửa)")
def get_plan_content(request, plan_id: str):
    return plan_detail_out(_plan(request, plan_id))


@router.put("/plans/{plan_id}", tags=WRITING, response=PlanDetailOut, summary="Sửa phần chung của dự thảo", description=CONFLICT)
def update_plan(request, plan_id: str, data: HeadingIn):
    plan = services.plan_update(actor=request.user, plan=_plan(request, plan_id), **data.dict())
    return plan_detail_out(plan)


@router.get("/plans/{plan_id}/checks", tags=WRITING, response=ChecksOut, summary="Các điểm cần xem lại của kế hoạch")
def get_checks(request, plan_id: str):
    c = plan_checks(_plan(request, plan_id))

    def out(findings):
        return [{"code": f.code, "text": f.text, "item_id": f.anchor} for f in findings]

    return {"rows": c.rows, "tasks": c.tasks, "assessment_cutoff": c.cutoff,
            "lost_without_task": out(c.lost_without_task), "without_lead": out(c.without_lead),
            "deadlines_after_assessment": out(c.late), "deadlines_not_understood": out(c.unread),
            "targets": out(c.targets), "marked_for_review": out(c.review), "tasks_led": dict(c.load)}


@router.get("/plans/{plan_id}/diff", tags=WRITING, response=DiffOut, summary="Thay đổi giữa hai lần ban hành",
            description="`from_edition`, `to_edition`: số thứ tự lần ban hành (1 là kế hoạch, 2… các lần điều "
                        "chỉnh); không ghi `to_edition`: so với bản đang soạn.")
def get_diff(request, plan_id: str, from_edition: int = 1, to_edition: int | None = None):
    from dataclasses import asdict

    plan = _plan(request, plan_id)
    editions = {e.seq: e for e in plan.editions.all()}
    if from_edition not in editions or (to_edition is not None and to_edition not in editions):
        raise Http404("Không có lần ban hành này.")
    change = edition_diff(editions[from_edition], editions.get(to_edition) if to_edition is not None else None, plan)
    return {"changes": change.count, "rows": [asdict(r) for r in change.rows],
            "targets": [asdict(t) for t in change.targets], "tasks": [asdict(t) for t in change.tasks],
            "deadlines": [asdict(d) for d in change.deadlines], "agencies": [asdict(a) for a in change.agencies]}


@router.post("/plans/{plan_id}/submit", tags=WRITING, response=PlanDetailOut, summary="Trình lãnh đạo", description=CONFLICT)
def submit_plan(request, plan_id: str, data: VersionIn):
    return plan_detail_out(services.plan_submit(actor=request.user, plan=_plan(request, plan_id), version=data.version))


@router.post("/plans/{plan_id}/return", tags=WRITING, response=PlanDetailOut, summary="Trả về dự thảo (lãnh đạo, điều phối)")
def return_plan(request, plan_id: str, data: ReturnIn):
    return plan_detail_out(services.plan_return(actor=request.user, plan=_plan(request, plan_id),
                                                version=data.version, comment=data.comment))


@router.post("/plans/{plan_id}/issue", tags=WRITING, response=PlanDetailOut, summary="Ban hành: số, ngày, bản ký PDF")
def issue_plan(request, plan_id: str, version: Form[int], number: Form[str], date: Form[dt.date],
               signed_pdf: File[UploadedFile]):
    plan = _plan(request, plan_id)
    services.plan_issue(actor=request.user, plan=plan, version=version, number=number, date=date,
                        signed_pdf=signed_pdf)
    plan.refresh_from_db()
    return plan_detail_out(plan)


@router.post("/plans/{plan_id}/amend", tags=WRITING, response=PlanDetailOut, summary="Lập bản điều chỉnh, bổ sung",
             description="Kế hoạch đã ban hành trở lại dự thảo của lần ban hành sau; nhiệm vụ giữ nguyên báo cáo.")
def amend_plan(request, plan_id: str, data: AmendIn):
    return plan_detail_out(services.plan_amend(actor=request.user, plan=_plan(request, plan_id),
                                               version=data.version, reason=data.reason))


@router.post("/plans/{plan_id}/undo", tags=WRITING, response=dict, summary="Hoàn tác một lần xoá (mã `removal`)")
def undo_removal(request, plan_id: str, data: UndoIn):
    restored = services.removal_undo(actor=request.user, plan=_plan(request, plan_id), token=data.removal)
    return {"restored": restored}


# -- rows ------------------------------------------------------------------------------------

@router.post("/plans/{plan_id}/items", tags=WRITING, response={201: ItemOut}, summary="Thêm dòng (một tiêu chí hoặc dòng khác)")
def add_item(request, plan_id: str, data: ItemIn):
    plan = _plan(request, plan_id)
    table = get_object_or_404(plan.tables.select_related("version"), position=data.table)
    criterion = None
    if data.criterion_code:
        criterion = get_object_or_404(Criterion, version_id=table.version_id, code=data.criterion_code)
    item = services.item_add(actor=request.user, table=table, criterion=criterion, name=data.name, code=data.code)
    return Status(201, _item_read(item))


@router.put("/plans/{plan_id}/items/{item_id}", tags=WRITING, response=ItemOut, summary="Sửa dòng: tên, lý do, ghi chú, mục tiêu",
            description="`targets`: năm → điểm (trong 0 … điểm tối đa; mục tiêu của dòng cha tự cộng). " + CONFLICT)
def update_item(request, plan_id: str, item_id: str, data: ItemPatch):
    item = _item(_plan(request, plan_id), item_id)
    services.item_update(actor=request.user, item=item, **data.dict())
    return _item_read(item)


@router.delete("/plans/{plan_id}/items/{item_id}", tags=WRITING, response=RemovalOut, summary="Xoá dòng (hoàn tác được)")
def delete_item(request, plan_id: str, item_id: str, version: int):
    item = _item(_plan(request, plan_id), item_id)
    return {"removal": services.item_remove(actor=request.user, item=item, version=version)}


# -- tasks -----------------------------------------------------------------------------------

@router.post("/plans/{plan_id}/items/{item_id}/tasks", tags=WRITING, response={201: TaskDetailOut}, summary="Thêm nhiệm vụ",
             description="`deadline_text` ghi bằng lời (“trước ngày 30/6”, “Quý III/2025”); `lead`: tên cơ quan "
                         "chủ trì, tìm trong các đơn vị của tỉnh.")
def add_task(request, plan_id: str, item_id: str, data: TaskIn):
    plan = _plan(request, plan_id)
    item = _item(plan, item_id)
    assignments = []
    if data.lead:
        unit, group, suggestions = services.resolve_agency(plan, data.lead)
        if unit is None and not group:
            raise ServiceError(f"Không tìm thấy cơ quan chủ trì “{data.lead}”.",
                               details=[u.name for u in suggestions[:5]])
        assignments = [services.AssignmentInput("lead", unit.name if unit else data.lead, unit=unit, group=group)]
    task = services.task_add(actor=request.user, item=item, text=data.text, deliverable=data.deliverable,
                             deadline_text=data.deadline_text, assignments=assignments)
    return Status(201, _task_read(task))


@router.put("/plans/{plan_id}/tasks/{task_id}", tags=WRITING, response=TaskDetailOut, summary="Sửa nhiệm vụ", description=CONFLICT)
def update_task(request, plan_id: str, task_id: str, data: TaskPut):
    task = services.task_update(actor=request.user, task=_task(_plan(request, plan_id), task_id), **data.dict())
    return _task_read(task)


@router.delete("/plans/{plan_id}/tasks/{task_id}", tags=WRITING, response=RemovalOut, summary="Xoá nhiệm vụ (hoàn tác được)")
def delete_task(request, plan_id: str, task_id: str, version: int):
    task = _task(_plan(request, plan_id), task_id)
    return {"removal": services.task_remove(actor=request.user, task=task, version=version)}


@router.post("/plans/{plan_id}/tasks/{task_id}/agencies", tags=WRITING, response={201: AgencyOut},
             summary="Giao cơ quan: chủ trì, phối hợp, thực hiện, theo dõi",
             description="`unit_id`, hoặc `text` (tên đơn vị; cụm như “các sở, ban, ngành” giữ là nhóm). " + CONFLICT)
def add_agency(request, plan_id: str, task_id: str, data: AgencyIn):
    task = _task(_plan(request, plan_id), task_id)
    unit = get_object_or_404(Unit, public_id=data.unit_id) if data.unit_id else None
    assignment = services.assignment_add(actor=request.user, task=task, version=data.version, role=data.role,
                                         unit=unit, text=data.text)
    return Status(201, agency_out(assignment))


@router.delete("/plans/{plan_id}/agencies/{agency_id}", tags=WRITING, response=RemovalOut, summary="Bỏ cơ quan khỏi nhiệm vụ",
               description="`version`: phiên bản của nhiệm vụ. " + CONFLICT)
def delete_agency(request, plan_id: str, agency_id: str, version: int):
    assignment = get_object_or_404(Assignment.objects.select_related("task__item__table__plan"),
                                   task__item__table__plan=_plan(request, plan_id), public_id=agency_id)
    return {"removal": services.assignment_remove(actor=request.user, assignment=assignment, version=version)}
