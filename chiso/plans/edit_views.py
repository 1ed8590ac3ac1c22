"""The page where a plan is written, and the htmx endpoints it posts to. Every change goes
through chiso.plans.services; each answer is the fragment that changed (a row with its tasks,
or a whole table after rows moved), re-read from the database. A refused change answers the
same fragment with the reason: 409 when the form was stale (the fragment then shows what is
saved), 422 when the input was not valid (what was typed stays in the form)."""
from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from chiso.common.errors import ConflictError, ServiceError, require_permission
from chiso.core.agencies import group_of
from chiso.core.matching import NameMatcher
from chiso.core.numbers import parse_decimal
from chiso.core.text import fold
from chiso.frameworks.models import Criterion
from chiso.units.models import Unit

from . import services
from .editor import EditorTable, deadline_preview, editor_row, editor_table, editor_tables
from .models import Assignment, Plan, PlanItem, PlanState, Task
from .policies import can_write_plan, plans_visible_to
from .services.guards import NOT_A_WRITER

ROW = "plans/plan_edit.html#item"
TABLE = "plans/plan_edit.html#table"
SUGGESTIONS = 8


def _plan(user, public_id: str) -> Plan:
    return get_object_or_404(plans_visible_to(user).select_related("issuer"), public_id=public_id)


def _writable_plan(request, public_id: str) -> Plan:
    plan = _plan(request.user, public_id)
    require_permission(can_write_plan(request.user, plan), NOT_A_WRITER)
    return plan


def _item(plan: Plan, item_id: str) -> PlanItem:
    return get_object_or_404(PlanItem.objects.select_related("table__plan__issuer", "table__version"),
                             table__plan=plan, public_id=item_id)


def _task(plan: Plan, task_id: str) -> Task:
    return get_object_or_404(Task.objects.select_related("item__table__plan__issuer"), item__table__plan=plan,
                             public_id=task_id)


def _status(error: ServiceError) -> int:
    return 409 if isinstance(error, ConflictError) else 422


def _error(error: ServiceError) -> dict:
    return {"message": error.message, "details": error.details, "conflict": isinstance(error, ConflictError)}


def _typed(kind: str, post, **extra) -> dict:
    """What was typed, for the form to show again after a refused save."""
    return {**{k: v for k, v in post.items() if k != "csrfmiddlewaretoken"}, "for": kind, **extra}


def _changed(response):
    """Tells the page the plan changed: the checks beside it are read again."""
    response["HX-Trigger"] = "plan-changed"
    return response


def render_row(request, plan: Plan, item: PlanItem, *, error: ServiceError | None = None, typed: dict | None = None,
               undo: dict | None = None, extra_rows: list | None = None):
    table = item.table
    context = {"plan": plan, "row": editor_row(item), "t": _table_heading(table), "error": _error(error) if error else None,
               "typed": typed or {}, "undo": undo, "extra_rows": extra_rows or [], "can_write": True}
    return _changed(render(request, ROW, context, status=_status(error) if error else 200))


def _table_heading(table) -> EditorTable:
    from .services.tables import table_baseline_year, table_target_years

    return EditorTable(table, table.position, [], table_target_years(table), table_baseline_year(table))


def render_table(request, plan: Plan, position: int, *, error: ServiceError | None = None, undo: dict | None = None):
    t = editor_table(plan, position)
    context = {"plan": plan, "t": t, "error": _error(error) if error else None, "undo": undo, "can_write": True}
    return _changed(render(request, TABLE, context, status=_status(error) if error else 200))


def _table_position(item: PlanItem) -> int:
    return item.table.position


def parse_target(raw: str) -> Decimal | None:
    """A typed target: "8,5", "8.5" or empty; anything else is refused with a message."""
    if not (raw or "").strip():
        return None
    value = parse_decimal(raw)
    if value is None:
        raise ServiceError(f"Mục tiêu “{raw}” không phải là một số (ghi như 8,5).")
    return value


# -- the page --------------------------------------------------------------------------------

