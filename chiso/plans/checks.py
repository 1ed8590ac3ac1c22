"""Checks shown beside a plan while it is written. None of them blocks saving: they say what a
reader of the plan would notice — lost points nobody works on, tasks nobody leads, deadlines
after the year's assessment or not understood, targets that do not add up, tasks marked for
review, and how many tasks each agency leads (plans of 60 tasks and more rarely succeed).
The projected total and rank of the targets come from the analysis app (what-if), which shows
these checks with them."""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from chiso.core.plan_sums import SumRow, target_problems
from chiso.core.tree import fmt

from .models import AssignmentRole, Plan, PlanTable, ValueKey
from .selectors import plan_tables

MANY_TASKS = 60  # beyond this, a plan rarely gets done
MANY_PER_AGENCY = 10


@dataclass(frozen=True)
class Finding:
    code: str
    text: str
    anchor: str = ""  # the row's public id, for a link to it on the page


@dataclass
class PlanChecks:
    cutoff: dt.date
    rows: int = 0
    tasks: int = 0
    lost_without_task: list[Finding] = field(default_factory=list)
    without_lead: list[Finding] = field(default_factory=list)
    late: list[Finding] = field(default_factory=list)
    unread: list[Finding] = field(default_factory=list)
    no_deadline: list[Finding] = field(default_factory=list)
    targets: list[Finding] = field(default_factory=list)
    review: list[Finding] = field(default_factory=list)
    load: list[tuple[str, int]] = field(default_factory=list)  # (agency, tasks it leads), most first

    @property
    def too_many(self) -> bool:
        return self.tasks >= MANY_TASKS

    @property
    def heaviest(self) -> int:
        return self.load[0][1] if self.load else 0

    @property
    def problems(self) -> int:
        return (len(self.lost_without_task) + len(self.without_lead) + len(self.late) + len(self.unread)
                + len(self.targets))

    @property
    def many_per_agency(self) -> int:
        return MANY_PER_AGENCY


def assessment_cutoff(plan: Plan) -> dt.date:
    """The last day that counts for the year's assessment: what is done after 31/12 of the
    plan's last year is assessed a year later."""
    return dt.date(plan.last_year, 12, 31)


def _short(text: str, n: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _table_targets(table: PlanTable, items) -> list[Finding]:
    years = [str(c.get("year") or "") for c in table.columns if c.get("key") == ValueKey.TARGET]
    anchors = {i.code: i.public_id for i in items}
    out = []
    for year in years:
        rows = []
        for item in items:
            target = next((v.value for v in item.values.all() if v.key == ValueKey.TARGET and v.year == year
                           and v.value_high is None), None)
            if item.code:
                rows.append(SumRow(item.code, item.max_points, item.baseline, target))
        if table.version_id and table.version.aggregation == "mean":
            rows = [SumRow(r.code, r.max_points, None, r.target) for r in rows]
            problems = [(c, m) for c, m in target_problems(rows) if "lớn hơn" in m or "nhỏ hơn" in m]
        else:
            problems = target_problems(rows)
        out += [Finding(code, f"{code}: {message}" + (f" (năm {year})" if len(years) > 1 else ""), anchors.get(code, ""))
                for code, message in problems]
    return out


def plan_checks(plan: Plan) -> PlanChecks:
    """Everything the panel shows except the projection (7 queries)."""
    checks = PlanChecks(cutoff=assessment_cutoff(plan))
    load: Counter[str] = Counter()
    for table in plan_tables(plan):
        items = list(table.items.all())
        parents = {i.parent_id for i in items if i.parent_id}
        checks.rows += len(items)
        checks.targets += _table_targets(table, items)
        for item in items:
            tasks = list(item.tasks.all())
            lost = item.lost
            if lost is not None and lost > 0 and item.pk not in parents and not tasks:
                checks.lost_without_task.append(Finding(item.display_code, f"{item.display_code} {_short(item.name)}: "
                                                        f"mất {fmt(lost)} điểm", item.public_id))
            for task in tasks:
                checks.tasks += 1
                where = f"{item.display_code}: {_short(task.text, 60)}"
                leads = [a for a in task.assignments.all() if a.role in {AssignmentRole.LEAD, AssignmentRole.RESPONSIBLE}]
                if not leads:
                    checks.without_lead.append(Finding(item.display_code, where, item.public_id))
                for a in leads:
                    load[a.unit.name if a.unit else a.text] += 1
                due = task.due_date or task.period_end
                if task.deadline_flagged or (task.deadline_text and task.deadline_kind == "unparsed"):
                    checks.unread.append(Finding(item.display_code, f"{where} — “{_short(task.deadline_text, 40)}”",
                                                 item.public_id))
                elif not task.deadline_text:
                    checks.no_deadline.append(Finding(item.display_code, where, item.public_id))
                elif due is not None and due > checks.cutoff:
                    checks.late.append(Finding(item.display_code, f"{where} — hạn {due:%d/%m/%Y}", item.public_id))
                if task.review_note:
                    checks.review.append(Finding(item.display_code, where, item.public_id))
    checks.load = sorted(load.items(), key=lambda kv: (-kv[1], kv[0]))
    return checks


def leaf_targets(plan: Plan) -> tuple[PlanTable | None, dict[str, object], int | None]:
    """(table, criterion code → target, year) of the plan's first table on a framework: the
    targets of its rows without rows under them, for a projection of the plan's total."""
    for table in plan_tables(plan):
        if table.version_id is None:
            continue
        years = [str(c.get("year") or "") for c in table.columns if c.get("key") == ValueKey.TARGET]
        if not years or not years[0][-4:].isdigit():
            continue
        items = list(table.items.all())
        parents = {i.parent_id for i in items if i.parent_id}
        targets = {}
        for item in items:
            if item.pk in parents or not item.criterion_id:
                continue
            value = next((v.value for v in item.values.all() if v.key == ValueKey.TARGET and v.year == years[0]
                          and v.value_high is None), None)
            if value is not None:
                targets[item.criterion.code] = value
        return table, targets, int(years[0][-4:])
    return None, {}, None
