"""Reminder emails, sent by `chiso send-reminders` (run it daily from cron or a timer).

- to those who act for a task's lead unit (its officers; for the Sở Nội vụ, its coordinators
  too): N days before the task or the period's report is due, and once when it becomes overdue
  / late; a period is chased until the coordinator closes it, even after the plan's last year;
- each of these is also a notice inside chiso (`Notification`), for those without an email too;
- to coordinators who want it: a weekly digest (once per ISO week);
- whatever other apps send when told (`chiso.common.signals.reminders_due`): the surveys remind
  invited officials and delegates who have not answered.

Each (kind, key, recipient) is logged in ReminderLog in the same transaction as the email goes
out: running the command any number of times sends each reminder once. A person gets one email
per run listing everything new for them, not one email per task.
"""
from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse

from chiso.accounts.models import Role, User
from chiso.common.signals import Reminded, reminders_due
from chiso.common.site import site_url
from chiso.plans.models import Assignment, AssignmentRole, Plan, TaskStatus
from chiso.plans.policies import plans_visible_to

from .models import NotificationKind, ProgressReport, ReminderKind, ReminderLog, ReportingPeriod, ReportState
from .notifications import notify
from .policies import ACTS_FOR_UNIT
from .selectors import SENT, expected_tasks

DEFAULT_DAYS = 7


@dataclass
class Pending:
    kind: str
    key: str
    text: str
    url: str


@dataclass
class RunResult:
    emails: int = 0
    reminders: int = 0
    by_kind: dict | None = None
    notices: int = 0
    labels: dict[str, str] = field(default_factory=dict)  # the other apps' kinds, in Vietnamese
    periods: list[str] = field(default_factory=list)  # one line per open period past or near its due date


def _officers() -> dict[int, list[User]]:
    by_unit: dict[int, list[User]] = defaultdict(list)
    for u in User.objects.filter(role__in=ACTS_FOR_UNIT, is_active=True, unit__isnull=False):
        by_unit[u.unit_id].append(u)
    return by_unit


def followed_plans(today: dt.date):
    """Plans still followed: not ended, or with a reporting period the coordinator has not closed."""
    return Plan.objects.filter(Q(last_year__gte=today.year) | Q(reporting_periods__is_open=True)).distinct()


def collect_officer_reminders(today: dt.date, days: int) -> dict[User, list[Pending]]:
    officers = _officers()
    horizon = today + dt.timedelta(days=days)
    pending: dict[User, list[Pending]] = defaultdict(list)
    leads = (Assignment.objects.filter(role=AssignmentRole.LEAD, unit_id__in=officers,
                                       task__item__table__plan__in=followed_plans(today).values("pk"))
             .select_related("task__item__table"))
    lead_list = list(leads)
    for a in lead_list:
        task = a.task
        if task.status == TaskStatus.DONE or not task.due_date or task.due_date > horizon:
            continue
        overdue = task.due_date < today
        kind = ReminderKind.TASK_OVERDUE if overdue else ReminderKind.TASK_DUE
        text = (f"Nhiệm vụ quá hạn từ {task.due_date:%d/%m/%Y}: {task.text[:200]}" if overdue
                else f"Nhiệm vụ đến hạn {task.due_date:%d/%m/%Y}: {task.text[:200]}")
        for user in officers[a.unit_id]:
            pending[user].append(Pending(kind, f"{task.public_id}:{task.due_date:%Y-%m-%d}", text,
                                         reverse("progress:task", args=[task.public_id])))
    periods = list(ReportingPeriod.objects.filter(is_open=True, due_date__lte=horizon))
    if periods:
        sent = set(ProgressReport.objects.filter(period__in=periods, state__in=SENT)
                   .values_list("period_id", "task_id"))
        reported = set(ProgressReport.objects.filter(period__in=periods).values_list("period_id", "task_id"))
        for period in periods:
            late = period.due_date < today
            kind = ReminderKind.REPORT_LATE if late else ReminderKind.REPORT_DUE
            for a in lead_list:
                if a.task.item.table.plan_id != period.plan_id or (period.pk, a.task_id) in sent:
                    continue
                if a.task.status == TaskStatus.DONE and (period.pk, a.task_id) not in reported:
                    continue
                text = (f"Chưa nộp báo cáo {period.name} (hạn {period.due_date:%d/%m/%Y}): {a.task.text[:160]}"
                        if late else
                        f"Báo cáo {period.name} hạn nộp {period.due_date:%d/%m/%Y}: {a.task.text[:160]}")
                url = reverse("progress:report_edit", args=[period.public_id, a.task.public_id])
                for user in officers[a.unit_id]:
                    pending[user].append(Pending(kind, f"{period.public_id}:{a.task.public_id}", text, url))
    return pending


