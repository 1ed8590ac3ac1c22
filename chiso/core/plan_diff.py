"""What changed between two editions of a plan (the plan and its amendment). Pure Python.

Editions are compared as snapshots (chiso.plans.snapshot): rows and tasks keep a stable id
across editions (an amendment edits the same plan), so a task whose text was reworded is a
changed task, not one removed and one added. Snapshot shape::

    {"tables": [{"index": "PAR_INDEX", "items": [
        {"id": "…", "code": "2.1", "name": "…", "max": "3", "baseline": "2.5",
         "targets": {"2025": "3"},
         "tasks": [{"id": "…", "text": "…", "deliverable": "…", "deadline": "Trước 30/6/2025",
                    "due": "2025-06-30", "agencies": [{"role": "lead", "name": "Sở Tư pháp"}]}]}]}]}

Numbers are strings of Decimals (JSON keeps them exact).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

ROLE_LABELS = {"lead": "Chủ trì", "coordinating": "Phối hợp", "implementing": "Thực hiện",
               "monitoring": "Theo dõi", "responsible": "Trách nhiệm thực hiện"}


@dataclass(frozen=True)
class RowChange:
    code: str
    name: str
    what: str  # "added", "removed", "renamed", "max"
    old: str = ""
    new: str = ""


@dataclass(frozen=True)
class TargetChange:
    code: str
    name: str
    year: str
    old: Decimal | None
    new: Decimal | None


@dataclass(frozen=True)
class TaskChange:
    code: str
    task_id: str
    text: str
    what: str  # "added", "removed", "text", "deliverable", "moved"
    old: str = ""
    new: str = ""


@dataclass(frozen=True)
class DeadlineChange:
    code: str
    task_id: str
    text: str
    old: str
    new: str
    old_due: str = ""
    new_due: str = ""


@dataclass(frozen=True)
class AgencyChange:
    code: str
    task_id: str
    text: str
    role: str
    added: tuple[str, ...]
    removed: tuple[str, ...]

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)


@dataclass
class PlanDiff:
    rows: list[RowChange] = field(default_factory=list)
    targets: list[TargetChange] = field(default_factory=list)
    tasks: list[TaskChange] = field(default_factory=list)
    deadlines: list[DeadlineChange] = field(default_factory=list)
    agencies: list[AgencyChange] = field(default_factory=list)
    heading: list[tuple[str, str, str]] = field(default_factory=list)  # (label, old, new)

    @property
    def empty(self) -> bool:
        return not (self.rows or self.targets or self.tasks or self.deadlines or self.agencies or self.heading)

    @property
    def count(self) -> int:
        return (len(self.rows) + len(self.targets) + len(self.tasks) + len(self.deadlines) + len(self.agencies)
                + len(self.heading))


def _dec(value) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


def _items(snapshot: dict) -> dict[str, dict]:
    return {item["id"]: item for table in snapshot.get("tables") or [] for item in table.get("items") or []}


def _tasks(items: dict[str, dict]) -> dict[str, tuple[dict, dict]]:
    return {task["id"]: (item, task) for item in items.values() for task in item.get("tasks") or []}


def _agency_names(task: dict) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for a in task.get("agencies") or []:
        out.setdefault(a["role"], [])
        if a["name"] not in out[a["role"]]:
            out[a["role"]].append(a["name"])
    return out


def _short(text: str, n: int = 120) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


HEADING = [("title", "Tên kế hoạch"), ("first_year", "Từ năm"), ("last_year", "Đến năm")]


def diff(old: dict, new: dict) -> PlanDiff:
    """Changes from the `old` snapshot to the `new` one, in the new table's order (removed rows
    and tasks in the old one's)."""
    out = PlanDiff()
    for key, label in HEADING:
        if str(old.get(key) or "") != str(new.get(key) or ""):
            out.heading.append((label, str(old.get(key) or ""), str(new.get(key) or "")))
    old_items, new_items = _items(old), _items(new)
    for item_id, item in new_items.items():
        before = old_items.get(item_id)
        if before is None:
            out.rows.append(RowChange(item["code"], item["name"], "added"))
            for year, value in (item.get("targets") or {}).items():
                out.targets.append(TargetChange(item["code"], item["name"], year, None, _dec(value)))
            continue
        if before["name"] != item["name"]:
            out.rows.append(RowChange(item["code"], item["name"], "renamed", before["name"], item["name"]))
        if _dec(before.get("max")) != _dec(item.get("max")):
            out.rows.append(RowChange(item["code"], item["name"], "max", str(before.get("max") or ""),
                                      str(item.get("max") or "")))
        old_targets, new_targets = before.get("targets") or {}, item.get("targets") or {}
        for year in sorted(set(old_targets) | set(new_targets)):
            a, b = _dec(old_targets.get(year)), _dec(new_targets.get(year))
            if a != b:
                out.targets.append(TargetChange(item["code"], item["name"], year, a, b))
    for item_id, item in old_items.items():
        if item_id not in new_items:
            out.rows.append(RowChange(item["code"], item["name"], "removed"))
    old_tasks, new_tasks = _tasks(old_items), _tasks(new_items)
    for task_id, (item, task) in new_tasks.items():
        code, label = item["code"], _short(task["text"])
        if task_id not in old_tasks:
            out.tasks.append(TaskChange(code, task_id, label, "added", "", task["text"]))
            names = _agency_names(task)
            for role, added in names.items():
                out.agencies.append(AgencyChange(code, task_id, label, role, tuple(added), ()))
            if task.get("deadline"):
                out.deadlines.append(DeadlineChange(code, task_id, label, "", task["deadline"], "", task.get("due") or ""))
            continue
        old_item, before = old_tasks[task_id]
        if old_item["id"] != item["id"]:
            out.tasks.append(TaskChange(code, task_id, label, "moved", old_item["code"], code))
        for key in ("text", "deliverable"):
            if (before.get(key) or "") != (task.get(key) or ""):
                out.tasks.append(TaskChange(code, task_id, label, key, before.get(key) or "", task.get(key) or ""))
        if (before.get("deadline") or "") != (task.get("deadline") or "") or before.get("due") != task.get("due"):
            out.deadlines.append(DeadlineChange(code, task_id, label, before.get("deadline") or "",
                                                task.get("deadline") or "", before.get("due") or "",
                                                task.get("due") or ""))
        old_names, new_names = _agency_names(before), _agency_names(task)
        for role in list(dict.fromkeys([*old_names, *new_names])):
            a, b = old_names.get(role, []), new_names.get(role, [])
            added, removed = tuple(n for n in b if n not in a), tuple(n for n in a if n not in b)
            if added or removed:
                out.agencies.append(AgencyChange(code, task_id, label, role, added, removed))
    for task_id, (item, task) in old_tasks.items():
        if task_id not in new_tasks:
            out.tasks.append(TaskChange(item["code"], task_id, _short(task["text"]), "removed", task["text"], ""))
    return out
