"""Notices inside chiso (besides email): made by reviews and by `send-reminders`, read by their
recipient only. Each (kind, key, recipient) is made once, so a rerun or a repeated review adds nothing."""
from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from chiso.accounts.models import User

from .models import Notification, NotificationKind, ProgressReport, ReportState
from .policies import ACTS_FOR_UNIT


def notify(recipients, *, kind: str, key: str, text: str, url: str = "") -> int:
    """One notice per recipient (skipped when they already have it); the number made."""
    rows = [Notification(recipient=u, kind=kind, key=key[:128], text=text[:400], url=url[:300])
            for u in {u.pk: u for u in recipients}.values()]
    before = Notification.objects.filter(kind=kind, key=key[:128], recipient__in=[r.recipient for r in rows]).count()
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows) - before


def unit_writers(unit_id: int | None) -> QuerySet[User]:
    """Who acts for a unit on its tasks (officers and, for the Sở Nội vụ, its coordinators)."""
    if not unit_id:
        return User.objects.none()
    return User.objects.filter(unit_id=unit_id, role__in=ACTS_FOR_UNIT, is_active=True)


def notify_review(report: ProgressReport) -> int:
    """The reporting unit hears that its report was accepted or sent back (with the comment)."""
    returned = report.state == ReportState.RETURNED
    kind = NotificationKind.REPORT_RETURNED if returned else NotificationKind.REPORT_ACCEPTED
    task = report.task.text[:160]
    if returned:
        text = f"Báo cáo {report.period.name} bị trả lại: {task} — Ý kiến: {report.review_comment[:150]}"
        url = reverse("progress:report_edit", args=[report.period.public_id, report.task.public_id])
    else:
        text = f"Báo cáo {report.period.name} đã được duyệt: {task}"
        url = reverse("progress:report", args=[report.public_id])
    recipients = list(unit_writers(report.unit_id))
    if report.submitted_by_id and report.submitted_by.is_active:
        recipients.append(report.submitted_by)
    # the report's version tells one review from the next (sent back twice: two notices)
    return notify(recipients, kind=kind, key=f"{report.public_id}:{report.version}", text=text, url=url)


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notification_read(*, actor, notification: Notification | None = None) -> int:
    """Marks one of the actor's notices (or all of them) read; another person's is never touched."""
    qs = Notification.objects.filter(recipient=actor, read_at__isnull=True)
    if notification is not None:
        qs = qs.filter(pk=notification.pk)
    with transaction.atomic():
        return qs.update(read_at=timezone.now())
