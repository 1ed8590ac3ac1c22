"""Reads for the analysis pages, each in a fixed number of queries.

A unit-year's gap (where points were lost, by field and method, against last year,
with or without a plan task aimed at them), roll-up checks of the printed figures.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch

from chiso.core.gap import GapInput, GapLine, GapResult, analyse
from chiso.core.tree import build, fmt, sum_mismatches
from chiso.frameworks.models import Criterion
from chiso.plans.models import Assignment, PlanItem, Task
from chiso.plans.selectors import leaf_methods
from chiso.scores.models import Assessment, Score

ZERO = Decimal(0)


@dataclass
class Row:
    criterion: Criterion
    score: Score | None

    @property
    def value(self) -> Decimal | None:
        return self.score.score if self.score else None


def score_rows(assessment: Assessment) -> list[Row]:
    """Every criterion of the version in order with the assessment's score (2 queries)."""
    criteria = list(Criterion.objects.filter(version_id=assessment.version_id).order_by("position"))
    scores = {s.criterion_id: s for s in Score.objects.filter(assessment=assessment)}
    return [Row(c, scores.get(c.pk)) for c in criteria]


def total_of(assessment: Assessment, rows: list[Row]) -> Decimal | None:
    if assessment.printed_total is not None:
        return assessment.printed_total
    fields = [r.value for r in rows if r.criterion.parent_id is None]
    if not fields or any(v is None for v in fields):
        return None
    return sum(fields, ZERO)


def rollup_warnings(assessment: Assessment, rows: list[Row]) -> list[str]:
    """Children that do not add up to their parent, fields that do not make the total: flagged, kept as printed."""
    if assessment.version.aggregation != "sum":
        return []
    out: list[str] = []
    for name, label in (("score", "điểm đạt được"), ("self_score", "điểm tự đánh giá")):
        scored = [(r.criterion.code, r.criterion.name, getattr(r.score, name)) for r in rows
                  if r.score is not None and getattr(r.score, name) is not None]
        total = assessment.printed_total if name == "score" else None
        out += [m.describe(label) for m in sum_mismatches(build(scored), total)]
    return out


def task_coverage(assessment: Assessment) -> dict[int, list[Task]]:
    """Criterion id → tasks aimed at it in the unit's plans for this year or the next (3 queries)."""
    items = (PlanItem.objects
             .filter(criterion__version_id=assessment.version_id, table__plan__issuer_id=assessment.unit_id,
                     table__plan__first_year__lte=assessment.year + 1, table__plan__last_year__gte=assessment.year,
                     tasks__isnull=False)
             .distinct()
             .prefetch_related(Prefetch("tasks", queryset=Task.objects.order_by("position").prefetch_related(
                 Prefetch("assignments", queryset=Assignment.objects.select_related("unit").order_by("role_order", "position"))))))
    out: dict[int, list[Task]] = defaultdict(list)
    for item in items:
        out[item.criterion_id] += list(item.tasks.all())
    return out


def tasks_for(criterion: Criterion, by_id: dict[int, Criterion], coverage: dict[int, list[Task]]) -> list[Task]:
    """Tasks on the criterion itself, else on its nearest ancestor below the field level."""
    node = criterion
    while node is not None:
        if coverage.get(node.pk):
            return coverage[node.pk]
        node = by_id.get(node.parent_id)
        if node is not None and node.parent_id is None:
            return []
    return []


@dataclass
class FieldChange:
    code: str
    name: str
    max_points: Decimal
    score: Decimal
    previous: Decimal | None
    comparable: bool

    @property
    def delta(self) -> Decimal | None:
        return None if self.previous is None or not self.comparable else self.score - self.previous

    @property
    def share(self) -> Decimal:
        return self.score / self.max_points if self.max_points else ZERO


