"""Results into the indices (the province's self-assessment, the internal index's unit points), PAPI tables,
the public page."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Q

from chiso.common.actors import by_actor
from chiso.common.errors import ServiceError
from chiso.core.survey_math import MIN_CELL
from chiso.units.models import Unit

from ..models import Campaign, Publication
from ..policies import can_manage_surveys, owns_province, require_permission

# -- public page ---------------------------------------------------------------------------------


def publication_save(*, actor, owner: Unit, enabled: bool, indices: list[str], years: list[int], levels: list[str],
                     revision: int) -> Publication:
    from chiso.frameworks.models import IndexKind
    from chiso.units.models import UnitKind

    require_permission(can_manage_surveys(actor) and owns_province(actor, owner))
    problems = [f"Chỉ số '{i}' không có" for i in indices if i not in IndexKind.values]
    problems += [f"Cấp đơn vị '{k}' không có" for k in levels if k not in UnitKind.values]
    problems += [f"Năm {y} không hợp lệ" for y in years if not 2000 <= y <= 2100]
    if problems:
        raise ServiceError("Chưa lưu cài đặt trang công khai.", details=problems)
    with transaction.atomic():
        pub, _ = Publication.objects.select_for_update().get_or_create(owner=owner)
        if pub.revision != revision:
            raise ServiceError("Cài đặt vừa được người khác lưu sau khi anh/chị mở trang: hãy mở lại trang.")
        pub.enabled, pub.indices, pub.years, pub.levels = enabled, sorted(set(indices)), sorted(set(years)), \
            sorted(set(levels))
        pub.revision += 1
        by_actor(pub, actor).save()
    return pub


# -- feeding the indices -------------------------------------------------------------------------


def campaign_results_feed(*, actor, campaign: Campaign) -> "FeedResult":
    """Writes the campaign's results as the province's own measurement of the questionnaire's
    framework (the `self_score` of its criteria: SIPAS elements, or PAR criteria measured by survey)
    and offers each unit's points to the internal index (signal `survey_points_ready`).

    A criterion's points are its index (%) × its max points; cells under MIN_CELL answers are
    left out. The signal carries each unit's share (%) per criterion code (SurveyPoint); the
    receiver turns it into points (share × the criterion's max / 100) where it keeps them."""
    from chiso.common.signals import SurveyPoint, survey_points_ready
    from chiso.frameworks.models import Criterion, FrameworkVersion
    from chiso.scores.services import ScoreInput, assessment_get_or_create, scores_save

    from ..selectors import campaign_results

    require_permission(can_manage_surveys(actor) and owns_province(actor, campaign.owner))
    results = campaign_results(campaign)
    spec = results.spec
    if not spec.framework:
        raise ServiceError("Phiếu khảo sát không ghi bộ chỉ số mà kết quả đo (khóa “framework”).")
    # a national framework (SIPAS, PAR INDEX) or the province's own internal index
    version = (FrameworkVersion.objects.filter(framework__code=spec.framework, first_year__lte=campaign.year)
               .filter(Q(framework__owner__isnull=True) | Q(framework__owner=campaign.owner))
               .filter(Q(last_year__isnull=True) | Q(last_year__gte=campaign.year)).select_related("framework").first())
    if version is None:
        raise ServiceError(f"Không có bộ chỉ số “{spec.framework}” áp dụng cho năm {campaign.year}.")

    def cells(group) -> dict[str, tuple]:
        out = {}
        for e in spec.elements:
            cell = group.elements.get(e.code)
            if e.criterion and cell is not None and cell.shown:
                out[e.criterion] = cell
        for q in spec.questions:
            cell = group.items.get(q.code)
            if q.criterion and cell is not None and cell.shown:
                out[q.criterion] = cell
        return out

    maxima = dict(Criterion.objects.filter(version=version).values_list("code", "max_points"))
    source = f"Khảo sát {campaign.name} (chiso)"
    province_cells = {code: c for code, c in cells(results.total).items() if code in maxima}
    if not province_cells:
        raise ServiceError(f"Chưa có chỉ số nào đủ {MIN_CELL} phiếu để đưa vào bộ chỉ số.")
    rows: list = []
    with transaction.atomic():
        if version.framework.owner_id is None:  # the internal index takes unit points only (the signal)
            assessment = assessment_get_or_create(actor=actor, unit=campaign.owner, version=version,
                                                  year=campaign.year, source=source)
            rows = [ScoreInput(code=code, self_score=(c.value * maxima[code] / 100).quantize(Decimal("0.0001")),
                               fields=("self_score",)) for code, c in province_cells.items()]
            scores_save(actor=actor, assessment=assessment, rows=rows, source=source)
        points = [SurveyPoint(r.cu.unit_id, code, c.value, c.n, source)
                  for r in results.units if r.result is not None
                  for code, c in cells(r.result).items()]
    # Sent after the province's scores are saved, not on commit: a receiver's refusal (a unit or a
    # criterion its cycle does not have) is the coordinator's to read, not a server error after the fact.
    refusals = []
    for receiver, answer in survey_points_ready.send_robust(sender=Campaign, actor=actor, year=campaign.year,
                                                            framework=spec.framework, points=points):
        if isinstance(answer, ServiceError):
            refusals += [answer.message, *answer.details]
        elif isinstance(answer, Exception):
            logging.getLogger(__name__).error("survey points refused by %r", receiver, exc_info=answer)
            refusals.append("Bộ chỉ số nội bộ gặp lỗi khi nhận điểm điều tra; đã ghi vào nhật ký hệ thống.")
    return FeedResult(len(rows), len(points), refusals)


@dataclass
class FeedResult:
    """What feeding a campaign's results did: criteria written for the province, unit points offered,
    and what a receiver of the points refused (each line a reason)."""

    written: int
    offered: int
    refusals: list[str]


# -- PAPI ----------------------------------------------------------------------------------------


@dataclass


class PapiReport:
    year: int
    lines: int = 0
    matched: int = 0
    assessments: list = None
    unmatched: list = None
    table: object = None  # the ResultsTable the lines went to: national, or the province's own


def papi_results_import(*, actor, year: int, content: bytes, file_name: str) -> PapiReport:
    """A published PAPI table: the national line of each province (total, rank) into the results
    tables, and the dimension and sub-dimension scores of the provinces in the actor's scope as
    their PAPI results of the year — so that gap, trends and targets work on PAPI as on PAR.
    Refused whole on any wrong line."""
    from chiso.core.matching import NameMatcher
    from chiso.core.ranking import competition_ranks
    from chiso.frameworks.models import Criterion, FrameworkVersion, IndexKind
    from chiso.scores.services import (
        ResultLine,
        ScoreInput,
        assessment_get_or_create,
        results_table_save,
        scores_save,
    )
    from chiso.scores.policies import may_replace_national_tables, private_owner
    from chiso.units.models import UnitKind

    from ..tables import read_papi_table

    require_permission(can_manage_surveys(actor))
    version = (FrameworkVersion.objects.filter(framework__index=IndexKind.PAPI, framework__owner__isnull=True,
                                               first_year__lte=year)
               .filter(Q(last_year__isnull=True) | Q(last_year__gte=year)).first())
    if version is None:
        raise ServiceError(f"Không có bộ chỉ số PAPI áp dụng cho năm {year}.")
    criteria = {c.code: c for c in Criterion.objects.filter(version=version)}
    lines = read_papi_table(content, file_name, {k: c.name for k, c in criteria.items()},
                            {k: c.max_points for k, c in criteria.items()})
    provinces = list(Unit.objects.filter(kind=UnitKind.PROVINCE, parent__isnull=True).prefetch_related("aliases"))
    matcher = NameMatcher([(u.pk, [u.name, *[a.name for a in u.aliases.all()]]) for u in provinces])
    by_pk = {u.pk: u for u in provinces}
    dimensions = sorted({c.split(".")[0] for c in criteria})
    report = PapiReport(year, len(lines), assessments=[], unmatched=[])
    for line in lines:
        for d in dimensions:  # a dimension's score is the sum of its sub-dimensions (PAPI's own roll-up)
            subs = [k for k in criteria if k.startswith(f"{d}.")]
            if d not in line.values and subs and all(s in line.values for s in subs):
                line.values[d] = sum(line.values[s] for s in subs)
        if line.total is None and all(d in line.values for d in dimensions):
            line.total = sum(line.values[d] for d in dimensions)
    ranks = competition_ranks({i: line.total for i, line in enumerate(lines) if line.total is not None})
    source = f"PAPI {year}, nhập từ tệp {file_name}"
    with transaction.atomic():
        results = []
        for i, line in enumerate(lines):
            match = matcher.match(line.name)
            unit = by_pk.get(match.key) if match.key is not None else None
            if unit is None:
                report.unmatched.append(line.name)
            else:
                report.matched += 1
            results.append(ResultLine(line.name, line.total, line.rank or ranks.get(i), line.where, unit, source))
            if unit is None or not owns_province(actor, unit):
                continue
            assessment = assessment_get_or_create(actor=actor, unit=unit, version=version, year=year, source=source)
            scores_save(actor=actor, assessment=assessment, source=source, printed_total=line.total,
                        rows=[ScoreInput(code=k, score=v, where=line.where, fields=("score",))
                              for k, v in line.values.items()])
            rank = line.rank or ranks.get(i)
            if rank and (assessment.rank, assessment.rank_of) != (rank, len(lines)):
                assessment.rank, assessment.rank_of = rank, len(lines)
                by_actor(assessment, actor).save(update_fields=["rank", "rank_of"])
            report.assessments.append(assessment)
        # the national table is shared by every province: a province's import is its own table
        national = may_replace_national_tables(actor)
        report.table = results_table_save(actor=actor, index=IndexKind.PAPI, year=year, lines=results, source=source,
                                          owner=None if national else private_owner(actor),
                                          name="" if national else "Bảng PAPI đã nạp")
    return report
