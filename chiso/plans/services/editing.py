"""Writing a plan in place: its heading, rows and targets, tasks, and who does them.

Every service here locks the plan, checks that the actor may write it and that it is a draft
(an issued plan changes only through an amendment), and refuses a change made on a stale form
(`version`: what the form showed; ConflictError names who changed it since). Removing a row,
a task or an agency keeps it, hidden, under a removal token: `removal_undo` brings back
everything removed together. Each change is one transaction and one history entry per row.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from chiso.common.actors import by_actor
from chiso.common.errors import ServiceError, require_permission
from chiso.core.agencies import group_of
from chiso.core.deadlines import parse_deadline
from chiso.core.ids import new_public_id
from chiso.core.plan_sums import check_target
from chiso.core.text import collapse, fold
from chiso.frameworks.models import Criterion
from chiso.units.models import Unit
from chiso.units.services import UnitResolver, guess_kind, unit_create

from ..models import Assignment, AssignmentRole, MatchStatus, Plan, PlanItem, PlanTable, Task, ValueKey
from .guards import bump, locked_draft, require_fresh
from .loading import AssignmentInput, ValueInput, plan_item_create, task_create
from .tables import (has_children, renumber, results_before, roll_up, scores_of, set_value, swap_positions,
                     table_baseline_year, table_target_years)

MAX_TEXT = 4000
EDITABLE_ROLES = [AssignmentRole.LEAD, AssignmentRole.COORDINATING, AssignmentRole.IMPLEMENTING,
                  AssignmentRole.MONITORING]


def _text(value, label: str, errors: list[str], *, required: bool = False, limit: int = MAX_TEXT) -> str:
    text = (value or "").strip()
    if required and not text:
        errors.append(f"Cần ghi {label}.")
    if len(text) > limit:
        errors.append(f"{label[0].upper()}{label[1:]} dài quá {limit} ký tự.")
    return text


def _refuse(message: str, errors: list[str]) -> None:
    if errors:
        raise ServiceError(message, details=errors)


# -- the heading --------------------------------------------------------------------------------

@transaction.atomic
def plan_update(*, actor, plan: Plan, version, title: str, purpose: str = "", requirements: str = "",
                organization: str = "") -> Plan:
    """The plan's title and the body of its document (mục đích, yêu cầu, tổ chức thực hiện)."""
    plan = locked_draft(actor, plan)
    require_fresh(plan, version, "Phần chung của kế hoạch")
    errors: list[str] = []
    plan.title = collapse(_text(title, "tên kế hoạch", errors, required=True, limit=1000))
    plan.purpose = _text(purpose, "mục đích", errors, limit=20000)
    plan.requirements = _text(requirements, "yêu cầu", errors, limit=20000)
    plan.organization = _text(organization, "tổ chức thực hiện", errors, limit=20000)
    _refuse("Chưa lưu được phần chung của kế hoạch.", errors)
    bump(plan)
    by_actor(plan, actor).save()
    return plan


# -- rows ---------------------------------------------------------------------------------------

def _row_values(table: PlanTable, criterion: Criterion | None, baseline: Decimal | None,
                targets: dict[str, Decimal | None]) -> tuple[list[ValueInput], Decimal | None]:
    max_points = criterion.max_points if criterion is not None else None
    values = []
    if max_points is not None:
        values.append(ValueInput(ValueKey.MAX_POINTS, "", max_points))
    base_year = table_baseline_year(table)
    if base_year and baseline is not None:
        values.append(ValueInput(ValueKey.ACHIEVED, base_year, baseline))
    values += [ValueInput(ValueKey.TARGET, year, value) for year, value in targets.items() if value is not None]
    return values, max_points


def criterion_row(actor, table: PlanTable, criterion: Criterion, *, position: int, parent: PlanItem | None,
                  baseline: Decimal | None, target: Decimal | None = None, reason: str = "") -> PlanItem:
    """A row for one criterion of the table's framework, its target prefilled (last year's score)."""
    years = table_target_years(table)
    prefill = target if target is not None else baseline
    values, max_points = _row_values(table, criterion, baseline, {y: prefill for y in years})
    base_year = table_baseline_year(table)
    return plan_item_create(
        actor=actor, table=table, position=position, parent=parent, code=criterion.code, name=criterion.name,
        criterion=criterion, match_status=MatchStatus.MATCHED, reason=reason, max_points=max_points,
        baseline=baseline, baseline_year=base_year if baseline is not None else "", values=values)


