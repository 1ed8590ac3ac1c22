"""Who changed what and when (old → new) on a task and its reports, from django-simple-history.

History rows are never deleted: removing evidence only marks it removed.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from chiso.plans.models import Task

from .models import Contribution, Evidence, ProgressReport

TRACKED = {
    Task: ["status", "text", "deliverable", "deadline_text", "due_date"],
    ProgressReport: ["state", "status", "percent", "done", "reason", "review_comment"],
    Contribution: ["text"],
    Evidence: ["file_name", "url", "removed_at"],
}
KIND = {"+": "Tạo mới", "~": "Sửa", "-": "Xoá"}


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


def _display(model, name: str, value) -> str:
    if value is None or value == "":
        return "—"
    f = model._meta.get_field(name)
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y %H:%M") if hasattr(value, "hour") else value.strftime("%d/%m/%Y")
    if name == "percent":
        return f"{value}%"
    return str(value)


def _entries(model, records, what) -> list[Entry]:
    fields = TRACKED[model]
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
                label = str(model._meta.get_field(name).verbose_name)
                if model is Evidence and name == "removed_at":
                    label = "Gỡ bỏ"
                changes.append(Change(label, _display(model, name, old), _display(model, name, new)))
        if before is not None and not changes and rec.history_type == "~":
            continue
        who = rec.history_user.display_name if rec.history_user else "Hệ thống"
        out.append(Entry(rec.history_date, who, what(rec), KIND.get(rec.history_type, ""), changes))
    return out


def task_history(task: Task) -> list[Entry]:
    """Every change to the task, its reports, contributions and evidence, newest first: 4 queries."""
    reports = ProgressReport.history.filter(task_id=task.pk).select_related("history_user", "period")
    contributions = Contribution.history.filter(task_id=task.pk).select_related("history_user", "unit", "period")
    report_ids = set(ProgressReport.objects.filter(task=task).values_list("pk", flat=True))
    contribution_ids = set(Contribution.objects.filter(task=task).values_list("pk", flat=True))
    evidence = Evidence.history.filter(report_id__in=report_ids) | Evidence.history.filter(
        contribution_id__in=contribution_ids)
    entries = _entries(Task, task.history.select_related("history_user"), lambda r: "Nhiệm vụ")
    entries += _entries(ProgressReport, reports, lambda r: f"Báo cáo {r.period.name}")
    entries += _entries(Contribution, contributions, lambda r: f"Phối hợp {r.period.name} · {r.unit.name}")
    entries += _entries(Evidence, evidence.select_related("history_user"),
                        lambda r: f"Tài liệu kiểm chứng “{r.file_name or r.url}”")
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries
