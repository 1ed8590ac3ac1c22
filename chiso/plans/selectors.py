"""Reads of plans, shaped for the pages; each runs a fixed number of queries."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

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
    for item in table.items.all():
        targets = {v.year: v for v in item.values.all() if v.key == "target"}
        for task in item.tasks.all():
            task.progress_url = task_url.replace("TASK", task.public_id)
            groups: dict[str, list[Assignment]] = {}
            for a in task.assignments.all():
                a.unit_url = unit_url.replace("UNIT", a.unit.public_id) if a.unit else ""
                groups.setdefault(a.get_role_display(), []).append(a)
            task.role_groups = list(groups.items())
        rows.append(ItemRow(item, [targets.get(y) for y in years]))
    return rows


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


def search(plans: QuerySet[Plan], units: QuerySet, query: str, limit: int = 50) -> dict:
    """Diacritics- and case-insensitive search over plans, criteria, tasks and units."""
    terms = fold(query).split()
    if not terms:
        return {"plans": [], "items": [], "tasks": [], "units": []}

    def matching(qs, field="search_text"):
        cond = Q()
        for term in terms:
            cond &= Q(**{f"{field}__contains": term})
        return qs.filter(cond)

    plan_ids = plans.values("pk")
    return {
        "plans": list(matching(plans).select_related("issuer")[:limit]),
        "items": list(matching(PlanItem.objects.filter(table__plan__in=plan_ids))
                      .select_related("table__plan")[:limit]),
        "tasks": list(matching(Task.objects.filter(item__table__plan__in=plan_ids))
                      .select_related("item__table__plan")[:limit]),
        "units": list(matching(units)[:limit]),
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