@login_required
def plan_edit(request, public_id: str):
    plan = _writable_plan(request, public_id)
    if plan.state != PlanState.DRAFT:
        messages.info(request, "Kế hoạch không còn là dự thảo: xem, trình, ban hành hoặc điều chỉnh ở trang này.")
        return redirect("plans:detail", plan.public_id)
    return render(request, "plans/plan_edit.html", {
        "plan": plan, "tables": editor_tables(plan), "can_write": True,
        "editions": list(plan.editions.order_by("seq")),
    })


@login_required
@require_POST
def heading_save(request, public_id: str):
    plan = _writable_plan(request, public_id)
    post = request.POST
    try:
        plan = services.plan_update(actor=request.user, plan=plan, version=post.get("version"),
                                    title=post.get("title", ""), purpose=post.get("purpose", ""),
                                    requirements=post.get("requirements", ""), organization=post.get("organization", ""))
    except ServiceError as error:
        typed = post if not isinstance(error, ConflictError) else None
        plan.refresh_from_db()
        return render(request, "plans/plan_edit.html#heading", {"plan": plan, "error": _error(error), "typed": typed},
                      status=_status(error))
    return _changed(render(request, "plans/plan_edit.html#heading", {"plan": plan, "saved": True}))


# -- rows ------------------------------------------------------------------------------------

@login_required
@require_POST
def item_add(request, public_id: str, position: int):
    plan = _writable_plan(request, public_id)
    table = get_object_or_404(plan.tables.select_related("version"), position=position)
    code = request.POST.get("criterion", "")
    try:
        criterion = None
        if code:
            criterion = Criterion.objects.filter(version_id=table.version_id, code=code).first()
            if criterion is None:
                raise ServiceError(f"Bộ chỉ số của bảng không có tiêu chí {code}.")
        services.item_add(actor=request.user, table=table, criterion=criterion, name=request.POST.get("name", ""),
                          code=request.POST.get("code", ""))
    except ServiceError as error:
        return render_table(request, plan, _position_of(table), error=error)
    return render_table(request, plan, _position_of(table))


def _position_of(table) -> int:
    return table.position


@login_required
@require_POST
def item_save(request, public_id: str, item_id: str):
    plan = _writable_plan(request, public_id)
    item = _item(plan, item_id)
    post = request.POST
    try:
        targets = {key[len("muc-tieu-"):]: parse_target(value) for key, value in post.items()
                   if key.startswith("muc-tieu-")}
        kwargs = {name: post[name] for name in ("name", "reason", "note") if name in post}
        services.item_update(actor=request.user, item=item, version=post.get("version"), targets=targets or None,
                             **kwargs)
    except ServiceError as error:
        typed = None
        if not isinstance(error, ConflictError):
            raw = next((v for k, v in post.items() if k.startswith("muc-tieu-")), None)
            typed = _typed("target", post, value=raw) if raw is not None else _typed("item", post)
        return render_row(request, plan, item, error=error, typed=typed)
    return _row_and_parents(request, plan, item)


def _row_and_parents(request, plan: Plan, item: PlanItem):
    """The row, and (out of band) the rows above it whose targets follow it."""
    parents, parent_id = [], item.parent_id
    while parent_id:
        parent = PlanItem.objects.filter(pk=parent_id).first()
        if parent is None:
            break
        parents.append(editor_row(parent))
        parent_id = parent.parent_id
    return render_row(request, plan, item, extra_rows=parents)


@login_required
@require_POST
def item_move(request, public_id: str, item_id: str):
    plan = _writable_plan(request, public_id)
    item = _item(plan, item_id)
    try:
        services.item_move(actor=request.user, item=item, version=request.POST.get("version"),
                           direction=-1 if request.POST.get("huong") == "len" else 1)
    except ServiceError as error:
        return render_table(request, plan, _table_position(item), error=error)
    return render_table(request, plan, _table_position(item))


