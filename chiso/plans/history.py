"""Who changed what in a plan, and when (old → new), from django-simple-history: the heading,
rows, targets, tasks and agencies. A fixed number of queries."""
from __future__ import annotations

from dataclasses import dataclass, field

from .models import Assignment, ItemValue, Plan, PlanItem, Task

TRACKED = {
    Plan: ["title", "state", "edition", "number", "date", "purpose", "requirements", "organization",
           "leader_comment", "amendment_reason"],
    PlanItem: ["name", "reason", "note", "position", "removed_at"],
    ItemValue: ["value"],
    Task: ["text", "deliverable", "deadline_text", "due_date", "status", "review_note", "removed_at"],
    Assignment: ["role", "text", "removed_at"],
}
KIND = {"+": "Tạo mới", "~": "Sửa", "-": "Xoá"}
LABELS = {"removed_at": "Đã xoá (hoàn tác được)", "position": "Thứ tự", "value": "Giá trị"}
LIMIT = 500


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class Entry:
    when: object
    who: str
    what: str
    kind: str
    changes: list[Change] = field(default_factory=list)


def display(model, name: str, value) -> str:
    if value is None or value == "":
        return "—"
    f = model._meta.get_field(name)
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if name == "removed_at":
        return "có"
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y %H:%M") if hasattr(value, "hour") else value.strftime("%d/%m/%Y")
    if hasattr(value, "as_tuple"):
        from chiso.core.tree import fmt

        return fmt(value)
    return str(value)


def entries_of(model, records, what, fields: list[str] | None = None) -> list[Entry]:
    """History records of one model as entries: what changed from each record to the next of the
    same row (a save that changed none of `fields` is left out)."""
    fields = fields or TRACKED[model]
    previous: dict[int, object] = {}
    out = []
    for rec in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        before = previous.get(rec.id)
        previous[rec.id] = rec
        changes = []
        for name in fields:
            old = getattr(before, name, None) if before is not None else None
            new = getattr(rec, name)
            if old != new and not (before is None and new in (None, "")):
                label = LABELS.get(name) or str(model._meta.get_field(name).verbose_name)
                changes.append(Change(label[0].upper() + label[1:], display(model, name, old), display(model, name, new)))
        if before is not None and not changes and rec.history_type == "~":
            continue
        who = rec.history_user.display_name if rec.history_user else "Hệ thống"
        out.append(Entry(rec.history_date, who, what(rec), KIND.get(rec.history_type, ""), changes))
    return out


def plan_history(plan: Plan) -> list[Entry]:
    """Every change to the plan, newest first (5 queries; the latest LIMIT records of each kind)."""
    items = {i.pk: i for i in PlanItem.with_removed.filter(table__plan=plan)}
    tasks = {t.pk: t for t in Task.with_removed.filter(item__table__plan=plan)}

    def row(item_id) -> str:
        item = items.get(item_id)
        return f"dòng {item.display_code or item.name[:40]}" if item else "dòng đã xoá"

    def task_label(task_id) -> str:
        task = tasks.get(task_id)
        return f"nhiệm vụ “{task.text[:60]}”" if task else "nhiệm vụ"

    def latest(qs):
        return list(qs.select_related("history_user").order_by("-history_date")[:LIMIT])

    entries = entries_of(Plan, latest(plan.history.all()), lambda r: "Kế hoạch")
    entries += entries_of(PlanItem, latest(PlanItem.history.filter(table__plan=plan)), lambda r: row(r.id).capitalize())
    entries += entries_of(ItemValue, latest(ItemValue.history.filter(item_id__in=items)),
                          lambda r: f"{dict(ItemValue._meta.get_field('key').flatchoices).get(r.key, r.key)}"
                                    f"{' năm ' + r.year if r.year else ''}, {row(r.item_id)}")
    entries += entries_of(Task, latest(Task.history.filter(item_id__in=items)),
                          lambda r: f"Nhiệm vụ ({row(r.item_id)})")
    entries += entries_of(Assignment, latest(Assignment.history.filter(task_id__in=tasks)),
                          lambda r: f"Cơ quan, {task_label(r.task_id)}")
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries
