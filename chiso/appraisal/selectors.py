"""Reads of the province's own index, each in a fixed number of queries whatever the number of units
or criteria (the pages' budgets are tested)."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, CharField, Count, Q, Sum, Value, When

from chiso.core.internal_index import (IndexLine, IndexResult, combine, from_sums, round_index, standings,  # noqa: F401
                                       unit_index)
from chiso.frameworks.models import Criterion, FrameworkVersion

from .models import CouncilMember, CriterionDetail, Cycle, CycleState, Entry, EntryEvidence, SendBack, Sheet


@dataclass
class Row:
    """A criterion of a sheet as the pages show it: fields and criteria as headings, leaves with entries."""

    criterion: Criterion
    entry: Entry | None
    detail: CriterionDetail | None
    evidence: list[EntryEvidence] = field(default_factory=list)
    send_backs: list[SendBack] = field(default_factory=list)
    self_total: Decimal | None = None
    score_total: Decimal | None = None
    offered: list = field(default_factory=list)  # progress evidence the unit may attach

    @property
    def is_heading(self) -> bool:
        return self.entry is None


def thresholds_of(framework) -> list[tuple[Decimal, str]]:
    return [(Decimal(b), label) for b, label in framework.thresholds]


def sheet_rows(sheet: Sheet) -> list[Row]:
    criteria = list(sheet.cycle.framework.version.criteria.order_by("position"))
    details = {d.criterion_id: d for d in CriterionDetail.objects.filter(criterion__version_id=sheet.cycle.framework.version_id)}
    entries = {e.criterion_id: e for e in sheet.entries.select_related("scored_by", "updated_by")}
    evidence: dict[int, list] = {}
    for ev in EntryEvidence.objects.filter(entry__sheet=sheet, removed_at__isnull=True):
        evidence.setdefault(ev.entry_id, []).append(ev)
    backs: dict[int, list] = {}
    for sb in SendBack.objects.filter(entry__sheet=sheet).select_related("asked_by", "answered_by"):
        backs.setdefault(sb.entry_id, []).append(sb)
    rows = []
    for c in criteria:
        e = entries.get(c.pk)
        rows.append(Row(c, e, details.get(c.pk), evidence.get(e.pk, []) if e else [], backs.get(e.pk, []) if e else []))
    _subtotals(rows)
    return rows


def _subtotals(rows: list[Row]) -> None:
    by_id = {r.criterion.pk: r for r in rows}
    for r in sorted(rows, key=lambda r: -r.criterion.level):
        if r.entry is not None and r.entry.applicable:
            r.self_total, r.score_total = r.entry.self_score, r.entry.score
        parent = by_id.get(r.criterion.parent_id)
        if parent is None:
            continue
        if r.self_total is not None:
            parent.self_total = (parent.self_total or Decimal(0)) + r.self_total
        if r.score_total is not None:
            parent.score_total = (parent.score_total or Decimal(0)) + r.score_total


def index_lines(entries, *, appraised: bool = True) -> list[IndexLine]:
    return [IndexLine(e.criterion.code, e.criterion.max_points, e.score if appraised else e.self_score, e.applicable)
            for e in entries]


def sheet_index(sheet: Sheet, *, appraised: bool = True) -> IndexResult:
    return unit_index(index_lines(sheet.entries.select_related("criterion"), appraised=appraised))


@dataclass
class UnitLine:
    sheet: Sheet
    self_result: IndexResult
    result: IndexResult
    rank: int | None
    classification: str
    change: Decimal | None
    improvement_rank: int | None
    fields: dict[str, IndexResult]
    measured: Decimal  # survey/statistics points, for the decision's appendix
    measured_max: Decimal


def previous_cycle(cycle: Cycle) -> Cycle | None:
    return (Cycle.objects.filter(framework__province_id=cycle.framework.province_id, framework__group=cycle.framework.group,
                                 framework__year__lt=cycle.framework.year, state=CycleState.PUBLISHED)
            .select_related("framework").order_by("-framework__year").first())


MEASURED = {"survey", "statistics", "computed"}


def _field_sums(cycle: Cycle) -> tuple[list[Sheet], dict[int, dict[str, dict]]]:
    """Per sheet and field, the sums the results need, made by the database in one grouped query: the
    results of 130 units × 60 criteria are 1,040 rows, not 7,800 entries. (SQLite adds decimals as
    floats; Django turns each sum back into a Decimal of 4 places, exact for points of 2 places.)"""
    by_field: dict[str, list[int]] = {}
    for pk, code in cycle.framework.version.criteria.filter(children__isnull=True).order_by("position") \
            .values_list("pk", "code"):
        by_field.setdefault(code.split(".")[0], []).append(pk)
    field = Case(*[When(criterion_id__in=pks, then=Value(code)) for code, pks in by_field.items()],
                 default=Value(""), output_field=CharField())
    applies, measured = Q(applicable=True), Q(applicable=True, criterion__method__in=MEASURED)
    rows = (Entry.objects.filter(sheet__cycle=cycle).annotate(field=field).values("sheet_id", "field")
            .annotate(points=Sum("score", filter=applies), own=Sum("self_score", filter=applies),
                      max_points=Sum("criterion__max_points", filter=applies),
                      missing=Count("pk", filter=applies & Q(score__isnull=True)),
                      own_missing=Count("pk", filter=applies & Q(self_score__isnull=True) & ~Q(
                          criterion__method__in=MEASURED)),
                      skipped=Count("pk", filter=Q(applicable=False)),
                      measured=Sum("score", filter=measured), measured_max=Sum("criterion__max_points", filter=measured))
            .order_by())
    sums: dict[int, dict[str, dict]] = {}
    for row in rows:
        sums.setdefault(row["sheet_id"], {})[row["field"]] = row
    sheets = list(cycle.sheets.select_related("unit", "results").order_by("unit__name"))
    order = list(by_field)
    return sheets, {pk: dict(sorted(fields.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 99))
                    for pk, fields in sums.items()}


def results(cycle: Cycle) -> list[UnitLine]:
    """Every unit of the cycle: total, index, rank in the group, classification, change from last year's
    published cycle of the group and rank by improvement; ordered by rank. A fixed number of queries."""
    sheets, sums = _field_sums(cycle)
    previous = {}
    before = previous_cycle(cycle)
    if before is not None:
        old_sheets, old_sums = _field_sums(before)
        previous = {s.unit_id: combine(_fields(old_sums.get(s.pk, {})).values()).index for s in old_sheets}
    fields = {s.pk: _fields(sums.get(s.pk, {})) for s in sheets}
    now = {s.pk: combine(fields[s.pk].values()) for s in sheets}
    by_pk = {s.pk: s for s in sheets}
    out = []
    for st in standings(now, previous={s.pk: previous.get(s.unit_id) for s in sheets},
                        thresholds=thresholds_of(cycle.framework)):
        rows = sums.get(st.key, {}).values()
        own = combine(from_sums(r["own"], r["max_points"], r["own_missing"], r["skipped"]) for r in rows)
        out.append(UnitLine(by_pk[st.key], own, st.result, st.rank, st.classification, st.change, st.improvement_rank,
                            fields[st.key], sum((r["measured"] or Decimal(0) for r in rows), Decimal(0)),
                            sum((r["measured_max"] or Decimal(0) for r in rows), Decimal(0))))
    return out


def _fields(sums: dict[str, dict]) -> dict[str, IndexResult]:
    return {code: from_sums(r["points"], r["max_points"], r["missing"], r["skipped"]) for code, r in sums.items()}


def fields_of(version: FrameworkVersion) -> list[Criterion]:
    return list(version.criteria.filter(parent__isnull=True).order_by("position"))


@dataclass
class Difference:
    code: str
    kind: str  # "added", "removed", "changed"
    before: str
    after: str


def framework_differences(old: FrameworkVersion, new: FrameworkVersion) -> list[Difference]:
    """What changed from last year's set (or the previous revision): criteria added, removed, changed."""
    def snapshot(version):
        details = {d.criterion_id: d for d in CriterionDetail.objects.filter(criterion__version=version)}
        out = {}
        for c in version.criteria.order_by("position"):
            d = details.get(c.pk)
            out[c.code] = (f"{c.name} — tối đa {c.max_points.normalize():f} điểm, {c.get_method_display() or 'chưa rõ'}"
                           + (", bắt buộc tài liệu" if d is None or d.evidence_required else "")
                           + (f", công thức {c.rule} ({d.inputs if d else ''})" if c.rule else ""))
        return out

    a, b = snapshot(old), snapshot(new)
    diffs = [Difference(code, "removed", a[code], "") for code in a if code not in b]
    diffs += [Difference(code, "added", "", b[code]) for code in b if code not in a]
    diffs += [Difference(code, "changed", a[code], b[code]) for code in b if code in a and a[code] != b[code]]
    return sorted(diffs, key=lambda d: [int(p) for p in d.code.split(".")])


