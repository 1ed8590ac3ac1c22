"""The council's and the coordinator's writes: appraised scores, send-backs, survey and statistics
points, finalising a sheet, publishing the cycle (which writes each unit's results to `scores`,
so the gap page and next year's plan start from them)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone

from chiso.common.actors import by_actor
from chiso.common.errors import ConflictError, ServiceError, require_permission
from chiso.common.signals import survey_points_ready
from chiso.core.tree import fmt
from chiso.frameworks.models import Method
from chiso.scores.models import Assessment, Score
from chiso.units.models import Unit

from ..models import Cycle, CycleState, Entry, SendBack, Sheet, SheetState
from ..policies import SheetAccess, manages, seat, sheet_access
from .sheets import _conflict, today

MEASURED = {Method.SURVEY, Method.STATISTICS, Method.COMPUTED}


def _check_points(value: Decimal | None, entry: Entry, label: str) -> list[str]:
    if value is None:
        return []
    m = entry.criterion.max_points
    if value < 0 or value > m:
        return [f"Tiêu chí {entry.criterion.code}: {label} {fmt(value)} phải từ 0 đến {fmt(m)}."]
    if value != value.quantize(Decimal("0.01")):
        return [f"Tiêu chí {entry.criterion.code}: {label} {value} có quá 2 chữ số thập phân."]
    return []


def _may_appraise(actor, entry: Entry) -> SheetAccess:
    sheet = entry.sheet
    member = seat(actor, sheet.cycle)
    access = sheet_access(actor, sheet, member)
    if not access.read:
        from django.http import Http404
        raise Http404
    fields = access.fields_of(member)
    require_permission(access.appraise and (fields is None or entry.criterion.field_code in fields),
                       "Anh/chị không được phân công thẩm định tiêu chí này của đơn vị.")
    return access


def entry_appraise(*, actor, entry: Entry, score: Decimal | None, comment: str, version: int,
                   applicable: bool | None = None) -> Entry:
    """A council member's appraised score and comment; a changed N/A needs the comment to say why."""
    _may_appraise(actor, entry)
    sheet, cycle = entry.sheet, entry.sheet.cycle
    errors = _check_points(score, entry, "điểm thẩm định")
    if entry.criterion.method in MEASURED:
        errors.append(f"Tiêu chí {entry.criterion.code} lấy điểm từ {entry.criterion.get_method_display().lower()}, "
                      "do Sở Nội vụ nhập.")
    if applicable is not None and applicable != entry.applicable and not (comment or "").strip():
        errors.append("Cần ghi ý kiến khi đổi tiêu chí sang áp dụng / không áp dụng.")
    if errors:
        raise ServiceError("Điểm thẩm định chưa được lưu.", details=errors)
    if cycle.state != CycleState.OPEN:
        raise ServiceError("Đợt đánh giá đã chốt.")
    if today() > cycle.explanation_due:
        raise ServiceError(f"Đã hết thời gian thẩm định và giải trình ({cycle.explanation_due:%d/%m/%Y}).")
    with transaction.atomic():
        sheet = Sheet.objects.select_for_update().get(pk=sheet.pk)
        if sheet.state != SheetState.SUBMITTED:
            raise ServiceError(f"Phiếu đang “{sheet.get_state_display()}”: chỉ thẩm định phiếu đã gửi.")
        entry = Entry.objects.select_for_update(of=("self",)).select_related("criterion", "updated_by").get(pk=entry.pk)
        if entry.version != version:
            raise _conflict(entry)
        if applicable is not None:
            entry.applicable = applicable
        entry.score = score if entry.applicable else None
        entry.comment = (comment or "").strip()
        entry.scored_by = entry.updated_by = actor
        entry.version += 1
        by_actor(entry, actor).save()
    return entry


def entries_accept_self(*, actor, sheet: Sheet) -> int:
    """The member agrees with the self-score of every criterion of theirs not yet appraised: it becomes
    the appraised score (the history says who did it); the others stay for one by one."""
    member = seat(actor, sheet.cycle)
    access = sheet_access(actor, sheet, member)
    if not access.read:
        from django.http import Http404
        raise Http404
    require_permission(access.appraise, "Anh/chị không được phân công thẩm định đơn vị này.")
    if sheet.cycle.state != CycleState.OPEN or today() > sheet.cycle.explanation_due:
        raise ServiceError("Đã hết thời gian thẩm định.")
    fields = access.fields_of(member)
    with transaction.atomic():
        sheet = Sheet.objects.select_for_update().get(pk=sheet.pk)
        if sheet.state != SheetState.SUBMITTED:
            raise ServiceError(f"Phiếu đang “{sheet.get_state_display()}”: chỉ thẩm định phiếu đã gửi.")
        n = 0
        for entry in sheet.entries.select_related("criterion").filter(score__isnull=True, self_score__isnull=False,
                                                                        applicable=True):
            if entry.criterion.method in MEASURED or (fields is not None and entry.criterion.field_code not in fields):
                continue
            entry.score, entry.comment = entry.self_score, "Thống nhất với điểm tự đánh giá."
            entry.scored_by = entry.updated_by = actor
            entry.version += 1
            by_actor(entry, actor).save()
            n += 1
    return n