@login_required
@require_POST
def item_remove(request, public_id: str, item_id: str):
    plan = _writable_plan(request, public_id)
    item = _item(plan, item_id)
    position = _table_position(item)
    try:
        token = services.item_remove(actor=request.user, item=item, version=request.POST.get("version"))
    except ServiceError as error:
        return render_table(request, plan, position, error=error)
    label = f"{item.display_code} {item.name}".strip()
    return render_table(request, plan, position, undo={"token": token, "label": f"Đã xoá dòng “{label[:90]}”."})


@login_required
@require_POST
def undo(request, public_id: str):
    plan = _writable_plan(request, public_id)
    position = int(request.POST.get("bang") or 0)
    try:
        services.removal_undo(actor=request.user, plan=plan, token=request.POST.get("token", ""))
    except ServiceError as error:
        return render_table(request, plan, position, error=error)
    return render_table(request, plan, position)


# -- tasks -----------------------------------------------------------------------------------

def _assignment_inputs(plan: Plan, post) -> list[services.AssignmentInput]:
    """A lead typed in the new-task form: resolved like any agency (refused when unknown)."""
    text = (post.get("lead") or "").strip()
    if not text:
        return []
    unit, group, suggestions = services.resolve_agency(plan, text)
    if unit is None and not group:
        names = "; ".join(u.name for u in suggestions[:5])
        raise ServiceError(f"Không tìm thấy cơ quan chủ trì “{text}” trong các cơ quan, đơn vị của {plan.issuer.name}.",
                           details=[f"Có phải: {names}?"] if names else [])
    return [services.AssignmentInput("lead", unit.name if unit else text, unit=unit, group=group)]


@login_required
@require_POST
def task_add(request, public_id: str, item_id: str):
    plan = _writable_plan(request, public_id)
    item = _item(plan, item_id)
    post = request.POST
    try:
        source_id = post.get("tu-nhiem-vu")
        if source_id:
            source = get_object_or_404(Task.objects.filter(item__table__plan__in=plans_visible_to(request.user)),
                                       public_id=source_id)
            services.task_copy(actor=request.user, item=item, source=source)
        else:
            services.task_add(actor=request.user, item=item, text=post.get("text", ""),
                              deliverable=post.get("deliverable", ""), deadline_text=post.get("deadline", ""),
                              assignments=_assignment_inputs(plan, post))
    except ServiceError as error:
        return render_row(request, plan, item, error=error, typed=_typed("new", post))
    return render_row(request, plan, item)


@login_required
@require_POST
def task_save(request, public_id: str, task_id: str):
    plan = _writable_plan(request, public_id)
    task = _task(plan, task_id)
    post = request.POST
    try:
        services.task_update(actor=request.user, task=task, version=post.get("version"), text=post.get("text", ""),
                             deliverable=post.get("deliverable", ""), deadline_text=post.get("deadline", ""))
    except ConflictError as error:
        typed = "; ".join(v for v in (post.get("text", ""), post.get("deliverable", ""), post.get("deadline", "")) if v)
        error.details = [*error.details, f"Nội dung anh/chị đã nhập: {typed[:500]}"] if typed else error.details
        return render_row(request, plan, task.item, error=error)
    except ServiceError as error:
        return render_row(request, plan, task.item, error=error, typed=_typed(task.public_id, post))
    return render_row(request, plan, task.item)


def _task_action(request, public_id: str, task_id: str, action):
    plan = _writable_plan(request, public_id)
    task = _task(plan, task_id)
    try:
        undo_info = action(plan, task)
    except ServiceError as error:
        return render_row(request, plan, task.item, error=error)
    return render_row(request, plan, task.item, undo=undo_info)


@login_required
@require_POST
def task_move(request, public_id: str, task_id: str):
    return _task_action(request, public_id, task_id, lambda plan, task: services.task_move(
        actor=request.user, task=task, version=request.POST.get("version"),
        direction=-1 if request.POST.get("huong") == "len" else 1) and None)


@login_required
@require_POST
def task_keep(request, public_id: str, task_id: str):
    return _task_action(request, public_id, task_id, lambda plan, task: services.task_keep(
        actor=request.user, task=task, version=request.POST.get("version")) and None)


