"""Reads: progress toward targets, results per item / element / unit with n and 95 % intervals, ranking
with the change from last year. Results are computed in one pass over the responses (chiso.core.survey_math)
and cached until a new response arrives."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Max

from chiso.core import questionnaire as qdef
from chiso.core.ranking import competition_ranks
from chiso.core.survey_math import MIN_CELL, Cell, GroupResult, aggregate_encoded, encode_levels

from .models import Campaign, CampaignUnit, Response

CACHE_SECONDS = 24 * 3600


@dataclass
class UnitProgress:
    cu: CampaignUnit
    received: int
    target: int | None

    @property
    def percent(self) -> int | None:
        if not self.target:
            return None
        return min(100, round(100 * self.received / self.target))

    @property
    def reached(self) -> bool:
        return self.target is not None and self.received >= self.target


def campaign_progress(campaign: Campaign) -> list[UnitProgress]:
    counts = dict(Response.objects.filter(campaign=campaign).values("campaign_unit_id")
                  .annotate(n=Count("id")).values_list("campaign_unit_id", "n"))
    units = CampaignUnit.objects.filter(campaign=campaign).select_related("unit", "campaign")
    return [UnitProgress(cu, counts.get(cu.pk, 0), cu.target) for cu in units]


@dataclass
class UnitResult:
    cu: CampaignUnit
    result: GroupResult | None
    target: int | None
    rank: int | None = None
    previous: Decimal | None = None
    previous_rank: int | None = None

    @property
    def respondents(self) -> int:
        return self.result.respondents if self.result else 0

    @property
    def shown(self) -> bool:
        return self.result is not None and self.result.overall.shown

    @property
    def change(self) -> Decimal | None:
        if not self.shown or self.previous is None:
            return None
        return self.result.overall.value - self.previous

    @property
    def rank_change(self) -> int | None:
        """Places gained since last year (positive: up)."""
        if self.rank is None or self.previous_rank is None:
            return None
        return self.previous_rank - self.rank


@dataclass
class CampaignResults:
    campaign: Campaign
    spec: qdef.Definition
    total: GroupResult
    units: list[UnitResult]
    previous: Campaign | None = None
    elements: list[tuple[qdef.Element, Cell]] = field(default_factory=list)
    items: list[tuple[qdef.Question, Cell]] = field(default_factory=list)
    min_cell: int = MIN_CELL

    @property
    def respondents(self) -> int:
        return self.total.respondents


def _signature(campaign: Campaign) -> str:
    agg = Response.objects.filter(campaign=campaign).aggregate(n=Count("id"), last=Max("id"))
    return f"surveys:results:{campaign.public_id}:{campaign.questionnaire_id}:{agg['n']}:{agg['last']}"


def _computed(campaign: Campaign) -> dict:
    """{campaign_unit_id | None: GroupResult}, cached until the responses change."""
    key = _signature(campaign)
    found = cache.get(key)
    if found is not None:
        return found
    spec = campaign.questionnaire.spec
    items = spec.rated_items()
    codes = list(items)
    # every response carries its encoded levels, read without the ORM's per-row cost (40,000 rows);
    # one saved without them (by hand) is encoded here
    table = connection.ops.quote_name(Response._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT campaign_unit_id, levels FROM {table} WHERE campaign_id = %s AND levels <> ''",
                       [campaign.pk])
        rows = cursor.fetchall()
    missing = Response.objects.filter(campaign=campaign, levels="").values_list("campaign_unit_id", "answers")
    rows += [(cu, encode_levels(a, codes, spec.levels())) for cu, a in missing]
    result = aggregate_encoded(rows, items=items, levels=spec.levels(), formula=spec.formula)
    cache.set(key, result, CACHE_SECONDS)
    return result


def previous_campaign(campaign: Campaign) -> Campaign | None:
    """Last year's campaign of the same questionnaire (any version) in the same province."""
    return (Campaign.objects.filter(owner=campaign.owner, questionnaire__code=campaign.questionnaire.code,
                                    year=campaign.year - 1).select_related("questionnaire")
            .order_by("-ends_on").first())


def _ranks(values: dict[int, Decimal]) -> dict[int, int]:
    return competition_ranks(values) if values else {}


def campaign_results(campaign: Campaign) -> CampaignResults:
    spec = campaign.questionnaire.spec
    computed = _computed(campaign)
    total = computed.get(None)
    units = list(CampaignUnit.objects.filter(campaign=campaign).select_related("unit", "campaign"))
    rows = [UnitResult(cu, computed.get(cu.pk), cu.target) for cu in units]
    ranks = _ranks({r.cu.unit_id: r.result.overall.value for r in rows if r.shown})
    previous = previous_campaign(campaign)
    before: dict[int, Decimal] = {}
    if previous is not None:
        prev_computed = _computed(previous)
        for cu in CampaignUnit.objects.filter(campaign=previous).only("pk", "unit_id"):
            res = prev_computed.get(cu.pk)
            if res is not None and res.overall.shown:
                before[cu.unit_id] = res.overall.value
    prev_ranks = _ranks(before)
    for r in rows:
        r.rank = ranks.get(r.cu.unit_id)
        r.previous = before.get(r.cu.unit_id)
        r.previous_rank = prev_ranks.get(r.cu.unit_id)
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.cu.unit.name))
    rated = spec.rated_items()
    out = CampaignResults(campaign=campaign, spec=spec, total=total, units=rows, previous=previous)
    out.elements = [(e, total.elements[e.code]) for e in spec.elements if e.code in total.elements]
    out.items = [(q, total.items[q.code]) for q in spec.questions if q.code in rated]
    return out


def unit_element_cells(results: CampaignResults, row: UnitResult) -> list[Cell | None]:
    """The unit's cell per element, None where fewer than MIN_CELL answers (not shown per unit)."""
    if row.result is None:
        return [None for _ in results.elements]
    cells = []
    for element, _ in results.elements:
        cell = row.result.elements.get(element.code)
        cells.append(cell if cell is not None and cell.shown else None)
    return cells


def fact_counts(campaign: Campaign) -> list[tuple[qdef.Question, list[tuple[str, int]]]]:
    """Respondent facts (age band, sex, service) and choice questions, counted over the whole campaign."""
    spec = campaign.questionnaire.spec
    wanted = [q for q in spec.questions if q.kind in {"fact", "single", "multiple"}]
    counts: dict[str, dict[str, int]] = {q.code: {} for q in wanted}
    for answers in Response.objects.filter(campaign=campaign).values_list("answers", flat=True).iterator(chunk_size=5000):
        for q in wanted:
            value = answers.get(q.code)
            for v in (value if isinstance(value, list) else [value] if value is not None else []):
                counts[q.code][v] = counts[q.code].get(v, 0) + 1
    return [(q, [(label, counts[q.code].get(value, 0)) for value, label in q.choices]) for q in wanted]
