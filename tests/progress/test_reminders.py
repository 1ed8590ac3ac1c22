"""`chiso send-reminders`: who gets what, and that running it again sends nothing twice."""
import datetime as dt
from io import StringIO

from django.core import mail
from django.core.management import call_command

from chiso.accounts.models import Role
from chiso.progress import services
from chiso.progress.models import ReminderLog
from tests.factories import AssignmentFactory, UserFactory

TODAY = "2025-12-10"


def run(today=TODAY, days=7):
    out = StringIO()
    call_command("send_reminders", today=today, days=days, stdout=out)
    return out.getvalue()


def setup_world(world, period):
    world.own.email = "own@snv.vn"
    world.own.save()
    world.coordinator.email = "coord@snv.vn"
    world.coordinator.save()
    world.plan.last_year = 2025
    world.plan.save()
    world.task.due_date = dt.date(2025, 12, 1)  # overdue on 10/12
    world.task.save()
    soon = AssignmentFactory(task__item=world.item, unit=world.lead_unit, role="lead").task
    soon.due_date = dt.date(2025, 12, 15)  # due within 7 days
    soon.save()
    later = AssignmentFactory(task__item=world.item, unit=world.lead_unit, role="lead").task
    later.due_date = dt.date(2026, 6, 30)
    later.save()
    return soon, later


def test_reminders_are_sent_once(world, period):
    soon, later = setup_world(world, period)
    first = run()
    kinds = sorted(ReminderLog.objects.values_list("kind", flat=True))
    # own: task overdue, task due soon, 3 reports due on 15/12; coordinator: the weekly digest
    assert kinds == ["digest", "report_due", "report_due", "report_due", "task_due", "task_overdue"], kinds
    assert len(mail.outbox) == 2 and "Đã gửi 6 lời nhắc trong 2 thư" in first
    to_own = next(m for m in mail.outbox if m.to == ["own@snv.vn"])
    assert "NHIỆM VỤ QUÁ HẠN" in to_own.body and "quá hạn từ 01/12/2025" in to_own.body
    assert "đến hạn 30/06/2026" not in to_own.body
    assert "/tien-do/nhiem-vu/" in to_own.body
    digest = next(m for m in mail.outbox if m.to == ["coord@snv.vn"])
    assert "Quý IV/2025: 0/3 báo cáo đã gửi" in digest.body and "Tắt tại trang cá nhân" in digest.body

    second = run()
    assert len(mail.outbox) == 2 and "Đã gửi 0 lời nhắc trong 0 thư" in second
    assert ReminderLog.objects.count() == 6


def test_report_becomes_late_and_digest_comes_weekly(world, period):
    setup_world(world, period)
    run()
    mail.outbox.clear()
    run(today="2025-12-16")  # same ISO week? 10/12 is week 50, 16/12 is week 51
    kinds = sorted(ReminderLog.objects.filter(sent_at__isnull=False).values_list("kind", flat=True))
    assert kinds.count("report_late") == 3 and kinds.count("digest") == 2
    assert kinds.count("task_overdue") == 2  # the task due 15/12 is now overdue too


def test_submitted_reports_and_digest_opt_out(world, period):
    setup_world(world, period)
    world.coordinator.wants_digest = False
    world.coordinator.save()
    data = services.ReportInput("in_progress", 50, "Đang làm", "")
    services.report_save(actor=world.own, period=period, task=world.task, data=data, version=0, submit=True)
    run()
    kinds = list(ReminderLog.objects.values_list("kind", flat=True))
    assert kinds.count("report_due") == 2 and "digest" not in kinds


def test_only_officers_with_email_of_the_lead_unit(world, period):
    setup_world(world, period)
    UserFactory(unit=world.lead_unit, role=Role.OFFICER, email="")
    UserFactory(unit=world.lead_unit, role=Role.VIEWER, email="viewer@snv.vn")
    run()
    assert {m.to[0] for m in mail.outbox} == {"own@snv.vn", "coord@snv.vn"}


def test_dry_run_counts_what_would_go_out_and_sends_nothing(world, period):
    setup_world(world, period)
    out = StringIO()
    call_command("send_reminders", today=TODAY, dry_run=True, stdout=out)
    assert "Sẽ gửi 6 lời nhắc trong 2 thư" in out.getvalue()
    assert not mail.outbox and not ReminderLog.objects.exists()