def send_back_create(*, actor, entries: list[Entry], message: str, due: dt.date | None) -> list[SendBack]:
    """Sends chosen criteria back for explanation or more evidence (giải trình, bổ sung)."""
    if not entries:
        raise ServiceError("Chọn ít nhất một tiêu chí cần giải trình.")
    for entry in entries:
        _may_appraise(actor, entry)
    cycle = entries[0].sheet.cycle
    errors = []
    if len({e.sheet_id for e in entries}) != 1:
        errors.append("Các tiêu chí phải cùng một đơn vị.")
    if not (message or "").strip():
        errors.append("Cần ghi nội dung yêu cầu giải trình, bổ sung.")
    if due is None:
        errors.append("Cần ghi hạn trả lời.")
    elif due < today() or due > cycle.explanation_due:
        errors.append(f"Hạn trả lời phải từ hôm nay đến hạn giải trình của đợt ({cycle.explanation_due:%d/%m/%Y}).")
    if entries[0].sheet.state != SheetState.SUBMITTED:
        errors.append("Chỉ yêu cầu giải trình với phiếu đã gửi, chưa chốt.")
    if errors:
        raise ServiceError("Chưa gửi được yêu cầu giải trình.", details=errors)
    with transaction.atomic():
        out = []
        for entry in entries:
            sb = by_actor(SendBack(entry=entry, message=message.strip(), due=due, asked_by=actor), actor)
            sb.save()
            out.append(sb)
    return out


def sheet_finalise(*, actor, sheet: Sheet, version: int) -> Sheet:
    """The council's lead closes a sheet: every criterion that applies has its points, no request open
    within its deadline. A unit that never submitted is finalised after D1 on the appraised points."""
    access = sheet_access(actor, sheet, seat(actor, sheet.cycle))
    require_permission(access.finalise, "Chỉ Chủ tịch Hội đồng (Tổ trưởng) thẩm định được chốt kết quả.")
    problems = []
    if sheet.state == SheetState.DRAFT and today() <= sheet.cycle.self_due:
        problems.append("Đơn vị chưa gửi phiếu và chưa hết hạn tự đánh giá.")
    missing = sheet.entries.filter(applicable=True, score__isnull=True).select_related("criterion")
    problems += [f"Tiêu chí {e.criterion.code}: chưa có điểm." for e in missing.order_by("criterion__position")]
    waiting = SendBack.objects.filter(entry__sheet=sheet, answered_at__isnull=True, due__gte=today())
    problems += [f"Tiêu chí {sb.entry.criterion.code}: đang chờ đơn vị giải trình (hạn {sb.due:%d/%m/%Y})."
                 for sb in waiting.select_related("entry__criterion")]
    if problems:
        raise ServiceError("Chưa chốt được kết quả của đơn vị.", details=problems)
    with transaction.atomic():
        sheet = Sheet.objects.select_for_update().get(pk=sheet.pk)
        if sheet.version != version:
            raise ConflictError("Phiếu vừa được người khác thay đổi; hãy mở lại trang.")
        if sheet.state == SheetState.FINALISED:
            raise ServiceError("Kết quả của đơn vị đã được chốt.")
        sheet.state, sheet.finalised_at, sheet.finalised_by = SheetState.FINALISED, timezone.now(), actor
        sheet.version += 1
        by_actor(sheet, actor).save()
    return sheet


@dataclass
class PointRow:
    unit: Unit
    code: str
    points: Decimal | None
    where: str = ""