def sheets_for_member(member: CouncilMember):
    qs = member.cycle.sheets.select_related("unit").exclude(unit_id=member.user.unit_id)
    units = list(member.units.values_list("pk", flat=True))
    return qs.filter(unit_id__in=units) if units and not member.is_lead else qs


# -- the province toward the ministry ---------------------------------------------------------------

def criterion_leads(cycle: Cycle) -> dict[str, list]:
    """For the province's own self-assessment (a national framework's cycle): each leaf criterion's lead
    departments, from this year's plans of the province (a task's lead agency on the criterion, or on a
    field or criterion above it). One query, kept on the cycle object for the request."""
    cached = getattr(cycle, "_criterion_leads", None)
    if cached is not None:
        return cached
    from chiso.plans.models import Assignment, AssignmentRole

    year, province_id = cycle.framework.year, cycle.framework.province_id
    leaves = list(cycle.framework.version.criteria.filter(children__isnull=True).values_list("code", flat=True))
    rows = (Assignment.objects.filter(role__in=[AssignmentRole.LEAD, AssignmentRole.RESPONSIBLE], unit__isnull=False,
                                      task__removed_at__isnull=True, task__item__removed_at__isnull=True,
                                      task__item__table__plan__issuer__root_id=province_id,
                                      task__item__table__plan__first_year__lte=year,
                                      task__item__table__plan__last_year__gte=year)
            .values_list("task__item__code", "unit"))
    units = {}
    by_code: dict[str, list] = {}
    pairs = list(rows)
    if pairs:
        from chiso.units.models import Unit

        units = Unit.objects.in_bulk({pk for _, pk in pairs})
    for code, unit_id in pairs:
        code = (code or "").strip().rstrip(".")
        if not code:
            continue
        for leaf in leaves:
            if leaf == code or leaf.startswith(code + "."):
                found = by_code.setdefault(leaf, [])
                if unit_id in units and units[unit_id] not in found:
                    found.append(units[unit_id])
    for found in by_code.values():
        found.sort(key=lambda u: u.name)
    cycle._criterion_leads = by_code
    return by_code


