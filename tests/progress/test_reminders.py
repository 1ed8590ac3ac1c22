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


def test_an_open_period_is_chased_after_the_plans_last_year(world, period):
    """On 10/01/2026, Quý IV/2025 still open: the plan of 2025 is still followed until it closes."""
    setup_world(world, period)
    out = StringIO()
    call_command("send_reminders", today="2026-01-10", dry_run=True, stdout=out)
    text = out.getvalue()
    assert "Kỳ báo cáo Quý IV/2025 (Tỉnh A, quá hạn nộp 26 ngày): 3 báo cáo chưa nộp." in text
    assert "báo cáo nộp muộn: 3" in text and "Sẽ gửi 0 lời nhắc" not in text
    services.period_set_open(actor=world.coordinator, period=period, is_open=False)
    out = StringIO()
    call_command("send_reminders", today="2026-01-10", dry_run=True, stdout=out)
    assert "Quý IV/2025" not in out.getvalue() and "báo cáo nộp muộn" not in out.getvalue()


def test_reminders_are_also_notices_for_those_without_email(world, period):
    from chiso.progress.models import Notification

    setup_world(world, period)
    no_mail = UserFactory(unit=world.lead_unit, role=Role.OFFICER, email="")
    out = run()
    mine = Notification.objects.filter(recipient=no_mail)
    assert sorted(mine.values_list("kind", flat=True)) == ["report_due"] * 3 + ["task_due", "task_overdue"]
    assert "Đã tạo 10 thông báo trong chiso." in out  # own and no_mail, five each
    assert "Đã tạo 0 thông báo" in run()  # a rerun makes none again
    assert not any(no_mail.email in m.to for m in mail.outbox)


def test_the_sonv_coordinator_is_reminded_of_its_own_departments_reports(world, period):
    world.coordinator.email = "coord@snv.vn"
    world.coordinator.wants_digest = False
    world.coordinator.save()
    AssignmentFactory(task__item=world.item, unit=world.home_affairs, role="lead")
    run()
    assert [m.to for m in mail.outbox] == [["coord@snv.vn"]] and "Quý IV/2025" in mail.outbox[0].body