def survey_points_set(*, actor, cycle: Cycle, rows: list[PointRow]) -> int:
    """Survey, statistics or computed criteria's points per unit, entered or imported by the coordinator
    (or fed by the surveys app through `survey_points_ready`); one bad row refuses them all."""
    if actor is not None:
        require_permission(manages(actor, cycle.framework.province_id))
    if cycle.state == CycleState.PUBLISHED:
        raise ServiceError("Đợt đánh giá đã công bố: không sửa được điểm.")
    entries = {(e.sheet.unit_id, e.criterion.code): e for e in
               Entry.objects.filter(sheet__cycle=cycle).select_related("criterion", "sheet")}
    errors, found = [], []
    for row in rows:
        where = f"{row.where}: " if row.where else ""
        entry = entries.get((row.unit.pk, row.code))
        if entry is None:
            errors.append(f"{where}đơn vị {row.unit.name} không có tiêu chí {row.code} trong đợt đánh giá.")
        elif entry.criterion.method not in MEASURED:
            errors.append(f"{where}tiêu chí {row.code} do Hội đồng thẩm định, không nhập điểm điều tra/thống kê.")
        elif entry.criterion.rule:
            errors.append(f"{where}tiêu chí {row.code} tính theo công thức: nhập số liệu đầu vào, không nhập điểm.")
        elif entry.sheet.state == SheetState.FINALISED:
            errors.append(f"{where}kết quả của {row.unit.name} đã chốt.")
        else:
            errors += [where + e for e in _check_points(row.points, entry, "điểm")]
            found.append((entry, row.points))
    if errors:
        raise ServiceError(f"Chưa lưu điểm: {len(errors)} lỗi.", details=errors)
    with transaction.atomic():
        for entry, points in found:
            if entry.score != points:
                entry.score, entry.scored_by = points, actor
                entry.version += 1
                by_actor(entry, actor).save()
    return len(found)


@dataclass
class InputRow:
    """A unit's raw inputs of one computed criterion (name → value; None: not given)."""

    unit: Unit
    code: str
    values: dict[str, Decimal | None]
    where: str = ""


def _previous_inputs(cycle: Cycle) -> dict[tuple[int, str], dict[str, Decimal]]:
    """Last year's published cycle of the group: (unit, criterion code) → its raw inputs, for prev()."""
    from ..selectors import previous_cycle

    before = previous_cycle(cycle)
    if before is None:
        return {}
    out = {}
    for unit_id, code, raw in (Entry.objects.filter(sheet__cycle=before).exclude(raw_inputs={})
                               .values_list("sheet__unit_id", "criterion__code", "raw_inputs")):
        out[(unit_id, code)] = {k: Decimal(v) for k, v in raw.items()}
    return out


def computed_inputs_set(*, actor, cycle: Cycle, rows: list[InputRow]) -> int:
    """The raw inputs of computed criteria per unit, entered by the coordinator: each criterion's rule
    (chiso.core.rules) turns them into its points, last year's inputs serving prev(). The comment says
    what was counted, in the criterion's Vietnamese labels. One bad row refuses them all."""
    from chiso.core import rules

    if actor is not None:
        require_permission(manages(actor, cycle.framework.province_id))
    if cycle.state == CycleState.PUBLISHED:
        raise ServiceError("Đợt đánh giá đã công bố: không sửa được số liệu.")
    details = dict(cycle.framework.version.criteria.filter(method=Method.COMPUTED)
                   .values_list("code", "internal__inputs"))
    entries = {(e.sheet.unit_id, e.criterion.code): e for e in
               Entry.objects.filter(sheet__cycle=cycle, criterion__method=Method.COMPUTED)
               .select_related("criterion", "sheet")}
    previous = _previous_inputs(cycle) if rows else {}
    errors, found = [], []
    for row in rows:
        where = f"{row.where}: " if row.where else f"{row.unit.name}, tiêu chí {row.code}: "
        entry = entries.get((row.unit.pk, row.code))
        if entry is None or not entry.criterion.rule:
            errors.append(f"{where}tiêu chí {row.code} không tính theo công thức trong đợt đánh giá của {row.unit.name}.")
            continue
        if entry.sheet.state == SheetState.FINALISED:
            errors.append(f"{where}kết quả của {row.unit.name} đã chốt.")
            continue
        labels, _ = rules.input_labels(details.get(row.code) or "")
        given = {k: v for k, v in row.values.items() if v is not None}
        if not given:  # nothing typed: the criterion stays without points
            found.append((entry, {}, None, ""))
            continue
        rule = rules.parse(entry.criterion.rule)
        missing = sorted(rule.inputs - set(given))
        if missing:
            errors.append(where + "thiếu " + ", ".join(f"“{labels.get(n, n)}”" for n in missing) + ".")
            continue
        try:
            result = rules.evaluate(rule, given, previous=previous.get((row.unit.pk, row.code)),
                                    max_points=entry.criterion.max_points)
        except rules.RuleError as exc:
            errors.append(f"{where}không tính được điểm từ số liệu đã nhập ({exc.message}).")
            continue
        points = result.points.quantize(Decimal("0.01"))
        if points < 0 or points > entry.criterion.max_points:
            errors.append(f"{where}số liệu cho {fmt(points)} điểm, ngoài khoảng 0 – {fmt(entry.criterion.max_points)}.")
            continue
        said = "; ".join(f"{labels.get(n, n)}: {fmt(v)}" for n, v in given.items())
        found.append((entry, {k: str(v) for k, v in given.items()}, points, f"Tính từ số liệu — {said}."))
    if errors:
        raise ServiceError(f"Chưa lưu số liệu: {len(errors)} lỗi.", details=errors)
    with transaction.atomic():
        for entry, raw, points, comment in found:
            if entry.raw_inputs != raw or entry.score != points:
                entry.raw_inputs, entry.score, entry.comment, entry.scored_by = raw, points, comment, actor
                entry.version += 1
                by_actor(entry, actor).save()
    return len([f for f in found if f[2] is not None])