@dataclass
class Comparison:
    """One criterion of the province's sheet: the self-score beside the ministry's appraised score."""

    row: Row
    leads: list
    difference: Decimal | None  # appraised minus self, as everywhere (negative: points lost in appraisal)

    @property
    def lost(self) -> Decimal | None:
        return -self.difference if self.difference is not None and self.difference < 0 else None


def comparison(sheet: Sheet, rows: list[Row] | None = None) -> list[Comparison]:
    """Every criterion (fields and criteria with their subtotals, leaves with their entries) with its
    lead departments and the points lost in appraisal (self-score − appraised score, when positive)."""
    rows = rows if rows is not None else sheet_rows(sheet)
    leads = criterion_leads(sheet.cycle) if sheet.cycle.framework.is_national else {}
    out = []
    for r in rows:
        difference = None
        if r.self_total is not None and r.score_total is not None:
            difference = r.score_total - r.self_total
        below = sorted({u for code, us in leads.items() if code == r.criterion.code
                        or code.startswith(r.criterion.code + ".") for u in us}, key=lambda u: u.name)
        out.append(Comparison(r, below, difference))
    return out


def national_versions(year: int):
    """The ministry's PAR INDEX versions in force for the year (the framework the province is scored on)."""
    from chiso.frameworks.models import IndexKind

    return (FrameworkVersion.objects.filter(framework__index=IndexKind.PAR_INDEX, first_year__lte=year)
            .filter(Q(last_year__isnull=True) | Q(last_year__gte=year)).select_related("framework")
            .order_by("-first_year"))