def collect_digests(today: dt.date) -> dict[User, list[Pending]]:
    year, week, _ = today.isocalendar()
    key = f"{year}-W{week:02d}"
    pending: dict[User, list[Pending]] = {}
    for user in (User.objects.filter(role=Role.COORDINATOR, is_active=True, wants_digest=True)
                 .exclude(email="").select_related("unit")):
        lines = []
        for plan in plans_visible_to(user).filter(pk__in=followed_plans(today).values("pk")):
            lines += _plan_digest(plan, today)
        if lines:
            pending[user] = [Pending(ReminderKind.DIGEST, key, "\n".join(lines), reverse("progress:home"))]
    return pending


def _plan_digest(plan: Plan, today: dt.date) -> list[str]:
    from chiso.plans.models import Task

    tasks = Task.objects.filter(item__table__plan=plan)
    total = tasks.count()
    if not total:
        return []
    done = tasks.filter(status=TaskStatus.DONE).count()
    overdue = tasks.filter(due_date__lt=today).exclude(status=TaskStatus.DONE).count()
    waiting = ProgressReport.objects.filter(period__plan=plan, state=ReportState.SUBMITTED).count()
    lines = [f"• {plan.title[:120]}", f"  {total} nhiệm vụ: {done} hoàn thành, {overdue} quá hạn; "
             f"{waiting} báo cáo chờ duyệt.",
             f"  Xem: {site_url()}{reverse('progress:plan_dashboard', args=[plan.public_id])}"]
    for period in plan.reporting_periods.filter(is_open=True):
        expected = tasks.filter(~Q(status=TaskStatus.DONE) | Q(progress_reports__period=period)).distinct().count()
        sent = ProgressReport.objects.filter(period=period, state__in=SENT).count()
        late = " (đã quá hạn nộp)" if period.due_date < today and sent < expected else ""
        lines.append(f"  {period.name}: {sent}/{expected} báo cáo đã gửi, hạn {period.due_date:%d/%m/%Y}{late}.")
    return lines


def send_reminders(*, today: dt.date, days: int = DEFAULT_DAYS, dry_run: bool = False) -> RunResult:
    """The officers' and coordinators' reminders, then those of the other apps (`reminders_due`:
    the surveys' unanswered invitations); one app's failure is logged and leaves the others' sent."""
    result = _send_to_users(today=today, days=days, dry_run=dry_run)
    for receiver, answer in reminders_due.send_robust(sender=RunResult, today=today, dry_run=dry_run):
        if isinstance(answer, Exception):
            logging.getLogger(__name__).error("reminders of %r failed", receiver, exc_info=answer)
        elif isinstance(answer, Reminded):
            result.emails += answer.emails
            result.reminders += answer.reminders
            for kind, n in answer.by_kind.items():
                result.by_kind[kind] += n
            result.labels.update(answer.labels)
    return result


