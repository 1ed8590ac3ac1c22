"""Reads of plans, shaped for the pages; each runs a fixed number of queries."""
from __future__ import annotations

from collections import defaultdict
import datetime as dt
from dataclasses import dataclass, field as dc_field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse

from chiso.core.gap import APPRAISAL, STATISTICS, SURVEY, UNKNOWN, GapInput, GapResult, analyse
from chiso.core.text import fold
from chiso.frameworks.models import Criterion

from .models import Assignment, ItemValue, Plan, PlanItem, PlanTable, Task


def plan_list(plans: QuerySet[Plan]) -> QuerySet[Plan]:
    return plans.select_related("issuer").annotate(
        n_items=Count("tables__items", distinct=True, filter=Q(tables__items__removed_at__isnull=True)),
        n_tasks=Count("tables__items__tasks", distinct=True, filter=Q(tables__items__tasks__removed_at__isnull=True)),
    )


def tasks_prefetch() -> Prefetch:
    return Prefetch(
        "tasks",
        queryset=Task.objects.order_by("position").prefetch_related(
            Prefetch("assignments", queryset=Assignment.objects.select_related("unit").order_by("role_order", "position"))
        ),
    )


def plan_tables(plan: Plan) -> list[PlanTable]:
    """Tables with their items, values, criteria, tasks and assignments: 6 queries."""
    items = PlanItem.objects.select_related("criterion").prefetch_related(
        Prefetch("values", queryset=ItemValue.objects.order_by("key", "year")), tasks_prefetch()
    ).order_by("position")
    return list(
        plan.tables.select_related("version__framework").prefetch_related(Prefetch("items", queryset=items))
    )


@dataclass
class ItemRow:
    """An item with its targets in the order of the table's target columns."""

    item: PlanItem
    targets: list[ItemValue | None]
    tasks: list[Task] = dc_field(default_factory=list)  # the tasks shown under it (all, or the filtered)
    field_id: str = ""  # the public id of the level-1 item (lĩnh vực) it belongs to


def target_years(table: PlanTable) -> list[str]:
    return [str(c.get("year") or "") for c in table.columns if c.get("key") == "target"]


def item_rows(table: PlanTable) -> list[ItemRow]:
    """The table's rows; each task gets `role_groups`: its assignments grouped by role, with each
    unit's page address, and `progress_url` (what the plan page shows under every task)."""
    years = target_years(table)
    # one reverse() each, not one per task and assignment: 125 tasks cost ~10 ms of reverse()
    unit_url = reverse("units:detail", args=["UNIT"])
    task_url = reverse("progress:task", args=["TASK"])
    rows = []
    field_id = ""
    for item in table.items.all():
        if item.level == 1:
            field_id = item.public_id
        targets = {v.year: v for v in item.values.all() if v.key == "target"}
        for task in item.tasks.all():
            task.progress_url = task_url.replace("TASK", task.public_id)
            groups: dict[str, list[Assignment]] = {}
            for a in task.assignments.all():
                a.unit_url = unit_url.replace("UNIT", a.unit.public_id) if a.unit else ""
                groups.setdefault(a.get_role_display(), []).append(a)
            task.role_groups = list(groups.items())
        rows.append(ItemRow(item, [targets.get(y) for y in years], list(item.tasks.all()), field_id or item.public_id))
    return rows


# -- the plan page's filters (GET parameters: a filtered list is a link to share) -------------
PLAN_SORTS = {"": "Theo thứ tự kế hoạch", "han": "Theo thời hạn", "don-vi": "Theo đơn vị chủ trì"}
DEADLINE_FILTERS = {"qua-han": "Đã quá hạn", "30-ngay": "Đến hạn trong 30 ngày", "khong-han": "Chưa có hạn cụ thể"}


@dataclass
class PlanFilter:
    field: str = ""      # a level-1 item's public id
    unit: str = ""       # a unit's public id, in any role on the task
    status: str = ""     # a TaskStatus value
    deadline: str = ""   # a DEADLINE_FILTERS key
    sort: str = ""       # a PLAN_SORTS key
    lead_only: bool = False  # the unit leads the task (not only coordinates it)

    @classmethod
    def from_query(cls, query) -> PlanFilter:
        from .models import TaskStatus

        def pick(key, allowed=None):
            value = (query.get(key) or "")[:40]
            return value if allowed is None or value in allowed else ""

        return cls(field=pick("linh-vuc"), unit=pick("don-vi"), status=pick("trang-thai", TaskStatus.values),
                   deadline=pick("han", DEADLINE_FILTERS), sort=pick("sap-xep", PLAN_SORTS),
                   lead_only=query.get("chu-tri") == "1")

    @property
    def active(self) -> bool:
        return bool(self.field or self.unit or self.status or self.deadline or self.sort)

    def as_query(self) -> dict[str, str]:
        pairs = (("linh-vuc", self.field), ("don-vi", self.unit), ("trang-thai", self.status), ("han", self.deadline),
                 ("sap-xep", self.sort), ("chu-tri", "1" if self.lead_only and self.unit else ""))
        return {k: v for k, v in pairs if v}