@login_required
@require_POST
def task_remove(request, public_id: str, task_id: str):
    def remove(plan, task):
        token = services.task_remove(actor=request.user, task=task, version=request.POST.get("version"))
        return {"token": token, "label": f"Đã xoá nhiệm vụ “{task.text[:90]}”.", "table": _table_position(task.item)}

    return _task_action(request, public_id, task_id, remove)


@login_required
@require_POST
def task_undo(request, public_id: str, task_id: str):
    plan = _writable_plan(request, public_id)
    task = get_object_or_404(Task.with_removed.select_related("item__table__plan"), item__table__plan=plan,
                             public_id=task_id)
    try:
        services.removal_undo(actor=request.user, plan=plan, token=request.POST.get("token", ""))
    except ServiceError as error:
        return render_row(request, plan, task.item, error=error)
    return render_row(request, plan, task.item)


# -- agencies --------------------------------------------------------------------------------

@login_required
@require_POST
def assignment_add(request, public_id: str, task_id: str):
    plan = _writable_plan(request, public_id)
    task = _task(plan, task_id)
    post = request.POST
    unit = None
    if post.get("unit"):
        unit = get_object_or_404(Unit, public_id=post["unit"])
    try:
        services.assignment_add(actor=request.user, task=task, version=post.get("version"), role=post.get("role", ""),
                                unit=unit, text=post.get("text", ""), new_unit=post.get("new") == "1")
    except ServiceError as error:
        typed = None if isinstance(error, ConflictError) else _typed("agency", post, task=task.public_id)
        return render_row(request, plan, task.item, error=error, typed=typed)
    return render_row(request, plan, task.item)


@login_required
@require_POST
def assignment_remove(request, public_id: str, assignment_id: str):
    plan = _writable_plan(request, public_id)
    assignment = get_object_or_404(Assignment.objects.select_related("task__item__table__plan"),
                                   task__item__table__plan=plan, public_id=assignment_id)
    try:
        token = services.assignment_remove(actor=request.user, assignment=assignment, version=request.POST.get("version"))
    except ServiceError as error:
        return render_row(request, plan, assignment.task.item, error=error)
    return render_row(request, plan, assignment.task.item, undo={
        "token": token, "label": f"Đã bỏ {assignment.text} ({assignment.get_role_display().lower()}).",
        "task": assignment.task.public_id})


@login_required
@require_GET
def unit_suggest(request, public_id: str, task_id: str):
    """Units of the issuer's tree (and group phrases) matching what is typed, for one task's form."""
    plan = _writable_plan(request, public_id)
    task = _task(plan, task_id)
    text = (request.GET.get("text") or "").strip()[:200]
    units: list[Unit] = []
    if len(text) >= 2:
        root = plan.issuer.root_id or plan.issuer.pk
        pool = list(Unit.objects.filter(root_id=root).exclude(pk=root).order_by("name").prefetch_related("aliases"))
        folded = fold(text)
        units = [u for u in pool if folded in u.search_text][:SUGGESTIONS]
        if len(units) < SUGGESTIONS:
            matcher = NameMatcher([(u.pk, [u.name, u.short_name, *[a.name for a in u.aliases.all()]]) for u in pool])
            by_pk = {u.pk: u for u in pool}
            units += [by_pk[key] for key, _label, _score in matcher.match(text, limit=SUGGESTIONS).suggestions
                      if by_pk[key] not in units][:SUGGESTIONS - len(units)]
    return render(request, "plans/plan_edit.html#suggestions", {
        "plan": plan, "task": task, "units": units, "text": text, "group": group_of(text) if text else None,
        "role": request.GET.get("role", "lead")})


@login_required
@require_GET
def deadline_check(request, public_id: str):
    """What the typed deadline is read as, shown under the field while typing."""
    plan = _plan(request.user, public_id)
    label, understood = deadline_preview(request.GET.get("deadline", ""), plan.first_year)
    return render(request, "plans/plan_edit.html#deadline", {"label": label, "understood": understood})
