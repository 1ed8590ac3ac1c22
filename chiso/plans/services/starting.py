"""Starting a plan, three ways — each gives a draft the coordinator then writes in place:

- from a unit's results (`plan_start_from_results`): one row for every criterion that lost
  points, largest first under their fields (also largest first), with the reason, the target
  prefilled at last year's score; last year's tasks for each criterion are offered beside it
  (chiso.plans.selectors.previous_tasks). Any framework, also a province's internal index for
  a department or a commune (`plan_start_from_lost`: rows from any results);
- from last year's plan (`plan_start_from_plan`): a copy with its years, targets and deadlines
  moved on, and the tasks already reported done marked for review;
- blank, on a framework version (`plan_start_blank`).
"""
from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from chiso.common.actors import by_actor
from chiso.common.errors import ServiceError
from chiso.core.gap import GapInput, analyse
from chiso.frameworks.models import Criterion, FrameworkVersion
from chiso.scores.models import Assessment, Score
from chiso.units.models import Unit

from ..models import Assignment, ItemValue, Plan, PlanItem, PlanOrigin, PlanState, Task, TaskStatus, ValueKey
from .editing import criterion_row, parsed_deadline
from .loading import plan_create, plan_table_create
from .tables import authored_columns, results_before, roll_up, scores_of

INDEX_TITLES = {
    "PAR_INDEX": "Chỉ số cải cách hành chính (PAR INDEX)",
    "SIPAS": "Chỉ số hài lòng của người dân, tổ chức đối với sự phục vụ của cơ quan hành chính nhà nước (SIPAS)",
    "PAPI": "Chỉ số hiệu quả quản trị và hành chính công cấp tỉnh (PAPI)",
}
KIND_WORDS = {"province": "tỉnh", "district": "huyện", "commune": "xã"}
YEAR = re.compile(r"(?<!\d)(19|20)(\d\d)(?!\d)")
MAX_YEARS = 5


def issuer_title(unit: Unit) -> str:
    """"tỉnh Đắk Nông", "Sở Tư pháp": how a document names its issuer after "của"."""
    word = KIND_WORDS.get(unit.kind, "")
    return f"{word} {unit.name}".strip()


def index_title(version: FrameworkVersion | None, index: str = "") -> str:
    if version is not None and version.framework.index == "INTERNAL":
        return version.framework.name
    return INDEX_TITLES.get(version.framework.index if version else index, index.replace("_", " "))


def default_title(version, issuer: Unit, first_year: int, last_year: int, index: str = "") -> str:
    years = f"năm {first_year}" if first_year == last_year else f"giai đoạn {first_year}–{last_year}"
    return f"Kế hoạch nâng cao {index_title(version, index)} {years} của {issuer_title(issuer)}"


def default_body(version, issuer: Unit, first_year: int, baseline_year: int | None, index: str = "") -> dict:
    """The usual wording of mục đích, yêu cầu and tổ chức thực hiện, to be edited."""
    what = index_title(version, index)
    where = issuer_title(issuer)
    since = f" năm {baseline_year}" if baseline_year else ""
    return {
        "purpose": (
            f"Khắc phục những tồn tại, hạn chế đã chỉ ra qua kết quả đánh giá {what}{since}; phấn đấu nâng cao "
            f"điểm số và thứ hạng {what} của {where} năm {first_year}.\n"
            "Xác định rõ nhiệm vụ, giải pháp, sản phẩm, thời hạn hoàn thành và trách nhiệm của từng cơ quan, đơn vị "
            "đối với từng lĩnh vực, tiêu chí, tiêu chí thành phần bị trừ điểm."),
        "requirements": (
            "Các cơ quan, đơn vị được giao chủ trì chủ động triển khai, bảo đảm hoàn thành đúng thời hạn, có sản "
            "phẩm cụ thể và tài liệu kiểm chứng đầy đủ.\n"
            "Tăng cường phối hợp giữa các cơ quan, đơn vị; định kỳ báo cáo tiến độ thực hiện về Sở Nội vụ để tổng "
            f"hợp, báo cáo Ủy ban nhân dân {where}."),
        "organization": (
            "Thủ trưởng các cơ quan, đơn vị căn cứ nhiệm vụ được giao tại Phụ lục kèm theo Kế hoạch này tổ chức "
            "triển khai thực hiện; báo cáo kết quả thực hiện hằng quý (trước ngày 15 của tháng cuối quý) về Sở Nội vụ.\n"
            f"Sở Nội vụ theo dõi, đôn đốc, kiểm tra việc thực hiện Kế hoạch; tổng hợp, báo cáo Ủy ban nhân dân {where}.\n"
            "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, các cơ quan, đơn vị báo cáo về Sở Nội vụ để tổng "
            f"hợp, trình Ủy ban nhân dân {where} xem xét, điều chỉnh, bổ sung cho phù hợp."),
    }


