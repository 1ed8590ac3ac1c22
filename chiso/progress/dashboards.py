"""The province's view of one plan: tasks by status, lead unit and field of the index; overdue
tasks; criteria that lost points and whose tasks are late or missing; reports per period.

Six queries whatever the plan's size; the counting is plain Python.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count

from chiso.plans.models import Assignment, AssignmentRole, Plan, PlanItem, Task, TaskStatus

from .models import ProgressReport, ReportingPeriod
from .selectors import SENT, is_overdue

NO_LEAD = "Chưa xác định đơn vị chủ trì"
# a lead written as a group ("các cơ quan có liên quan", "UBND cấp xã") is not an agency: its
# tasks are counted once under this line, not as one more agency per phrase
GROUP_LEAD = "Giao cho nhóm cơ quan (chưa chỉ rõ đơn vị)"


@dataclass
class Bucket:
    label: str
    public_id: str = ""
    statuses: Counter = field(default_factory=Counter)
    overdue: int = 0

    @property
    def total(self) -> int:
        return sum(self.statuses.values())

    def cells(self) -> list[int]:
        return [self.statuses.get(s, 0) for s in TaskStatus.values]


@dataclass
class LostCriterion:
    item: dict
    lost: Decimal
    tasks: list[Task]
    overdue: list[Task]


@dataclass
class PlanDashboard:
    plan: Plan
    total: int
    by_status: list[tuple[str, str, int]]
    by_lead: list[Bucket]
    by_field: list[Bucket]
    overdue: list[Task]
    lost: list[LostCriterion]
    periods: list[dict]
    # what the filters offer (the plan's fields, its lead units) and what they hold
    fields: list[tuple[str, str]] = field(default_factory=list)
    units: list[tuple[str, str]] = field(default_factory=list)
    unit: str = ""
    field_id: str = ""


def plan_dashboard(plan: Plan, today: dt.date, *, unit: str = "", field_id: str = "") -> PlanDashboard:
    """The counts of every task, or of the tasks a unit leads (`unit`, its public id) in one
    field (`field_id`, the public id of a level-1 item)."""
    items = {i["id"]: i for i in PlanItem.objects.filter(table__plan=plan).order_by("table__position", "position")
             .values("id", "public_id", "parent_id", "code", "name", "level", "max_points", "baseline",
                     "table__index")}
    tasks = list(Task.objects.filter(item__table__plan=plan)
                 .order_by("item__table__position", "item__position", "position")
                 .only("id", "public_id", "text", "item_id", "status", "due_date", "deadline_text"))
    leads: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for a in (Assignment.objects.filter(task__item__table__plan=plan, role=AssignmentRole.LEAD)
              .order_by("position").values("task_id", "unit__name", "unit__public_id", "text")):
        leads[a["task_id"]].append((a["unit__name"] or a["text"], a["unit__public_id"] or ""))
    fields = [(i["public_id"], _label(i)) for i in items.values() if i["level"] == 1]
    units = sorted({pid: name for lead in leads.values() for name, pid in lead if pid}.items(), key=lambda kv: kv[1])
    unit = unit if unit in dict(units) else ""
    field_id = field_id if field_id in dict(fields) else ""
    if unit:
        tasks = [t for t in tasks if any(pid == unit for _, pid in leads.get(t.pk, []))]
    if field_id:
        tasks = [t for t in tasks if (top := _top(items, t.item_id)) is not None and items[top]["public_id"] == field_id]
        items = {k: v for k, v in items.items() if (top := _top(items, k)) is not None
                 and items[top]["public_id"] == field_id}

    status_counts: Counter = Counter()
    by_lead: dict[str, Bucket] = {}
    by_field: dict[int, Bucket] = {}
    overdue: list[Task] = []
    tasks_by_item: dict[int, list[Task]] = defaultdict(list)
    for t in tasks:
        late = is_overdue(t, today)
        t.is_overdue = late
        t.leads = leads.get(t.pk, [])
        status_counts[t.status] += 1
        tasks_by_item[t.item_id].append(t)
        if late:
            overdue.append(t)
        agencies = list(dict.fromkeys((name, pid) if pid else (GROUP_LEAD, "") for name, pid in t.leads))
        for name, public_id in agencies or [(NO_LEAD, "")]:
            bucket = by_lead.setdefault(name, Bucket(name, public_id))
            bucket.statuses[t.status] += 1
            bucket.overdue += late
        top = _top(items, t.item_id)
        if top is not None:
            item = items[top]
            bucket = by_field.setdefault(top, Bucket(_label(item), item["public_id"]))
            bucket.statuses[t.status] += 1
            bucket.overdue += late
    overdue.sort(key=lambda t: t.due_date)
    return PlanDashboard(
        plan=plan, total=len(tasks),
        by_status=[(s, label, status_counts.get(s, 0)) for s, label in TaskStatus.choices],
        by_lead=sorted(by_lead.values(), key=lambda b: (-b.overdue, -b.total, b.label)),
        by_field=list(by_field.values()),
        overdue=overdue, lost=_lost_criteria(items, tasks_by_item), periods=_periods(plan, tasks, today),
        fields=fields, units=units, unit=unit, field_id=field_id,
    )


def _label(item: dict) -> str:
    index = item["table__index"].replace("_", " ")
    return f"{index} · {item['code']} {item['name']}".strip()


def _top(items: dict[int, dict], item_id: int) -> int | None:
    seen = set()
    while item_id in items and items[item_id]["parent_id"] and item_id not in seen:
        seen.add(item_id)
        item_id = items[item_id]["parent_id"]
    return item_id if item_id in items else None


def _lost(item: dict) -> Decimal | None:
    if item["max_points"] is None or item["baseline"] is None:
        return None
    return item["max_points"] - item["baseline"]


def _lost_criteria(items: dict[int, dict], tasks_by_item: dict[int, list[Task]]) -> list[LostCriterion]:
    """The deepest rows that lost points, with the tasks that address them (on the row, below it, or
    on a criterion above it) when those are overdue or missing."""
    children: dict[int, list[int]] = defaultdict(list)
    for i in items.values():
        if i["parent_id"]:
            children[i["parent_id"]].append(i["id"])

    def below(item_id: int) -> list[Task]:
        found = list(tasks_by_item.get(item_id, []))
        for child in children.get(item_id, []):
            found += below(child)
        return found

    out = []
    for item in items.values():
        lost = _lost(item)
        if not lost or lost <= 0:
            continue
        if any((_lost(items[c]) or 0) > 0 for c in children.get(item["id"], [])):
            continue  # a deeper row says where the points went
        related = below(item["id"])
        parent = item["parent_id"]
        while parent in items and items[parent]["level"] > 1:
            related += tasks_by_item.get(parent, [])
            parent = items[parent]["parent_id"]
        late = [t for t in related if t.is_overdue]
        if not related or late:
            out.append(LostCriterion(item, lost, related, late))
    out.sort(key=lambda c: -c.lost)
    return out


def _periods(plan: Plan, tasks: list[Task], today: dt.date) -> list[dict]:
    periods = list(ReportingPeriod.objects.filter(plan=plan).order_by("-start"))
    counts: dict[int, Counter] = defaultdict(Counter)
    reported: dict[int, set[int]] = defaultdict(set)
    any_report: dict[int, set[int]] = defaultdict(set)
    shown = {t.pk for t in tasks}
    for row in (ProgressReport.objects.filter(period__plan=plan).values("period_id", "state", "task_id")
                .annotate(n=Count("pk"))):
        if row["task_id"] not in shown:  # a filtered dashboard counts the reports of its tasks only
            continue
        counts[row["period_id"]][row["state"]] += row["n"]
        any_report[row["period_id"]].add(row["task_id"])
        if row["state"] in SENT:
            reported[row["period_id"]].add(row["task_id"])
    not_done = {t.pk for t in tasks if t.status != TaskStatus.DONE}
    out = []
    for p in periods:
        expected = len(not_done | any_report[p.pk])
        sent = len(reported[p.pk])
        out.append({"period": p, "counts": counts[p.pk], "expected": expected, "sent": sent,
                    "missing": expected - sent, "late": (expected - sent) if p.due_date < today else 0})
    return out