def _lead_name(task: Task) -> str:
    leads = [a for a in task.assignments.all() if a.role == "lead"]
    return min((a.unit.name if a.unit else a.text for a in leads), default="~")


def task_matches(task: Task, f: PlanFilter, today: dt.date) -> bool:
    from .models import TaskStatus

    if f.unit and not any(a.unit is not None and a.unit.public_id == f.unit and (a.role == "lead" or not f.lead_only)
                          for a in task.assignments.all()):
        return False
    if f.status and task.status != f.status:
        return False
    if f.deadline == "khong-han":
        return task.due_date is None
    if f.deadline == "qua-han":
        return task.due_date is not None and task.due_date < today and task.status != TaskStatus.DONE
    if f.deadline == "30-ngay":
        return task.due_date is not None and today <= task.due_date <= today + dt.timedelta(days=30)
    return True


def filter_item_rows(rows: list[ItemRow], f: PlanFilter, today: dt.date) -> list[ItemRow]:
    """The rows a filter keeps: in plan order, each item with its matching tasks and the field
    headings above them; sorted by deadline or lead unit, one row per task (no headings)."""
    if not f.active:
        return rows
    kept: list[ItemRow] = []
    for row in rows:
        if f.field and row.field_id != f.field:
            continue
        tasks = [t for t in row.tasks if task_matches(t, f, today)]
        filtering_tasks = f.unit or f.status or f.deadline
        if tasks or (not filtering_tasks and (row.item.level == 1 or f.field)):
            kept.append(ItemRow(row.item, row.targets, tasks, row.field_id))
    if f.sort:
        flat = [ItemRow(r.item, r.targets, [t], r.field_id) for r in kept for t in r.tasks]
        if f.sort == "han":
            flat.sort(key=lambda r: (r.tasks[0].due_date is None, r.tasks[0].due_date or dt.date.max))
        else:
            flat.sort(key=lambda r: _lead_name(r.tasks[0]))
        return flat
    # the field headings of the kept rows, in place
    fields = {r.field_id for r in kept if r.tasks}
    heads = {r.item.pk for r in rows if r.item.level == 1 and r.field_id in fields}
    return rows_with_heads(rows, kept, heads)


def rows_with_heads(rows: list[ItemRow], kept: list[ItemRow], heads: set[int]) -> list[ItemRow]:
    by_pk = {r.item.pk: r for r in kept}
    out = []
    for row in rows:
        if row.item.pk in by_pk:
            out.append(by_pk[row.item.pk])
        elif row.item.pk in heads:
            out.append(ItemRow(row.item, row.targets, [], row.field_id))
    return out


def plan_filter_choices(tables_rows: list[list[ItemRow]]) -> dict[str, list[tuple[str, str]]]:
    """What the filters offer: the plan's fields (level-1 items) and the units named on its tasks."""
    from .models import TaskStatus

    fields, units = [], {}
    for rows in tables_rows:
        for row in rows:
            if row.item.level == 1:
                fields.append((row.item.public_id, f"{row.item.display_code}. {row.item.name}".strip(". ")))
            for task in row.tasks:
                for a in task.assignments.all():
                    if a.unit is not None:
                        units[a.unit.public_id] = a.unit.name
    return {"fields": fields, "units": sorted(units.items(), key=lambda kv: fold(kv[1])),
            "statuses": list(TaskStatus.choices), "deadlines": list(DEADLINE_FILTERS.items()),
            "sorts": list(PLAN_SORTS.items())}


def total_cells(table: PlanTable) -> list[object]:
    """The printed TỔNG row laid out as the page's columns: max, score, targets."""
    totals = {(t.get("key"), str(t.get("year") or "")): t.get("value") for t in table.printed_total}
    achieved = [k for k in totals if k[0] in {"achieved", "appraised"}]
    cells = [totals.get(("max_points", "")), totals[max(achieved, key=lambda k: k[1])] if achieved else None]
    return cells + [totals.get(("target", y)) for y in target_years(table)]