@dataclass
class Deduction:
    line: GapLine
    score: Score | None
    tasks: list[Task]

    @property
    def deducted(self) -> Decimal:
        return -self.line.lost

    @property
    def reason(self) -> str:
        return self.score.reason if self.score and self.score.reason else ""

    @property
    def remedy(self) -> str:
        if self.score and self.score.remedy:
            return self.score.remedy
        return "\n".join(t.text for t in self.tasks)

    def roles(self, role: str) -> str:
        names = []
        for task in self.tasks:
            for a in task.assignments.all():
                if a.role == role:
                    label = a.unit.name if a.unit else a.text
                    if label not in names:
                        names.append(label)
        return "; ".join(names)

    @property
    def lead_text(self) -> str:
        return self.roles("lead") or self.roles("responsible")

    @property
    def deadline(self) -> str:
        return "; ".join(dict.fromkeys(t.deadline_text for t in self.tasks if t.deadline_text))

    @property
    def deliverable(self) -> str:
        return "; ".join(dict.fromkeys(t.deliverable for t in self.tasks if t.deliverable))


@dataclass
class UnitYearGap:
    assessment: Assessment
    rows: list[Row]
    gap: GapResult | None
    total: Decimal | None
    warnings: list[str]
    previous: Assessment | None = None
    previous_total: Decimal | None = None
    fields: list[FieldChange] = field(default_factory=list)
    deductions: list[Deduction] = field(default_factory=list)
    lost_with_task: Decimal = ZERO
    lost_without_task: Decimal = ZERO

    @property
    def total_delta(self) -> Decimal | None:
        if self.total is None or self.previous_total is None:
            return None
        return self.total - self.previous_total


def previous_assessment(assessment: Assessment) -> Assessment | None:
    return (Assessment.objects.filter(unit_id=assessment.unit_id, year=assessment.year - 1,
                                      version__framework_id=assessment.version.framework_id)
            .select_related("version").first())


def unit_year_gap(assessment: Assessment) -> UnitYearGap:
    """Everything the unit-year gap page shows (about 10 queries, whatever the size)."""
    rows = score_rows(assessment)
    by_id = {r.criterion.pk: r.criterion for r in rows}
    methods = leaf_methods(assessment.version_id)
    coverage = task_coverage(assessment)
    task_of = {r.criterion.pk: tasks_for(r.criterion, by_id, coverage) for r in rows}
    inputs = [GapInput(r.criterion.code, r.criterion.name, r.criterion.max_points, r.value,
                       methods.get(r.criterion.pk, r.criterion.method), bool(task_of[r.criterion.pk]))
              for r in rows if r.value is not None]
    gap = analyse(inputs) if inputs else None
    result = UnitYearGap(assessment, rows, gap, total_of(assessment, rows), rollup_warnings(assessment, rows))
    if gap is not None and gap.rounding_gap:
        result.warnings.append(f"Điểm bị mất tính theo lĩnh vực ({fmt(gap.total_lost)}) khác tổng điểm bị mất của "
                               f"các tiêu chí ({fmt(gap.leaves_lost)}): chênh {fmt(gap.rounding_gap)} do tài liệu làm tròn.")
    previous = previous_assessment(assessment)
    prev_fields: dict[str, tuple[str, Decimal, Decimal | None]] = {}
    if previous is not None:
        prev_rows = score_rows(previous)
        result.previous, result.previous_total = previous, total_of(previous, prev_rows)
        prev_fields = {r.criterion.code: (r.criterion.name, r.criterion.max_points, r.value)
                       for r in prev_rows if r.criterion.parent_id is None}
    for r in rows:
        if r.criterion.parent_id is None and r.value is not None:
            name, maximum, value = prev_fields.get(r.criterion.code, ("", None, None))
            comparable = maximum == r.criterion.max_points
            result.fields.append(FieldChange(r.criterion.code, r.criterion.name, r.criterion.max_points, r.value,
                                             value, comparable))
    if gap is not None:
        scores = {r.criterion.code: r.score for r in rows}
        ids = {r.criterion.code: r.criterion.pk for r in rows}
        for line in gap.criteria:
            tasks = task_of[ids[line.code]]
            result.deductions.append(Deduction(line, scores.get(line.code), tasks))
            if tasks:
                result.lost_with_task += line.lost
            else:
                result.lost_without_task += line.lost
    return result


def assessments_of(unit) -> list[Assessment]:
    return list(Assessment.objects.filter(unit=unit).select_related("version__framework").order_by("-year", "version"))
