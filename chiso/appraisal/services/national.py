"""The province toward the ministry (issue 12, item 9): the same cycle, sheet and entries carry the
province's own PAR INDEX self-assessment. The province is the unit, the ministry's national framework
version applies, the Sở Nội vụ fills the sheet while each criterion's lead departments (this year's
plans) add evidence to it, and when the ministry publishes, its scores for the province and year (the
results in `scores`) become the entries' appraised scores, so every page shows the self-score beside
the appraised score and where points were lost."""
from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from chiso.common.actors import by_actor
from chiso.common.errors import ConflictError, ServiceError, require_permission
from chiso.frameworks.models import FrameworkVersion, IndexKind
from chiso.scores.models import Assessment, Score
from chiso.units.models import Unit, UnitKind

from ..models import Cycle, CycleState, Entry, InternalFramework, SheetState, UnitGroup
from ..policies import manages
from .building import CycleDates, cycle_open


def national_cycle_open(*, actor, province: Unit, version: FrameworkVersion, year: int, dates: CycleDates,
                        name: str = "") -> Cycle:
    """Opens the province's self-assessment of the year on the ministry's PAR INDEX version: one sheet,
    the province's, with an entry per leaf criterion."""
    require_permission(manages(actor, province.pk) if actor is not None else True)
    errors = []
    if province.kind != UnitKind.PROVINCE or province.parent_id is not None:
        errors.append("Chỉ một tỉnh, thành phố tự đánh giá Chỉ số CCHC với Bộ Nội vụ.")
    if version.framework.index != IndexKind.PAR_INDEX:
        errors.append("Chọn một phiên bản Chỉ số CCHC (PAR INDEX) của Bộ Nội vụ.")
    elif not (version.first_year <= year and (version.last_year is None or year <= version.last_year)):
        errors.append(f"Phiên bản {version.label} không áp dụng cho năm {year}.")
    if InternalFramework.objects.filter(province=province, group=UnitGroup.PROVINCE, year=year,
                                        cycles__isnull=False).exists():
        errors.append(f"Tỉnh đã có đợt tự đánh giá Chỉ số CCHC năm {year}.")
    if errors:
        raise ServiceError("Chưa mở được đợt tự đánh giá.", details=errors)
    with transaction.atomic():
        revision = (InternalFramework.objects.filter(province=province, group=UnitGroup.PROVINCE, year=year)
                    .aggregate(m=Max("revision"))["m"] or 0) + 1
        framework = by_actor(InternalFramework(version=version, province=province, group=UnitGroup.PROVINCE,
                                               year=year, revision=revision), actor)
        framework.save()
        cycle = cycle_open(actor=actor, framework=framework, units=[province], dates=dates,
                           name=name.strip() or f"Tự đánh giá Chỉ số CCHC năm {year} của {province.name}")
    return cycle


def ministry_scores_apply(*, actor, cycle: Cycle, version: int) -> int:
    """The ministry's published scores of the province for the year become the appraised scores of its
    self-assessment, criterion by criterion (the reason the ministry gave becomes the comment); the
    sheet is then final. Taken again when the ministry's results are corrected. Returns how many
    criteria got a score."""
    require_permission(manages(actor, cycle.framework.province_id) if actor is not None else True)
    if not cycle.framework.is_national:
        raise ServiceError("Chỉ đợt tỉnh tự đánh giá Chỉ số CCHC mới lấy điểm Bộ Nội vụ công bố.")
    framework = cycle.framework
    assessment = Assessment.objects.filter(unit_id=framework.province_id, version=framework.version,
                                           year=framework.year).first()
    if assessment is None:
        raise ServiceError(f"Chưa có kết quả Chỉ số CCHC năm {framework.year} của {framework.province.name} "
                           f"theo {framework.version.framework.name} {framework.version.label}: hãy nhập kết quả "
                           "Bộ Nội vụ công bố (trang Kết quả chấm điểm) trước.")
    published = {s.criterion_id: s for s in Score.objects.filter(assessment=assessment, score__isnull=False)}
    with transaction.atomic():
        cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
        if cycle.version != version:
            raise ConflictError("Đợt tự đánh giá vừa được người khác thay đổi; hãy mở lại trang.")
        sheet = cycle.sheets.select_for_update().get()
        if sheet.state == SheetState.DRAFT:
            raise ServiceError("Tỉnh chưa gửi bản tự đánh giá: gửi trước, rồi mới so với điểm Bộ Nội vụ thẩm định.")
        entries = list(Entry.objects.select_for_update(of=("self",)).filter(sheet=sheet).select_related("criterion"))
        taken = [e for e in entries if e.criterion_id in published]
        if not taken:
            raise ServiceError("Kết quả Bộ Nội vụ công bố chưa có điểm của tiêu chí nào trong bộ chỉ số này.")
        source = f"Bộ Nội vụ công bố ({assessment.source})" if assessment.source else "Bộ Nội vụ công bố"
        for e in taken:
            s = published[e.criterion_id]
            if e.score != s.score or not e.applicable:
                e.score, e.applicable = s.score, True
                e.comment = (s.reason or source)[:4000]
                e.scored_by = e.updated_by = actor
                e.version += 1
                by_actor(e, actor).save()
        sheet.state, sheet.finalised_at, sheet.finalised_by = SheetState.FINALISED, timezone.now(), actor
        sheet.results = assessment
        sheet.version += 1
        by_actor(sheet, actor).save()
        cycle.state = CycleState.FINALISED
        cycle.version += 1
        by_actor(cycle, actor).save()
    return len(taken)