def leaf_methods(version_id: int) -> dict[int, str]:
    """Each criterion's method; a parent's is its leaves' if they all share one."""
    criteria = list(Criterion.objects.filter(version_id=version_id).values("id", "parent_id", "method"))
    children = defaultdict(list)
    for c in criteria:
        children[c["parent_id"]].append(c)
    out: dict[int, str] = {}

    def method_of(c) -> str:
        if c["id"] in out:
            return out[c["id"]]
        kids = children.get(c["id"])
        if not kids:
            out[c["id"]] = c["method"]
        else:
            methods = {method_of(k) for k in kids}
            out[c["id"]] = methods.pop() if len(methods) == 1 else UNKNOWN
        return out[c["id"]]

    for c in criteria:
        method_of(c)
    return out


def item_method(item: PlanItem, methods: dict[int, str]) -> str:
    if item.criterion_id and methods.get(item.criterion_id):
        return methods[item.criterion_id]
    if "xhh" in fold(item.note) or "dieu tra" in fold(item.note):
        return SURVEY
    return UNKNOWN


def table_gap(table: PlanTable) -> GapResult | None:
    """Points lost in one table (max − baseline), or None when it prints no scores."""
    methods = leaf_methods(table.version_id) if table.version_id else {}
    rows = [
        GapInput(i.code, i.name, i.max_points, i.baseline, item_method(i, methods), bool(i.tasks.all()))
        for i in table.items.all()
    ]
    if not any(r.max_points is not None and r.score is not None for r in rows):
        return None
    return analyse(rows)


METHOD_LABELS = {SURVEY: "Điều tra XHH", APPRAISAL: "Thẩm định", STATISTICS: "Số liệu thống kê",
                 UNKNOWN: "Chưa phân loại"}


SEARCH_KINDS = {"ke-hoach": "Kế hoạch", "tieu-chi": "Tiêu chí", "nhiem-vu": "Nhiệm vụ", "don-vi": "Đơn vị"}


def search(plans: QuerySet[Plan], units: QuerySet, query: str, limit: int = 50, *, kind: str = "",
           status: str = "", deadline: str = "", today: dt.date | None = None) -> dict:
    """Diacritics- and case-insensitive search over plans, criteria, tasks and units; `kind`
    keeps one of them (a SEARCH_KINDS key); `status` and `deadline` (DEADLINE_FILTERS) narrow the
    tasks and keep only them."""
    from .models import TaskStatus

    terms = fold(query).split()
    empty = {"plans": [], "items": [], "tasks": [], "units": []}
    if not terms:
        return empty
    if status or deadline:
        kind = "nhiem-vu"

    def matching(qs, field="search_text"):
        cond = Q()
        for term in terms:
            cond &= Q(**{f"{field}__contains": term})
        return qs.filter(cond)

    plan_ids = plans.values("pk")
    tasks = Task.objects.filter(item__table__plan__in=plan_ids)
    if status:
        tasks = tasks.filter(status=status)
    today = today or dt.date.today()
    if deadline == "khong-han":
        tasks = tasks.filter(due_date__isnull=True)
    elif deadline == "qua-han":
        tasks = tasks.filter(due_date__lt=today).exclude(status=TaskStatus.DONE)
    elif deadline == "30-ngay":
        tasks = tasks.filter(due_date__gte=today, due_date__lte=today + dt.timedelta(days=30))
    wanted = (lambda k: not kind or kind == k)
    return {
        "plans": list(matching(plans).select_related("issuer")[:limit]) if wanted("ke-hoach") else [],
        "items": list(matching(PlanItem.objects.filter(table__plan__in=plan_ids))
                      .select_related("table__plan")[:limit]) if wanted("tieu-chi") else [],
        "tasks": list(matching(tasks).select_related("item__table__plan")
                      .order_by("due_date" if deadline else "pk")[:limit]) if wanted("nhiem-vu") else [],
        "units": list(matching(units)[:limit]) if wanted("don-vi") else [],
    }


def unit_assignments(unit) -> list[Assignment]:
    """Every task where the unit leads or coordinates (or has another role)."""
    return list(
        Assignment.objects.filter(unit=unit)
        .select_related("task__item__table__plan__issuer")
        .order_by("task__item__table__plan__first_year", "task__item__table__plan_id", "role",
                  "task__item__table__position", "task__item__position")
    )




def loaded_plan(document: dict) -> Plan | None:
    """The plan this very reading was loaded as, if it was."""
    from .loader import content_hash

    return Plan.objects.filter(content_hash=content_hash(document)).first()