@transaction.atomic
def item_add(*, actor, table: PlanTable, criterion: Criterion | None = None, name: str = "",
             code: str = "") -> PlanItem:
    """A row added to a table: a criterion of its framework (its field and parents come with it
    when missing, its max and last year's score filled in), or a free row."""
    plan = locked_draft(actor, table.plan)
    table = PlanTable.objects.select_related("version").get(pk=table.pk)
    live = {i.criterion_id: i for i in PlanItem.objects.filter(table=table, criterion__isnull=False)}
    end = (PlanItem.objects.filter(table=table).aggregate(m=Max("position"))["m"] or 0) + 1
    if criterion is None:
        errors: list[str] = []
        name = collapse(_text(name, "tên dòng", errors, required=True, limit=1000))
        code = collapse(code)[:32]
        _refuse("Chưa thêm được dòng.", errors)
        by_code = {i.code: i for i in PlanItem.objects.filter(table=table) if i.code}
        parent = None
        prefix = code.rsplit(".", 1)[0] if "." in code else ""
        while prefix and parent is None:
            parent = by_code.get(prefix)
            prefix = prefix.rsplit(".", 1)[0] if "." in prefix else ""
        item = plan_item_create(actor=actor, table=table, position=end, parent=parent, code=code, name=name,
                                match_status=MatchStatus.NO_CODE if not code else (
                                    MatchStatus.NO_FRAMEWORK if table.version_id is None else MatchStatus.UNKNOWN_CODE))
        renumber(table)
        return item
    if criterion.version_id != table.version_id:
        raise ServiceError(f"Tiêu chí {criterion.code} không thuộc bộ chỉ số của bảng này.")
    if criterion.pk in live:
        raise ServiceError(f"Tiêu chí {criterion.code} đã có trong kế hoạch.")
    chain = []
    node = criterion
    while node is not None and node.pk not in live:
        chain.append(node)
        node = node.parent
    parent = live.get(node.pk) if node is not None else None
    scores = scores_of(plan.results or results_before(plan.issuer, table.version, plan.first_year))
    item = None
    for position, c in enumerate(reversed(chain)):
        score = scores.get(c.pk)
        item = criterion_row(actor, table, c, position=end + position, parent=parent,
                             baseline=score.score if score else None, reason=score.reason if score else "")
        parent = item
    _place_by_code(table, chain[-1].code if chain else criterion.code, item)
    renumber(table)
    roll_up(actor, table, [item])
    return item


def _place_by_code(table: PlanTable, top_code: str, item: PlanItem) -> None:
    """A criterion added at the end moves before the first sibling whose code comes after it."""
    new_top = PlanItem.objects.get(table=table, code=top_code)
    siblings = list(PlanItem.objects.filter(table=table, parent_id=new_top.parent_id).exclude(pk=new_top.pk)
                    .order_by("position"))

    def key(code: str):
        return [int(p) if p.isdigit() else p for p in code.split(".")] if code else [10**6]

    after = [s for s in siblings if s.code and key(s.code) > key(top_code)]
    if after:
        new_top.position = after[0].position
        new_top.save(update_fields=["position"])
        PlanItem.objects.filter(pk__in=[s.pk for s in after]).update(position=F("position") + 1)


@transaction.atomic
def item_update(*, actor, item: PlanItem, version, name: str | None = None, reason: str | None = None,
                note: str | None = None, targets: dict[str, Decimal | None] | None = None) -> PlanItem:
    """A row's name, reason for lost points, note and targets (each within 0 … max; a parent's
    target is its children's and follows them)."""
    locked_draft(actor, item.table.plan)
    item = PlanItem.objects.select_for_update(of=("self",)).select_related("table__version").get(pk=item.pk)
    label = f"Dòng {item.display_code or item.name[:40]}"
    require_fresh(item, version, label)
    errors: list[str] = []
    if name is not None:
        item.name = collapse(_text(name, "tên dòng", errors, required=True, limit=1000))
    if reason is not None:
        item.reason = _text(reason, "lý do bị trừ điểm", errors)
    if note is not None:
        item.note = _text(note, "ghi chú", errors, limit=1000)
    years = table_target_years(item.table)
    if targets:
        if has_children(item):
            errors.append(f"Mục tiêu của {item.display_code} là tổng mục tiêu các mục con: hãy sửa mục tiêu các mục con.")
        for year, value in targets.items():
            if year not in years:
                errors.append(f"Bảng không có cột mục tiêu năm {year}.")
            elif value is not None and (problem := check_target(value, item.max_points)):
                errors.append(problem)
    _refuse(f"Chưa lưu được {label[0].lower()}{label[1:]}.", errors)
    bump(item)
    by_actor(item, actor).save()
    for year, value in (targets or {}).items():
        set_value(actor, item, ValueKey.TARGET, year, value)
    if targets:
        roll_up(actor, item.table, [item])
    return item


