"""A plan as it stands, as plain JSON: what an issued edition keeps, and what the diff between
editions compares (chiso.core.plan_diff). Rows and tasks carry their public ids, which stay
the same across an amendment."""
from __future__ import annotations

from chiso.core.plan_diff import PlanDiff, diff

from .models import Plan, PlanEdition, ValueKey
from .selectors import plan_tables


def _num(value) -> str | None:
    return None if value is None else format(value.normalize(), "f")


def plan_snapshot(plan: Plan) -> dict:
    """The plan's heading, and per table its rows with their numbers and tasks (6 queries)."""
    tables = []
    for table in plan_tables(plan):
        items = []
        for item in table.items.all():
            targets = {v.year: _num(v.value) for v in item.values.all() if v.key == ValueKey.TARGET}
            items.append({
                "id": item.public_id, "code": item.display_code, "name": item.name, "level": item.level,
                "max": _num(item.max_points), "baseline": _num(item.baseline), "targets": targets,
                "reason": item.reason,
                "tasks": [{
                    "id": task.public_id, "text": task.text, "deliverable": task.deliverable,
                    "deadline": task.deadline_text, "due": task.due_date.isoformat() if task.due_date else None,
                    "agencies": [{"role": a.role, "name": a.unit.name if a.unit else a.text,
                                  "unit": a.unit.public_id if a.unit else ""} for a in task.assignments.all()],
                } for task in item.tasks.all()],
            })
        tables.append({"index": table.index, "caption": table.caption, "items": items})
    return {"title": plan.title, "first_year": plan.first_year, "last_year": plan.last_year,
            "number": plan.number, "date": plan.date.isoformat() if plan.date else None, "tables": tables}


def edition_diff(old: PlanEdition | None, new: PlanEdition | None, plan: Plan) -> PlanDiff:
    """From one edition to another; `new` None is the plan as it stands (an amendment being
    drafted), `old` None is an empty plan."""
    before = old.snapshot if old is not None else {"tables": []}
    after = new.snapshot if new is not None else plan_snapshot(plan)
    return diff(before, after)