def _years(first_year: int, last_year: int | None) -> tuple[int, int]:
    last_year = last_year or first_year
    if not 2000 <= first_year <= 2100 or last_year < first_year or last_year - first_year >= MAX_YEARS:
        raise ServiceError(f"Năm kế hoạch {first_year}–{last_year} không hợp lệ (tối đa {MAX_YEARS} năm).")
    return first_year, last_year


def current_issuer(unit: Unit, first_year: int) -> Unit:
    """The unit that issues a plan for `first_year`: a unit merged away before that year hands
    over to its successor (Đắk Nông's 2026 plan is Lâm Đồng's)."""
    start = dt.date(first_year, 1, 1)
    seen = set()
    while unit.valid_to is not None and unit.valid_to < start and unit.successor_id and unit.pk not in seen:
        seen.add(unit.pk)
        unit = unit.successor
    return unit


def _new_draft(actor, *, issuer: Unit, version, first_year: int, last_year: int, title: str, origin: str,
               baseline_year: int | None, index: str = "", based_on: Plan | None = None,
               results: Assessment | None = None) -> Plan:
    return plan_create(actor=actor, issuer=issuer,
                       title=title or default_title(version, issuer, first_year, last_year, index),
                       first_year=first_year, last_year=last_year, content_hash=f"authored:{secrets.token_hex(24)}",
                       state=PlanState.DRAFT, origin=origin, based_on=based_on, results=results,
                       **default_body(version, issuer, first_year, baseline_year, index))


# -- from results ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class LostInput:
    """A criterion's result, from whichever results a plan starts from."""

    criterion: Criterion
    score: Decimal
    reason: str = ""
    target: Decimal | None = None  # None: last year's score


def lost_rows(version: FrameworkVersion, results: list[LostInput]) -> list[tuple[LostInput, int | None]]:
    """(result, parent index) of the rows a plan from results lists: each field that lost points,
    largest first, followed by its criteria that lost points (the deepest scored), largest first."""
    by_code = {r.criterion.code: r for r in results}
    ordered = sorted(results, key=lambda r: r.criterion.position)
    gap = analyse([GapInput(r.criterion.code, r.criterion.name, r.criterion.max_points, r.score) for r in ordered])
    rows: list[tuple[LostInput, int | None]] = []
    for field in gap.fields:
        if field.lost <= 0:
            continue
        rows.append((by_code[field.code], None))
        parent_index = len(rows) - 1
        for line in gap.criteria:
            if line.code.split(".")[0] == field.code and line.code != field.code:
                rows.append((by_code[line.code], parent_index))
    return rows