@transaction.atomic
def item_move(*, actor, item: PlanItem, version, direction: int) -> PlanItem:
    """A row one place up (-1) or down (+1) among its siblings, with everything under it."""
    locked_draft(actor, item.table.plan)
    item = PlanItem.objects.select_for_update(of=("self",)).get(pk=item.pk)
    require_fresh(item, version, f"Dòng {item.display_code or item.name[:40]}")
    siblings = list(PlanItem.objects.filter(table_id=item.table_id, parent_id=item.parent_id).order_by("position", "pk"))
    moved = swap_positions(siblings, next(i for i, s in enumerate(siblings) if s.pk == item.pk), direction)
    if moved:
        PlanItem.objects.bulk_update(moved, ["position"])
        item = next(m for m in moved if m.pk == item.pk)
        bump(item)
        by_actor(item, actor).save()
        renumber(item.table)
    return item


def _remove(actor, rows, token: str, when: dt.datetime) -> int:
    for row in rows:
        row.removed_at, row.removal = when, token
        by_actor(row, actor).save()
    return len(rows)


@transaction.atomic
def item_remove(*, actor, item: PlanItem, version) -> str:
    """Removes a row with the rows under it, their tasks and agencies (kept for undo and for the
    tasks' reports); returns the removal token `removal_undo` takes."""
    locked_draft(actor, item.table.plan)
    item = PlanItem.objects.select_for_update(of=("self",)).get(pk=item.pk)
    require_fresh(item, version, f"Dòng {item.display_code or item.name[:40]}")
    rows, frontier = [item], [item.pk]
    while frontier:
        found = list(PlanItem.objects.filter(parent_id__in=frontier))
        rows += found
        frontier = [r.pk for r in found]
    tasks = list(Task.objects.filter(item__in=rows))
    assignments = list(Assignment.objects.filter(task__in=tasks))
    token, when = new_public_id(), timezone.now()
    _remove(actor, assignments, token, when)
    _remove(actor, tasks, token, when)
    _remove(actor, rows, token, when)
    roll_up(actor, item.table, [item])
    return token


@transaction.atomic
def removal_undo(*, actor, plan: Plan, token: str) -> int:
    """Brings back everything one removal took out; returns how many rows, tasks and agencies."""
    plan = locked_draft(actor, plan)
    if not token:
        return 0
    items = list(PlanItem.with_removed.filter(table__plan=plan, removal=token))
    tasks = list(Task.with_removed.filter(item__table__plan=plan, removal=token))
    assignments = list(Assignment.with_removed.filter(task__item__table__plan=plan, removal=token))
    if not (items or tasks or assignments):
        raise ServiceError("Không còn gì để hoàn tác (đã hoàn tác rồi, hoặc thuộc kế hoạch khác).")
    for row in [*items, *tasks, *assignments]:
        row.removed_at, row.removal = None, ""
        if not isinstance(row, Assignment):
            bump(row)
        by_actor(row, actor).save()
    for task in {a.task for a in assignments} - set(tasks):
        task = Task.objects.select_for_update(of=("self",)).get(pk=task.pk)
        bump(task)
        by_actor(task, actor).save()
    for table in {i.table for i in items}:
        renumber(table)
        roll_up(actor, table, items)
    return len(items) + len(tasks) + len(assignments)


# -- tasks --------------------------------------------------------------------------------------

def parsed_deadline(text: str, year: int) -> dict:
    """The task fields a typed deadline fills (the text kept verbatim)."""
    text = collapse(text)
    if not text:
        return {"deadline_text": "", "deadline_kind": "", "due_date": None, "period_start": None,
                "period_end": None, "recurring": False, "deadline_flagged": False}
    d = parse_deadline(text, context_year=year)
    return {"deadline_text": text, "deadline_kind": d.kind, "due_date": d.due_date, "period_start": d.period_start,
            "period_end": d.period_end, "recurring": d.recurring, "deadline_flagged": d.flagged}


@transaction.atomic
def task_add(*, actor, item: PlanItem, text: str, deliverable: str = "", deadline_text: str = "",
             assignments: list[AssignmentInput] = ()) -> Task:
    """A task under a row, at its end. The deadline is typed in words and read as it is typed;
    one that cannot be read is kept verbatim and flagged."""
    plan = locked_draft(actor, item.table.plan)
    errors: list[str] = []
    text = _text(text, "nội dung nhiệm vụ", errors, required=True)
    deliverable = _text(deliverable, "sản phẩm", errors, limit=2000)
    deadline_text = _text(deadline_text, "thời hạn", errors, limit=500)
    assignments = _grouped(assignments, errors)
    _refuse("Chưa thêm được nhiệm vụ.", errors)
    task = task_create(actor=actor, item=item, text=text, deliverable=deliverable,
                       **parsed_deadline(deadline_text, plan.first_year), assignments=assignments)
    task.position = (Task.objects.filter(item=item).aggregate(m=Max("position"))["m"] or 0) + 1
    task.save(update_fields=["position"])
    return task


