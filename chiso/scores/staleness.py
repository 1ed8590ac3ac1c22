"""Stale forms on a unit-year's results: what changed since the form was opened, and by whom.

An assessment keeps three counters, one per form that edits it: `results_version` (the results form:
points, reasons, remedies, the printed total; computed points too), `targets_version` (the
targets form) and `inputs_version` (raw inputs of computed criteria). Every write bumps the
counter of what it changed, on the assessment's locked row, so that writes queue; a form that
shows an older counter is refused with what was saved since: who, when, which values.
"""
from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from chiso.common.actors import by_actor
from chiso.common.errors import ConflictError
from chiso.core.tree import fmt

from .models import Assessment, RawInput, Score

COUNTERS = {"results": "results_version", "targets": "targets_version", "inputs": "inputs_version"}
SCORE_FIELDS = {"results": ("self_score", "score", "reason", "remedy"), "targets": ("target",)}
LABELS = {"self_score": "điểm tự đánh giá", "score": "điểm thẩm định", "target": "mục tiêu",
          "reason": "lý do bị trừ điểm", "remedy": "biện pháp khắc phục", "printed_total": "tổng điểm công bố"}
WHAT = {"results": "Kết quả", "targets": "Mục tiêu", "inputs": "Số liệu đầu vào"}
MAX_LISTED = 20


def locked(assessment: Assessment) -> Assessment:
    """The assessment's row, locked until the transaction ends (writes to one unit-year queue)."""
    fresh = Assessment.objects.select_for_update(of=("self",)).select_related("unit", "version").get(pk=assessment.pk)
    for counter in COUNTERS.values():
        setattr(assessment, counter, getattr(fresh, counter))
    assessment.printed_total = fresh.printed_total
    return fresh


def bump(assessment: Assessment, actor, *forms: str, also: tuple[str, ...] = ()) -> None:
    """One more save of these forms' data (recorded in the history with its actor), with the
    assessment's own fields in `also` changed by the same save."""
    counters = [COUNTERS[f] for f in forms]
    for name in counters:
        setattr(assessment, name, (getattr(assessment, name) or 0) + 1)
    by_actor(assessment, actor).save(update_fields=counters + list(also))


def _value(value) -> str:
    if value is None or value == "":
        return "(trống)"
    if isinstance(value, Decimal):
        return fmt(value)
    text = str(value)
    return f"“{text[:60]}…”" if len(text) > 60 else f"“{text}”"


def _changes(assessment: Assessment, form: str, since) -> list[str]:
    out: list[str] = []
    if form in SCORE_FIELDS:
        records = (Score.history.filter(assessment_id=assessment.pk, history_date__gte=since)
                   .select_related("criterion").order_by("history_date"))
        for record in records:
            prev = record.prev_record
            for name in SCORE_FIELDS[form]:
                new, old = getattr(record, name), getattr(prev, name) if prev is not None else None
                if new != old and not (prev is None and new in (None, "")):
                    out.append(f"tiêu chí {record.criterion.code}: {LABELS[name]} {_value(old)} → {_value(new)}")
        if form == "results":
            for record in assessment.history.filter(history_date__gte=since).order_by("history_date"):
                prev = record.prev_record
                if prev is not None and prev.printed_total != record.printed_total:
                    out.append(f"{LABELS['printed_total']} {_value(prev.printed_total)} → "
                               f"{_value(record.printed_total)}")
    else:
        records = (RawInput.history.filter(assessment_id=assessment.pk, history_date__gte=since)
                   .select_related("criterion").order_by("history_date"))
        for record in records:
            prev = record.prev_record
            old = prev.value if prev is not None and record.history_type != "+" else None
            new = None if record.history_type == "-" else record.value
            if old != new:
                out.append(f"tiêu chí {record.criterion.code}, số liệu “{record.name}”: {_value(old)} → {_value(new)}")
    return out


def require_fresh(assessment: Assessment, form: str, shown) -> None:
    """Refuses a save from a form older than what is saved; the message names who saved since,
    when, and the values they changed. `assessment` is the locked row."""
    counter = COUNTERS[form]
    try:
        shown = int(shown)
    except (TypeError, ValueError):
        shown = -1
    if shown == getattr(assessment, counter):
        return
    saves, last = [], None
    for record in (assessment.history.filter(**{f"{counter}__gt": max(shown, 0)}).select_related("history_user")
                   .order_by("history_date")):
        if getattr(record, counter) != last:  # the saves that bumped this form's counter
            saves.append(record)
            last = getattr(record, counter)
    if saves:
        whom = ", ".join(dict.fromkeys(r.history_user.display_name if r.history_user else "hệ thống" for r in saves))
        when = timezone.localtime(saves[-1].history_date)
        changes = _changes(assessment, form, saves[0].history_date)
    else:
        whom, when, changes = "người khác", None, []
    said = f"{whom} lưu" + (f" lúc {when:%H:%M} ngày {when:%d/%m/%Y}" if when else "")
    listed = changes[:MAX_LISTED] + ([f"và {len(changes) - MAX_LISTED} thay đổi khác"]
                                     if len(changes) > MAX_LISTED else [])
    raise ConflictError(
        f"{WHAT[form]} năm {assessment.year} của {assessment.unit.name} vừa được {said}, sau khi anh/chị mở "
        f"trang{' (các giá trị đã đổi ghi dưới đây)' if listed else ''}. Chưa lưu gì, để không ghi đè lên bản của "
        "họ: trang hiện bản mới nhất, hãy xem lại rồi nhập lại phần thay đổi của anh/chị.", details=listed)
