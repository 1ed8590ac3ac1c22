"""A plan's year against the results of that year (the outcome page): the plan's rows, targets
and tasks, the year's scores and the reports that said "done", put through chiso.core.outcome.

The results are the issuer's assessment for one of the plan's target years in the plan's
framework — imported, typed in, or (once it exists) written by the appraisal cycle: whichever
wrote the Assessment. A fixed number of queries (about 12), whatever the plan's size.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Min, Prefetch, Q

from chiso.core.outcome import Outcome, RowFact, TaskFact, Totals, evaluate, summed_target
from chiso.core.svg import outcome_chart
from chiso.plans.models import Assignment, AssignmentRole, ItemValue, Plan, PlanItem, PlanTable, Task, TaskStatus, ValueKey
from chiso.scores.models import Assessment, Score

from .labels import chart_label
from .selectors import score_rows, total_of

LEADS = {AssignmentRole.LEAD, AssignmentRole.RESPONSIBLE}


@dataclass
class PlanOutcome:
    plan: Plan
    table: PlanTable | None
    years: list[int] = field(default_factory=list)  # target years of the plan that have results
    year: int | None = None
    results: Assessment | None = None
    baseline: Assessment | None = None
    outcome: Outcome | None = None
    chart: str = ""
    next_plans: list[Plan] = field(default_factory=list)

    @property
    def target_years(self) -> list[int]:
        if self.table is None:
            return []
        return [int(y[-4:]) for y in (str(c.get("year") or "") for c in self.table.columns if c.get("key") == "target")
                if y[-4:].isdigit()] or list(range(self.plan.first_year, self.plan.last_year + 1))


def framework_table(plan: Plan) -> PlanTable | None:
    """The plan's first table on a framework: the one results can be set against."""
    return plan.tables.filter(version__isnull=False).select_related("version__framework").order_by("position").first()


def _items(table: PlanTable) -> list[PlanItem]:
    done = Q(progress_reports__state="accepted", progress_reports__status=TaskStatus.DONE)
    tasks = (Task.objects.order_by("position")
             .annotate(done_from=Min("progress_reports__period__start", filter=done))
             .prefetch_related(Prefetch("assignments", queryset=Assignment.objects.select_related("unit")
                                        .filter(role__in=LEADS).order_by("role_order", "position"))))
    return list(PlanItem.objects.filter(table=table).select_related("criterion").order_by("position")
                .prefetch_related(Prefetch("values", queryset=ItemValue.objects.filter(key=ValueKey.TARGET)),
                                  Prefetch("tasks", queryset=tasks)))


def _task_fact(task: Task) -> TaskFact:
    leads = tuple(a.unit.name if a.unit else a.text for a in task.assignments.all())
    return TaskFact(task.public_id, task.text, leads, task.status == TaskStatus.DONE,
                    task.due_date or task.period_end, task.done_from)


def _printed(table: PlanTable, key: str, year: str) -> Decimal | None:
    for cell in table.printed_total or []:
        if cell.get("key") == key and str(cell.get("year") or "") == year and cell.get("value") is not None:
            return Decimal(str(cell["value"]))
    return None


def _baseline_assessment(plan: Plan, results: Assessment) -> Assessment | None:
    if plan.results_id and plan.results.year == results.year - 1:
        return plan.results
    return (Assessment.objects.filter(unit_id=results.unit_id, year=results.year - 1,
                                      version__framework_id=results.version.framework_id)
            .select_related("version").first())


def plan_outcome(plan: Plan, year: int | None = None) -> PlanOutcome:
    """The outcome of `year` (default: the latest of the plan's target years with results)."""
    table = framework_table(plan)
    data = PlanOutcome(plan, table)
    data.next_plans = list(plan.next_plans.order_by("-created_at"))
    if table is None:
        return data
    available = {a.year: a for a in Assessment.objects.filter(
        unit_id=plan.issuer_id, version__framework_id=table.version.framework_id, year__in=data.target_years,
        # an assessment holding only targets (a loaded plan's) is not a result
        pk__in=Score.objects.filter(score__isnull=False).values("assessment_id"),
    ).select_related("version__framework", "unit")}
    data.years = sorted(available)
    if not data.years:
        return data
    data.year = year if year in available else data.years[-1]
    results = data.results = available[data.year]
    data.next_plans = list(Plan.objects.filter(Q(based_on=plan) | Q(results=results)).exclude(pk=plan.pk)
                           .order_by("-created_at"))
    rows = score_rows(results)
    scores = {r.criterion.code: r for r in rows}
    items = _items(table)
    public = {i.pk: i.public_id for i in items}
    year_text = str(data.year)
    facts = []
    for item in items:
        target = next((v.value for v in item.values.all() if v.year == year_text), None)
        code = item.criterion.code if item.criterion_id else item.code
        scored = scores.get(code)
        facts.append(RowFact(item.public_id, item.display_code, item.name, public.get(item.parent_id),
                             item.max_points, item.baseline, target, scored.value if scored else None,
                             scored.criterion.max_points if scored else None,
                             tuple(_task_fact(t) for t in item.tasks.all())))
    totals = Totals(result=total_of(results, rows))
    if table.version.aggregation == "sum":
        data.baseline = _baseline_assessment(plan, results)
        baseline_total = None
        if data.baseline is not None:
            baseline_total = data.baseline.printed_total
            if baseline_total is None:
                baseline_total = total_of(data.baseline, score_rows(data.baseline))
        if baseline_total is None:
            baseline_total = _printed(table, ValueKey.ACHIEVED, str(data.year - 1))
        target_total = _printed(table, ValueKey.TARGET, year_text)
        if target_total is None:
            tops = [(f.baseline, f.target) for f in facts if f.parent_key is None]
            target_total = summed_target(baseline_total, tops)
        totals = Totals(baseline_total, target_total, totals.result)
    data.outcome = evaluate(facts, totals)
    tops = [r.fact for r in data.outcome.rows if r.fact.parent_key is None and r.fact.max_points]
    if tops:
        data.chart = outcome_chart([(chart_label(f.code, f.name), f.max_points, f.baseline, f.target, f.result)
                                    for f in tops], title=f"Kết quả năm {data.year} so với kế hoạch")
    return data