def _grouped(assignments, errors: list[str]) -> list[AssignmentInput]:
    """Agencies given by name only: a group phrase ("các sở, ban, ngành") is kept as a group;
    any other name needs its unit (the pages and the API resolve it first), else it is refused
    here rather than by the database."""
    out = []
    for a in assignments:
        if a.unit is None and not a.group:
            group = group_of(a.text)
            if not group:
                errors.append(f"Chưa xác định được cơ quan “{a.text}”: chọn đơn vị trong danh sách gợi ý.")
                continue
            a = AssignmentInput(a.role, a.text, unit=None, group=group, position=a.position)
        out.append(a)
    return out


@transaction.atomic
def task_copy(*, actor, item: PlanItem, source: Task) -> Task:
    """Last year's task for the same criterion, taken into this row: its text, deliverable, its
    deadline moved to this plan's years, and its agencies (found again among the issuer's units
    when the old plan was a predecessor's)."""
    from .starting import shift_years

    plan = locked_draft(actor, item.table.plan)
    shift = plan.first_year - source.item.table.plan.first_year
    assignments = []
    resolver = None
    for a in source.assignments.select_related("unit"):
        unit = a.unit
        if unit is not None and (unit.root_id or unit.pk) != (plan.issuer.root_id or plan.issuer.pk):
            resolver = resolver or UnitResolver(plan.issuer, at=_plan_date(plan))
            unit = resolver.resolve(a.text).unit
            if unit is None:
                continue
        assignments.append(AssignmentInput(a.role, a.text if unit is None else unit.name, unit=unit, group=a.group,
                                           position=a.position))
    task = task_add(actor=actor, item=item, text=source.text, deliverable=source.deliverable,
                    deadline_text=shift_years(source.deadline_text, shift), assignments=assignments)
    task.copied_from = source
    task.save(update_fields=["copied_from"])
    return task


@transaction.atomic
def task_update(*, actor, task: Task, version, text: str, deliverable: str = "", deadline_text: str = "") -> Task:
    """A task's text, deliverable and deadline. Saving it also marks a task copied from last
    year's plan as looked at again."""
    plan = locked_draft(actor, task.item.table.plan)
    task = Task.objects.select_for_update(of=("self",)).get(pk=task.pk)
    require_fresh(task, version, "Nhiệm vụ")
    errors: list[str] = []
    task.text = _text(text, "nội dung nhiệm vụ", errors, required=True)
    task.deliverable = _text(deliverable, "sản phẩm", errors, limit=2000)
    deadline_text = _text(deadline_text, "thời hạn", errors, limit=500)
    _refuse("Chưa lưu được nhiệm vụ.", errors)
    for name, value in parsed_deadline(deadline_text, plan.first_year).items():
        setattr(task, name, value)
    task.review_note = ""
    bump(task)
    by_actor(task, actor).save()
    return task


@transaction.atomic
def task_keep(*, actor, task: Task, version) -> Task:
    """A task copied from last year's plan, looked at again and kept as it is."""
    locked_draft(actor, task.item.table.plan)
    task = Task.objects.select_for_update(of=("self",)).get(pk=task.pk)
    require_fresh(task, version, "Nhiệm vụ")
    task.review_note = ""
    bump(task)
    by_actor(task, actor).save()
    return task


@transaction.atomic
def task_move(*, actor, task: Task, version, direction: int) -> Task:
    """A task one place up (-1) or down (+1) among its row's tasks."""
    locked_draft(actor, task.item.table.plan)
    task = Task.objects.select_for_update(of=("self",)).get(pk=task.pk)
    require_fresh(task, version, "Nhiệm vụ")
    siblings = list(Task.objects.filter(item_id=task.item_id).order_by("position", "pk"))
    for position, sibling in enumerate(siblings):
        sibling.position = position
    moved = swap_positions(siblings, next(i for i, s in enumerate(siblings) if s.pk == task.pk), direction)
    if moved:
        Task.objects.bulk_update(siblings, ["position"])
        task = next(m for m in moved if m.pk == task.pk)
        bump(task)
        by_actor(task, actor).save()
    return task