def _send_to_users(*, today: dt.date, days: int, dry_run: bool) -> RunResult:
    result = RunResult(by_kind=defaultdict(int))
    result.periods = period_lines(today, days)
    batches: dict[User, list[Pending]] = collect_officer_reminders(today, days)
    if not dry_run:
        result.notices = _notify_all(batches)
    for user, items in collect_digests(today).items():
        batches.setdefault(user, []).extend(items)
    batches = {u: items for u, items in batches.items() if u.email}
    if not batches:
        return result
    already = set(ReminderLog.objects.filter(recipient__in=list(batches)).values_list("kind", "key", "recipient_id"))
    for user, items in batches.items():
        new, seen = [], set()
        for p in items:
            ident = (p.kind, p.key, user.pk)
            if ident in already or ident in seen:
                continue
            seen.add(ident)
            new.append(p)
        if not new:
            continue
        if dry_run:  # count what would go out, send nothing
            result.emails += 1
            result.reminders += len(new)
            for p in new:
                result.by_kind[p.kind] += 1
            continue
        try:
            with transaction.atomic():
                ReminderLog.objects.bulk_create(
                    [ReminderLog(kind=p.kind, key=p.key, recipient=user, email=user.email) for p in new])
                _send(user, new, today)
        except IntegrityError:
            continue  # another run sent these at the same moment
        result.emails += 1
        result.reminders += len(new)
        for p in new:
            result.by_kind[p.kind] += 1
    return result


def _notify_all(batches: dict[User, list[Pending]]) -> int:
    """The same reminders as notices inside chiso (made once each, whether or not an email goes)."""
    made = 0
    for user, items in batches.items():
        for p in items:
            if p.kind in NotificationKind.values:
                made += notify([user], kind=p.kind, key=p.key, text=p.text, url=p.url)
    return made


def period_lines(today: dt.date, days: int) -> list[str]:
    """Per open period due within `days` or past due: how many reports are still missing, and how
    many of those have nobody in chiso to remind (a lead unit without an account)."""
    from chiso.plans.models import Task

    horizon = today + dt.timedelta(days=days)
    reachable = set(User.objects.filter(role__in=ACTS_FOR_UNIT, is_active=True, unit__isnull=False)
                    .values_list("unit_id", flat=True))
    lines = []
    for period in ReportingPeriod.objects.filter(is_open=True, due_date__lte=horizon).select_related("plan__issuer"):
        tasks = expected_tasks(period, Task.objects.all())
        sent = set(ProgressReport.objects.filter(period=period, state__in=SENT).values_list("task_id", flat=True))
        missing = set(tasks.values_list("pk", flat=True)) - sent
        if not missing:
            continue
        leads = defaultdict(set)
        for task_id, unit_id in Assignment.objects.filter(task_id__in=missing, role=AssignmentRole.LEAD).values_list(
                "task_id", "unit_id"):
            leads[task_id].add(unit_id)
        unreachable = sum(1 for t in missing if not (leads.get(t, set()) & reachable))
        state = (f"quá hạn nộp {(today - period.due_date).days} ngày" if period.due_date < today
                 else f"hạn nộp {period.due_date:%d/%m/%Y}")
        lines.append(f"{period.name} ({period.plan.issuer.name}, {state}): {len(missing)} báo cáo chưa nộp"
                     f"{f', {unreachable} trong đó đơn vị chủ trì chưa có tài khoản để nhắc' if unreachable else ''}.")
    return lines


def _send(user: User, items: list[Pending], today: dt.date) -> None:
    digest = [p for p in items if p.kind == ReminderKind.DIGEST]
    groups = [(label, [p for p in items if p.kind == kind]) for kind, label in ReminderKind.choices
              if kind != ReminderKind.DIGEST]
    context = {"user": user, "groups": [(label, ps) for label, ps in groups if ps], "digest": digest,
               "site": site_url(), "today": today,
               "profile_url": f"{site_url()}{reverse('accounts:profile')}"}
    subject = ("[chiso] Tổng hợp tình hình thực hiện tuần " if digest and len(digest) == len(items)
               else "[chiso] Nhắc việc ") + f"ngày {today:%d/%m/%Y}"
    body = render_to_string("progress/email/reminder.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
