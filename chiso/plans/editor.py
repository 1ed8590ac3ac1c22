"""Reads for the page where a plan is written: its tables as editable rows, each with its
targets per year, its tasks, and last year's tasks for the same criterion as suggestions. A
fixed number of queries whatever the plan's size."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch

from chiso.core.deadlines import parse_deadline

from .models import Assignment, ItemValue, Plan, PlanItem, PlanOrigin, PlanState, PlanTable, Task, ValueKey
from .selectors import plan_tables, tasks_prefetch
from .services.tables import table_baseline_year, table_target_years

SUGGESTIONS_PER_ROW = 5


@dataclass
class EditorRow:
    item: PlanItem
    targets: list[tuple[str, Decimal | None]]  # (year, value) per target column
    is_parent: bool
    suggestions: list[Task] = field(default_factory=list)

    @property
    def lost(self) -> Decimal | None:
        return self.item.lost


@dataclass
class EditorTable:
    table: PlanTable
    position: int
    rows: list[EditorRow]
    target_years: list[str]
    baseline_year: str
    addable: list = field(default_factory=list)  # criteria of the framework not in the table yet

    @property
    def dom_id(self) -> str:
        return f"bang-{self.position}"

    @property
    def colspan(self) -> int:
        """Cells after the first one of a row: name, max, score, lost, targets, actions."""
        return 5 + len(self.target_years)


def _rows(table: PlanTable, items: list[PlanItem], suggestions: dict[str, list[Task]]) -> list[EditorRow]:
    years = table_target_years(table)
    parents = {i.parent_id for i in items if i.parent_id}
    rows = []
    for item in items:
        targets = {v.year: v.value for v in item.values.all() if v.key == ValueKey.TARGET}
        code = item.criterion.code if item.criterion_id else ""
        rows.append(EditorRow(item, [(y, targets.get(y)) for y in years], item.pk in parents,
                              suggestions.get(code, []) if not item.tasks.all() else []))
    return rows


def editor_tables(plan: Plan) -> list[EditorTable]:
    """Every table of the plan with its rows (8 queries, plus 2 for the suggestions)."""
    tables = plan_tables(plan)
    codes = {i.criterion.code for t in tables for i in t.items.all() if i.criterion_id}
    suggestions = previous_tasks(plan, codes)
    out = []
    for table in tables:
        items = list(table.items.all())
        present = {i.criterion_id for i in items}
        addable = [c for c in table.version.criteria.all() if c.pk not in present] if table.version_id else []
        out.append(EditorTable(table, table.position, _rows(table, items, suggestions), table_target_years(table),
                               table_baseline_year(table), addable))
    return out


def editor_table(plan: Plan, position: int) -> EditorTable | None:
    return next((t for t in editor_tables(plan) if t.position == position), None)


def editor_row(item: PlanItem) -> EditorRow:
    """One row, read again after a change (6 queries)."""
    item = (PlanItem.objects.select_related("criterion", "table__plan__issuer", "table__version")
            .prefetch_related(Prefetch("values", queryset=ItemValue.objects.order_by("key", "year")), tasks_prefetch())
            .get(pk=item.pk))
    suggestions = previous_tasks(item.table.plan, {item.criterion.code} if item.criterion_id else set())
    is_parent = PlanItem.objects.filter(parent=item).exists()
    row = _rows(item.table, [item], suggestions)[0]
    row.is_parent = is_parent
    return row


def previous_tasks(plan: Plan, codes: set[str]) -> dict[str, list[Task]]:
    """criterion code → the tasks the issuer's latest earlier plan (or its predecessors') gave
    that criterion: suggestions for a plan started from results or blank (2 queries)."""
    if not codes or plan.origin not in {PlanOrigin.RESULTS, PlanOrigin.BLANK} or plan.state != PlanState.DRAFT:
        return {}
    issuers = [plan.issuer_id, *plan.issuer.predecessors.values_list("pk", flat=True)]
    tasks = (Task.objects.filter(item__table__plan__issuer_id__in=issuers,
                                 item__table__plan__first_year__lte=plan.first_year,
                                 item__table__plan__state=PlanState.ISSUED,
                                 item__criterion__code__in=codes)
             .select_related("item__criterion", "item__table__plan")
             .prefetch_related(Prefetch("assignments", queryset=Assignment.objects.select_related("unit")
                                        .order_by("role_order", "position")))
             .order_by("-item__table__plan__first_year", "-item__table__plan__date", "item__position", "position"))
    out: dict[str, list[Task]] = defaultdict(list)
    year: dict[str, int] = {}
    for task in tasks:
        code = task.item.criterion.code
        first = task.item.table.plan.first_year
        if year.setdefault(code, first) != first or len(out[code]) >= SUGGESTIONS_PER_ROW:
            continue
        out[code].append(task)
    return dict(out)


def deadline_preview(text: str, year: int) -> tuple[str, bool]:
    """What a typed deadline is read as: (label, understood)."""
    text = (text or "").strip()
    if not text:
        return "Chưa ghi thời hạn", True
    d = parse_deadline(text[:500], context_year=year)
    understood = not d.flagged and d.kind != "unparsed"
    return d.describe_vi(), understood