@receiver(survey_points_ready)
def survey_points_received(sender, *, actor, year, framework, points, **kwargs):
    """The surveys app's points (a share in %) become the criterion's points (share × max) in the open
    cycle of that framework and year; silently nothing where this province keeps no such cycle."""
    cycle = Cycle.objects.filter(framework__version__framework__code=framework, framework__year=year,
                                 state=CycleState.OPEN).select_related("framework").first()
    if cycle is None:
        return
    maxes = dict(cycle.framework.version.criteria.values_list("code", "max_points"))
    units = Unit.objects.in_bulk([p.unit_id for p in points])
    rows = [PointRow(units[p.unit_id], p.criterion_code,
                     (p.share / 100 * maxes[p.criterion_code]).quantize(Decimal("0.01")), p.source)
            for p in points if p.unit_id in units and p.criterion_code in maxes]
    survey_points_set(actor=actor, cycle=cycle, rows=rows)


def cycle_publish(*, actor, cycle: Cycle, decision_number: str, version: int) -> Cycle:
    """Publishes the year's index of the group once every sheet is final; each unit's self and appraised
    points go to `scores` (its results, for the gap page and next year's plan)."""
    require_permission(manages(actor, cycle.framework.province_id) if actor is not None else True)
    open_sheets = cycle.sheets.exclude(state=SheetState.FINALISED).select_related("unit")
    problems = [f"{s.unit.name}: chưa chốt kết quả." for s in open_sheets]
    if not (decision_number or "").strip():
        problems.append("Cần ghi số Quyết định công bố.")
    if problems:
        raise ServiceError("Chưa công bố được kết quả.", details=problems)
    with transaction.atomic():
        cycle = Cycle.objects.select_for_update().select_related("framework__version").get(pk=cycle.pk)
        if cycle.version != version:
            raise ConflictError("Đợt đánh giá vừa được người khác thay đổi; hãy mở lại trang.")
        if cycle.state == CycleState.PUBLISHED:
            raise ServiceError("Đợt đánh giá đã công bố.")
        _write_results(actor, cycle)
        cycle.state, cycle.decision_number, cycle.published_at = (CycleState.PUBLISHED, decision_number.strip(),
                                                                  timezone.now())
        cycle.version += 1
        by_actor(cycle, actor).save()
    return cycle


def _write_results(actor, cycle: Cycle) -> None:
    version = cycle.framework.version
    criteria = list(version.criteria.order_by("-level", "position"))
    source = f"Quyết định {cycle.decision_number or ''} công bố {cycle.name}"[:255]
    for sheet in cycle.sheets.prefetch_related("entries"):
        assessment, _ = Assessment.objects.get_or_create(unit_id=sheet.unit_id, version=version,
                                                         year=cycle.framework.year, defaults={"source": source})
        by_leaf = {e.criterion_id: e for e in sheet.entries.all()}
        sums: dict[int, tuple[Decimal, Decimal]] = {}
        scores = []
        for c in criteria:  # children before parents: a parent is the sum of what applies below it
            e = by_leaf.get(c.pk)
            if e is not None:
                own = (e.self_score or Decimal(0), e.score or Decimal(0)) if e.applicable else None
                if own is not None:
                    scores.append(Score(assessment=assessment, criterion=c, self_score=e.self_score, score=e.score,
                                        reason=e.comment, source=source))
            else:
                own = sums.get(c.pk)
                if own is not None:
                    scores.append(Score(assessment=assessment, criterion=c, self_score=own[0], score=own[1],
                                        source=source))
            if own is not None and c.parent_id:
                s, a = sums.get(c.parent_id, (Decimal(0), Decimal(0)))
                sums[c.parent_id] = (s + own[0], a + own[1])
        Score.objects.filter(assessment=assessment).delete()
        Score.objects.bulk_create(scores)
        sheet.results = assessment
        by_actor(sheet, actor).save(update_fields=["results"])
