"""The arithmetic a plan table keeps while it is written: the value columns of an authored
table, last year's scores as baselines, parents' targets from their children's, and the order
of its rows."""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from chiso.common.actors import by_actor
from chiso.core.plan_sums import SumRow, derived_targets
from chiso.core.tree import TOLERANCE
from chiso.scores.models import Assessment, Score

from ..models import ItemValue, PlanItem, PlanTable, ValueKey


def authored_columns(baseline_year: int | None, target_years: list[int]) -> list[dict]:
    """chiso.plan-table/1 value columns: max, last year's score, a target per year."""
    columns = [{"key": "max_points", "label": "Điểm tối đa"}]
    if baseline_year:
        columns.append({"key": "achieved", "year": str(baseline_year), "label": f"Điểm đạt được năm {baseline_year}"})
    columns += [{"key": "target", "year": str(y), "label": f"Mục tiêu năm {y}"} for y in target_years]
    return columns


def table_target_years(table: PlanTable) -> list[str]:
    return [str(c.get("year") or "") for c in table.columns if c.get("key") == "target"]


def table_baseline_year(table: PlanTable) -> str:
    years = [str(c.get("year") or "") for c in table.columns if c.get("key") in {"achieved", "appraised"}]
    return max(years) if years else ""


def results_before(unit, version, year: int) -> Assessment | None:
    """The unit's latest results in this framework version before `year`."""
    if version is None:
        return None
    return Assessment.objects.filter(unit=unit, version=version, year__lt=year).order_by("-year").first()


def scores_of(assessment: Assessment | None) -> dict[int, Score]:
    """criterion id → score row of an assessment (one query)."""
    if assessment is None:
        return {}
    return {s.criterion_id: s for s in Score.objects.filter(assessment=assessment)}


def set_value(actor, item: PlanItem, key: str, year: str, value: Decimal | None) -> None:
    """One printed number of a row: written, changed or removed (each in the history)."""
    existing = [v for v in ItemValue.objects.filter(item=item, key=key, year=year)]
    if value is None:
        for v in existing:
            by_actor(v, actor).delete()
        return
    if existing:
        v = existing[0]
        if v.value != value or v.value_high is not None:
            v.value, v.value_high = value, None
            by_actor(v, actor).save()
        for extra in existing[1:]:
            by_actor(extra, actor).delete()
        return
    by_actor(ItemValue(item=item, key=key, year=year, value=value), actor).save()


def roll_up(actor, table: PlanTable, changed: list[PlanItem]) -> list[str]:
    """Parents above the changed rows take the target their children make (chiso.core.plan_sums);
    returns the codes whose target changed. Tables of means (SIPAS) are left as typed."""
    if table.version_id and table.version.aggregation == "mean":
        return []
    years = table_target_years(table)
    if not years:
        return []
    items = list(PlanItem.objects.filter(table=table).order_by("position"))
    targets: dict[tuple[int, str], Decimal] = {
        (v.item_id, v.year): v.value for v in ItemValue.objects.filter(item__in=items, key=ValueKey.TARGET)
        if v.value_high is None}
    by_id = {i.pk: i for i in items}
    ancestors: set[int] = set()
    for item in changed:
        parent_id = item.parent_id
        while parent_id in by_id:
            ancestors.add(parent_id)
            parent_id = by_id[parent_id].parent_id
    touched = []
    for year in years:
        rows = [SumRow(i.code, i.max_points, i.baseline, targets.get((i.pk, year))) for i in items if i.code]
        derived = derived_targets(rows)
        for item_id in ancestors:
            item = by_id[item_id]
            value = derived.get(item.code)
            if value is None:
                continue
            old = targets.get((item_id, year))
            if old is None or abs(old - value) > TOLERANCE:
                set_value(actor, item, ValueKey.TARGET, year, value)
                targets[(item_id, year)] = value
                touched.append(item.code)
    return touched


def has_children(item: PlanItem) -> bool:
    return PlanItem.objects.filter(parent=item).exists()


def renumber(table: PlanTable, first: list[int] | None = None) -> None:
    """Positions 0, 1, 2 … in tree order: each row followed by its children, siblings in their
    current order (`first`: item ids to put before their siblings' equal positions)."""
    items = list(PlanItem.objects.filter(table=table).order_by("position", "pk"))
    ids = {i.pk for i in items}
    children: dict[int | None, list[PlanItem]] = defaultdict(list)
    for item in items:
        children[item.parent_id if item.parent_id in ids else None].append(item)
    order: list[PlanItem] = []

    def walk(parent_id):
        for child in children.get(parent_id, []):
            order.append(child)
            walk(child.pk)

    walk(None)
    changed = []
    for position, item in enumerate(order):
        if item.position != position:
            item.position = position
            changed.append(item)
    PlanItem.objects.bulk_update(changed, ["position"])


def swap_positions(rows: list, index: int, direction: int) -> list:
    """The rows with rows[index] moved one place up (-1) or down (+1); the same list at an end."""
    other = index + direction
    if index < 0 or not 0 <= other < len(rows):
        return []
    a, b = rows[index], rows[other]
    a.position, b.position = b.position, a.position
    if a.position == b.position:
        a.position += direction
    return [a, b]