@transaction.atomic
def plan_start_from_lost(*, actor, issuer: Unit, version: FrameworkVersion, baseline_year: int,
                         results: list[LostInput], first_year: int, last_year: int | None = None,
                         title: str = "", assessment: Assessment | None = None) -> Plan:
    """A draft listing every criterion that lost points in `results` (see the module)."""
    first_year, last_year = _years(first_year, last_year)
    rows = lost_rows(version, results)
    if not rows:
        raise ServiceError(f"Kết quả năm {baseline_year} không có tiêu chí nào bị mất điểm: không có gì để lập kế hoạch.")
    plan = _new_draft(actor, issuer=issuer, version=version, first_year=first_year, last_year=last_year, title=title,
                      origin=PlanOrigin.RESULTS, baseline_year=baseline_year, results=assessment)
    table = plan_table_create(actor=actor, plan=plan, position=0, index=version.framework.index,
                              caption="", version=version, printed_total=[],
                              columns=authored_columns(baseline_year, list(range(first_year, last_year + 1))))
    items: list[PlanItem] = []
    for position, (result, parent_index) in enumerate(rows):
        items.append(criterion_row(actor, table, result.criterion, position=position,
                                   parent=items[parent_index] if parent_index is not None else None,
                                   baseline=result.score, target=result.target, reason=result.reason))
    roll_up(actor, table, items)
    return plan


@transaction.atomic
def plan_start_from_results(*, actor, assessment: Assessment, first_year: int | None = None,
                            last_year: int | None = None, title: str = "") -> Plan:
    """Next year's plan from a unit's results (any framework: national or internal)."""
    first_year = first_year or assessment.year + 1
    version = FrameworkVersion.objects.select_related("framework").get(pk=assessment.version_id)
    results = [LostInput(s.criterion, s.score, s.reason)
               for s in Score.objects.filter(assessment=assessment, score__isnull=False).select_related("criterion")]
    return plan_start_from_lost(actor=actor, issuer=current_issuer(assessment.unit, first_year), version=version,
                                baseline_year=assessment.year, results=results, first_year=first_year,
                                last_year=last_year, title=title, assessment=assessment)


# -- blank ------------------------------------------------------------------------------------

@transaction.atomic
def plan_start_blank(*, actor, issuer: Unit, version: FrameworkVersion, first_year: int,
                     last_year: int | None = None, title: str = "") -> Plan:
    """An empty draft on a framework version; rows are added criterion by criterion. The
    issuer's latest results in that version before the plan's year give the baselines."""
    first_year, last_year = _years(first_year, last_year)
    baseline = results_before(issuer, version, first_year)
    plan = _new_draft(actor, issuer=issuer, version=version, first_year=first_year, last_year=last_year, title=title,
                      origin=PlanOrigin.BLANK, baseline_year=baseline.year if baseline else None, results=baseline)
    plan_table_create(actor=actor, plan=plan, position=0, index=version.framework.index, caption="", version=version,
                      printed_total=[], columns=authored_columns(baseline.year if baseline else None,
                                                                 list(range(first_year, last_year + 1))))
    return plan


# -- from last year's plan ---------------------------------------------------------------------

def shift_years(text: str, shift: int) -> str:
    """Every year written in `text` moved by `shift` ("Trước 30/6/2024" → "Trước 30/6/2025")."""
    return YEAR.sub(lambda m: str(int(m.group(0)) + shift), text) if shift else text


@transaction.atomic
def plan_start_from_plan(*, actor, previous: Plan, first_year: int | None = None, title: str = "") -> Plan:
    """A copy of `previous` for a later year: the same rows, tasks and agencies; its years,
    target columns and deadlines moved on; baselines from the issuer's results of the year
    before the new plan, when there are any; tasks reported done marked for review."""
    first_year = first_year or previous.last_year + 1
    shift = first_year - previous.first_year
    if shift <= 0:
        raise ServiceError(f"Kế hoạch mới phải sau năm {previous.first_year} của kế hoạch được sao.")
    first_year, last_year = _years(first_year, previous.last_year + shift)
    issuer = current_issuer(previous.issuer, first_year)
    tables = list(previous.tables.select_related("version__framework").order_by("position"))
    version = next((t.version for t in tables if t.version_id), None)
    plan = _new_draft(actor, issuer=issuer, version=version, first_year=first_year, last_year=last_year,
                      title=title or shift_years(previous.title, shift), origin=PlanOrigin.PREVIOUS,
                      baseline_year=first_year - 1, index=tables[0].index if tables else "", based_on=previous)
    done_label = f"kế hoạch {previous.number}" if previous.number else f"kế hoạch năm {previous.years_label}"
    for table in tables:
        _copy_table(actor, plan, table, shift, done_label)
    return plan


