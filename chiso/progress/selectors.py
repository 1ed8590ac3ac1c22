"""Reads for the progress pages; each runs a fixed number of queries whatever the plan's size."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet

from chiso.plans.models import Assignment, AssignmentRole, Task, TaskStatus

from .models import Contribution, Evidence, ProgressReport, ReportingPeriod, ReportState
from .policies import acts_for_unit

DUE_SOON_DAYS = 14
SENT = {ReportState.SUBMITTED, ReportState.ACCEPTED}


def is_overdue(task, today: dt.date) -> bool:
    return bool(task.due_date and task.due_date < today and task.status != TaskStatus.DONE)


def is_due_soon(task, today: dt.date, days: int = DUE_SOON_DAYS) -> bool:
    return bool(task.due_date and today <= task.due_date <= today + dt.timedelta(days=days)
                and task.status != TaskStatus.DONE)


def is_report_late(period: ReportingPeriod, report: ProgressReport | None, today: dt.date) -> bool:
    return period.due_date < today and (report is None or report.state not in SENT)


def lead_assignments() -> Prefetch:
    return Prefetch("assignments", queryset=Assignment.objects.filter(role=AssignmentRole.LEAD)
                    .select_related("unit").order_by("position"), to_attr="leads")


def expected_tasks(period: ReportingPeriod, tasks: QuerySet[Task]) -> QuerySet[Task]:
    """The tasks a period asks a report for: those not yet done, and any already reported in it."""
    return tasks.filter(item__table__plan_id=period.plan_id).filter(
        ~Q(status=TaskStatus.DONE) | Q(pk__in=ProgressReport.objects.filter(period=period).values("task_id")))


def evidence_count() -> Count:
    return Count("evidence", filter=Q(evidence__removed_at__isnull=True))


@dataclass
class PeriodRow:
    task: Task
    report: ProgressReport | None
    contributions: int
    late: bool

    @property
    def state(self) -> str:
        return self.report.state if self.report else "missing"


def period_rows(period: ReportingPeriod, tasks: QuerySet[Task], today: dt.date, state: str = "") -> list[PeriodRow]:
    """One row per expected task of the period (within `tasks`, the user's scope): 4 queries."""
    task_list = list(expected_tasks(period, tasks).select_related("item", "item__table")
                     .prefetch_related(lead_assignments()))
    reports = {r.task_id: r for r in ProgressReport.objects.filter(period=period, task__in=[t.pk for t in task_list])
               .annotate(n_evidence=evidence_count())}
    for report in reports.values():
        report.period = period  # for days_late, without a query per row
    contributions = dict(Contribution.objects.filter(period=period).values("task_id")
                         .annotate(n=Count("pk")).values_list("task_id", "n"))
    rows = [PeriodRow(t, reports.get(t.pk), contributions.get(t.pk, 0), is_report_late(period, reports.get(t.pk), today))
            for t in task_list]
    if state == "late":
        return [r for r in rows if r.late]
    if state:
        return [r for r in rows if r.state == state]
    return rows


def state_counts(rows: list[PeriodRow]) -> dict[str, int]:
    counts = {"missing": 0, **{s: 0 for s in ReportState.values}, "late": 0, "total": len(rows)}
    for r in rows:
        counts[r.state] += 1
        counts["late"] += r.late
    return counts


@dataclass
class UnitDashboard:
    tasks: list[Assignment] = field(default_factory=list)
    due_soon: list[Task] = field(default_factory=list)
    overdue: list[Task] = field(default_factory=list)
    to_write: list[dict] = field(default_factory=list)
    to_review: list[ProgressReport] = field(default_factory=list)
    may_review: bool = False
    province_wide: bool = False  # overdue / due soon counted over every task the user oversees

    @property
    def returned(self) -> list[dict]:
        return [w for w in self.to_write if w["report"] is not None and w["report"].state == ReportState.RETURNED]


# "Việc của tôi": the home's counts, each linking to its list on the progress page (?viec=…)
MY_WORK = [("qua-han", "Nhiệm vụ quá hạn", "overdue"), ("sap-den-han", "Sắp đến hạn (14 ngày)", "due_soon"),
           ("can-viet", "Báo cáo cần viết", "to_write"), ("bi-tra-lai", "Báo cáo bị trả lại", "returned"),
           ("cho-duyet", "Báo cáo chờ duyệt", "to_review")]


def province_deadlines(board: UnitDashboard, tasks: QuerySet[Task], today: dt.date) -> None:
    """An overseer (coordinator, leader) sees the overdue and due-soon tasks of every plan in scope."""
    open_tasks = (tasks.exclude(status=TaskStatus.DONE).filter(due_date__isnull=False,
                                                                due_date__lte=today + dt.timedelta(days=DUE_SOON_DAYS))
                  .select_related("item__table__plan").order_by("due_date"))
    board.overdue, board.due_soon = [], []
    for task in open_tasks:
        (board.overdue if is_overdue(task, today) else board.due_soon).append(task)
    board.province_wide = True


def unit_dashboard(user, today: dt.date, *, review_scope: QuerySet[Task] | None = None) -> UnitDashboard:
    """My unit's tasks, what is due soon or overdue, the reports to write (and, for a coordinator,
    the reports waiting for review): at most 5 queries."""
    board = UnitDashboard()
    if user.unit_id:
        board.tasks = list(Assignment.objects.filter(unit_id=user.unit_id)
                           .select_related("task__item__table__plan")
                           .order_by("task__item__table__plan__first_year", "task__item__table__plan_id",
                                     "role_order", "task__item__table__position", "task__item__position"))
        seen = set()
        for a in board.tasks:
            if a.task_id in seen:
                continue
            seen.add(a.task_id)
            if is_overdue(a.task, today):
                board.overdue.append(a.task)
            elif is_due_soon(a.task, today):
                board.due_soon.append(a.task)
        board.overdue.sort(key=lambda t: t.due_date)
        board.due_soon.sort(key=lambda t: t.due_date)
        # Only those who may write their unit's reports are asked for them (the home counts what they can do).
        lead = ({a.task_id: a.task for a in board.tasks if a.role == AssignmentRole.LEAD}
                if acts_for_unit(user) else {})
        plans = {t.item.table.plan_id for t in lead.values()}
        periods = list(ReportingPeriod.objects.filter(plan_id__in=plans, is_open=True).select_related("plan"))
        if periods:
            reports = {(r.period_id, r.task_id): r for r in ProgressReport.objects.filter(
                period__in=periods, task_id__in=lead)}
            for period in sorted(periods, key=lambda p: p.due_date):
                for task in lead.values():
                    if task.item.table.plan_id != period.plan_id:
                        continue
                    report = reports.get((period.pk, task.pk))
                    if report is None and task.status == TaskStatus.DONE:
                        continue
                    if report is None or report.state not in SENT:
                        board.to_write.append({"period": period, "task": task, "report": report,
                                               "late": is_report_late(period, report, today)})
    if review_scope is not None:
        board.may_review = True
        board.to_review = list(ProgressReport.objects.filter(state=ReportState.SUBMITTED, task__in=review_scope)
                               .select_related("period", "task", "unit").order_by("submitted_at")[:100])
    return board


def task_reports(task: Task) -> list[ReportingPeriod]:
    """The task's plan's periods, each with this task's report and contributions: 4 queries."""
    active = Evidence.objects.filter(removed_at__isnull=True)
    periods = list(ReportingPeriod.objects.filter(plan_id=task.item.table.plan_id).order_by("-start"))
    reports = {r.period_id: r for r in ProgressReport.objects.filter(task=task)
               .select_related("unit", "updated_by", "reviewed_by")
               .prefetch_related(Prefetch("evidence", queryset=active))}
    contributions: dict[int, list[Contribution]] = {}
    for c in (Contribution.objects.filter(task=task).select_related("unit", "updated_by")
              .prefetch_related(Prefetch("evidence", queryset=active))):
        contributions.setdefault(c.period_id, []).append(c)
    for p in periods:
        p.report = reports.get(p.pk)
        if p.report is not None:
            p.report.period = p
        p.task_contributions = contributions.get(p.pk, [])
    return periods


# -- the period page's filters (GET parameters, so a filtered list is a link to share) --------
SORTS = {"tieu-chi": "Theo thứ tự kế hoạch", "don-vi": "Theo đơn vị chủ trì", "trang-thai": "Theo trạng thái báo cáo",
         "han": "Theo thời hạn nhiệm vụ"}
STATE_ORDER = {"missing": 0, "returned": 1, "draft": 2, "submitted": 3, "accepted": 4}


def row_field(row: PeriodRow) -> str:
    """The field a row's task belongs to: its table's index and the first part of its code."""
    code = (row.task.item.code or "").split(".")[0]
    return f"{row.task.item.table.index}-{code}" if code else row.task.item.table.index


def period_filters(rows: list[PeriodRow]) -> dict[str, list[tuple[str, str]]]:
    """The choices the filters offer: the lead units and the fields that the rows have."""
    units, fields = {}, {}
    for r in rows:
        for a in r.task.leads:
            if a.unit is not None:
                units[a.unit.public_id] = a.unit.name
        item = r.task.item
        if item.level == 1 or row_field(r) not in fields:
            fields.setdefault(row_field(r), f"{item.table.index.replace('_', ' ')} · lĩnh vực {row_field(r).split('-')[-1]}")
    return {"units": sorted(units.items(), key=lambda kv: kv[1]), "fields": sorted(fields.items())}


def filter_period_rows(rows: list[PeriodRow], *, state: str = "", unit: str = "", field: str = "",
                       sort: str = "") -> list[PeriodRow]:
    out = [r for r in rows
           if (not state or (r.late if state == "late" else r.state == state))
           and (not unit or any(a.unit is not None and a.unit.public_id == unit for a in r.task.leads))
           and (not field or row_field(r) == field)]
    if sort == "don-vi":
        out.sort(key=lambda r: min((a.unit.name if a.unit else a.text for a in r.task.leads), default="~"))
    elif sort == "trang-thai":
        out.sort(key=lambda r: (not r.late, STATE_ORDER.get(r.state, 9)))
    elif sort == "han":
        out.sort(key=lambda r: (r.task.due_date is None, r.task.due_date or dt.date.max))
    return out