@transaction.atomic
def task_remove(*, actor, task: Task, version) -> str:
    """Removes a task with its agencies; its reports and evidence stay with it. Returns the
    removal token `removal_undo` takes."""
    locked_draft(actor, task.item.table.plan)
    task = Task.objects.select_for_update(of=("self",)).get(pk=task.pk)
    require_fresh(task, version, "Nhiệm vụ")
    token, when = new_public_id(), timezone.now()
    _remove(actor, list(task.assignments.all()), token, when)
    _remove(actor, [task], token, when)
    return token


# -- agencies -----------------------------------------------------------------------------------

def _plan_date(plan: Plan) -> dt.date:
    return plan.date or dt.date(plan.first_year, 1, 1)


def resolve_agency(plan: Plan, text: str) -> tuple[Unit | None, str, list[Unit]]:
    """(unit, group, suggestions) for a typed agency name: a group phrase ("các sở, ban, ngành")
    stays a group; a name of the issuer's tree resolves to its unit; else suggestions."""
    group = group_of(text)
    if group:
        return None, group, []
    hit = UnitResolver(plan.issuer, at=_plan_date(plan)).resolve(text)
    if hit.unit is not None:
        return hit.unit, "", []
    return None, "", [u for u, _score in hit.suggestions]


@transaction.atomic
def assignment_add(*, actor, task: Task, version, role: str, unit: Unit | None = None, text: str = "",
                   new_unit: bool = False) -> Assignment:
    """An agency in one role on a task: a unit chosen from the suggestions, or a typed name
    (resolved among the issuer's units; a group phrase stays a group; `new_unit` adds a unit
    not yet known, marked unverified)."""
    plan = locked_draft(actor, task.item.table.plan)
    task = Task.objects.select_for_update(of=("self",)).get(pk=task.pk)
    require_fresh(task, version, "Nhiệm vụ")
    if role not in EDITABLE_ROLES:
        raise ServiceError(f"Vai trò “{role}” không có: chọn chủ trì, phối hợp, thực hiện hoặc theo dõi.")
    text = collapse(text)[:500]
    group = ""
    root_id = plan.issuer.root_id or plan.issuer.pk
    if unit is not None:
        require_permission((unit.root_id or unit.pk) == root_id or unit.pk == plan.issuer_id,
                           f"{unit.name} không thuộc {plan.issuer.name}.")
        text = unit.name
    elif not text:
        raise ServiceError("Cần ghi tên cơ quan, đơn vị.")
    elif new_unit:
        unit = unit_create(actor=actor, name=text, kind=guess_kind(text), parent=plan.issuer, verified=False,
                           note=f"Thêm khi soạn kế hoạch {plan.number or plan.title[:60]}")
    else:
        unit, group, suggestions = resolve_agency(plan, text)
        if unit is None and not group:
            names = "; ".join(u.name for u in suggestions[:5])
            raise ServiceError(f"Không tìm thấy “{text}” trong các cơ quan, đơn vị của {plan.issuer.name}.",
                               details=[f"Có phải: {names}?" if names else
                                        "Chọn trong danh sách gợi ý, hoặc thêm đơn vị mới."])
    existing = list(task.assignments.all())
    for a in existing:
        if a.role == role and ((unit is not None and a.unit_id == unit.pk) or
                               (unit is None and a.unit_id is None and fold(a.text) == fold(text))):
            raise ServiceError(f"{a.text} đã có vai trò {a.get_role_display().lower()} trong nhiệm vụ này.")
    position = max([a.position for a in existing if a.role == role], default=-1) + 1
    assignment = Assignment(task=task, role=role, unit=unit, group=group, text=text if unit is None else unit.name,
                            position=position)
    by_actor(assignment, actor).save()
    bump(task)
    by_actor(task, actor).save()
    return assignment


@transaction.atomic
def assignment_remove(*, actor, assignment: Assignment, version) -> str:
    """Takes an agency off a task (`version`: the task's, as the form showed it); returns the
    removal token."""
    locked_draft(actor, assignment.task.item.table.plan)
    task = Task.objects.select_for_update(of=("self",)).get(pk=assignment.task_id)
    require_fresh(task, version, "Nhiệm vụ")
    token = new_public_id()
    _remove(actor, [assignment], token, timezone.now())
    bump(task)
    by_actor(task, actor).save()
    return token


__all__ = ["AssignmentInput", "EDITABLE_ROLES", "assignment_add", "assignment_remove", "criterion_row", "item_add",
           "item_move", "item_remove", "item_update", "parsed_deadline", "plan_update", "removal_undo",
           "resolve_agency", "task_add", "task_copy", "task_keep", "task_move", "task_remove", "task_update"]