def _copy_table(actor, plan: Plan, old, shift: int, done_label: str) -> None:
    results = results_before(plan.issuer, old.version, plan.first_year) if old.version_id else None
    fresh = scores_of(results) if results is not None and results.year >= plan.first_year - 1 else {}
    old_targets = sorted({int(str(c.get("year"))[-4:]) for c in old.columns
                          if c.get("key") == "target" and str(c.get("year") or "")[-4:].isdigit()})
    target_years = [y + shift for y in old_targets] or list(range(plan.first_year, plan.last_year + 1))
    old_base_years = [str(c.get("year") or "") for c in old.columns if c.get("key") in {"achieved", "appraised"}]
    base_year = results.year if fresh else (int(max(old_base_years)[-4:]) if old_base_years and
                                             max(old_base_years)[-4:].isdigit() else None)
    table = plan_table_create(actor=actor, plan=plan, position=old.position, index=old.index,
                              caption=shift_years(old.caption, shift), version=old.version, printed_total=[],
                              columns=authored_columns(base_year, target_years) if old.columns else [])
    items = list(PlanItem.objects.filter(table=old).select_related("criterion").order_by("position"))
    values: dict[int, list[ItemValue]] = {}
    for v in ItemValue.objects.filter(item__in=items):
        values.setdefault(v.item_id, []).append(v)
    new_items: dict[int, PlanItem] = {}
    for item in items:
        score = fresh.get(item.criterion_id) if item.criterion_id else None
        baseline = score.score if score is not None and score.score is not None else (
            item.baseline if not fresh else None)
        copy = PlanItem(table=table, position=item.position, parent=new_items.get(item.parent_id), code=item.code,
                        printed_code=item.printed_code, level=item.level, name=item.name, criterion=item.criterion,
                        match_status=item.match_status, max_points=item.max_points, baseline=baseline,
                        baseline_year=str(base_year) if baseline is not None and base_year else "",
                        reason=(score.reason if score is not None and score.reason else item.reason), note=item.note)
        by_actor(copy, actor).save()
        new_items[item.pk] = copy
        for v in values.get(item.pk, []):
            if v.key == ValueKey.TARGET and str(v.year)[-4:].isdigit():
                year = str(int(v.year[-4:]) + shift)
                by_actor(ItemValue(item=copy, key=v.key, year=year, value=v.value, value_high=v.value_high), actor).save()
            elif v.key == ValueKey.MAX_POINTS:
                by_actor(ItemValue(item=copy, key=v.key, year="", value=v.value), actor).save()
        if baseline is not None and base_year:
            by_actor(ItemValue(item=copy, key=ValueKey.ACHIEVED, year=str(base_year), value=baseline), actor).save()
    tasks = list(Task.objects.filter(item__in=items).order_by("position", "pk"))
    assignments: dict[int, list[Assignment]] = {}
    for a in Assignment.objects.filter(task__in=tasks).order_by("role_order", "position"):
        assignments.setdefault(a.task_id, []).append(a)
    for task in tasks:
        deadline = parsed_deadline(shift_years(task.deadline_text, shift), plan.first_year)
        copy = Task(item=new_items[task.item_id], position=task.position, text=task.text, deliverable=task.deliverable,
                    copied_from=task, **deadline,
                    review_note=(f"Đã báo cáo hoàn thành trong {done_label}: xem lại có cần giữ không."
                                 if task.status == TaskStatus.DONE else ""))
        by_actor(copy, actor).save()
        for a in assignments.get(task.pk, []):
            by_actor(Assignment(task=copy, role=a.role, unit=a.unit, group=a.group, text=a.text,
                                position=a.position), actor).save()
