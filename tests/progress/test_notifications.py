"""Notices inside chiso: a review tells the reporting unit; the unread count, the list, marking read;
a late report says how many days late."""
import datetime as dt

from django.urls import reverse
from django.utils import timezone

from chiso.accounts.models import Role
from chiso.progress import services
from chiso.progress.models import Notification, ProgressReport
from tests.factories import UserFactory


def test_sent_back_and_accepted_reach_the_reporting_units_people(world, period, submitted):
    colleague = UserFactory(unit=world.lead_unit, role=Role.OFFICER)
    services.report_review(actor=world.coordinator, report=submitted, accept=False, comment="Thiếu biên bản.")
    returned = Notification.objects.get(recipient=world.own)
    assert returned.kind == "report_returned" and "Thiếu biên bản." in returned.text
    assert Notification.objects.filter(recipient=colleague, kind="report_returned").exists()
    assert not Notification.objects.filter(recipient=world.coordinator).exists()
    data = services.ReportInput("done", 100, "Đã bổ sung biên bản.", "")
    report = services.report_save(actor=world.own, period=period, task=world.task, data=data,
                                  version=submitted.version + 1, submit=True)
    services.report_review(actor=world.coordinator, report=report, accept=True)
    assert Notification.objects.filter(recipient=world.own, kind="report_accepted").count() == 1


def test_unread_count_list_and_mark_read(client, world, period, submitted):
    services.report_review(actor=world.coordinator, report=submitted, accept=False, comment="Thiếu biên bản.")
    client.force_login(world.own)
    page = client.get(reverse("progress:home")).content.decode()
    assert 'data-testid="unread-count">1<' in page
    listing = client.get(reverse("progress:notifications")).content.decode()
    assert "Báo cáo Quý IV/2025 bị trả lại" in listing and "Thiếu biên bản." in listing
    notice = Notification.objects.get(recipient=world.own)
    response = client.post(reverse("progress:notification", args=[notice.public_id]))
    assert response.status_code == 302 and response["Location"] == notice.url
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert 'data-testid="unread-count"' not in client.get(reverse("progress:home")).content.decode()


def test_mark_all_read_touches_only_ones_own(client, world, period, submitted):
    colleague = UserFactory(unit=world.lead_unit, role=Role.OFFICER)
    services.report_review(actor=world.coordinator, report=submitted, accept=False, comment="Thiếu biên bản.")
    client.force_login(world.own)
    assert client.post(reverse("progress:notifications_read")).status_code == 302
    assert not Notification.objects.filter(recipient=world.own, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=colleague, read_at__isnull=True).exists()


def test_anothers_notice_is_hidden(client, world, period, submitted):
    services.report_review(actor=world.coordinator, report=submitted, accept=False, comment="Thiếu biên bản.")
    notice = Notification.objects.get(recipient=world.own)
    for user in (world.other, world.coordinator):
        client.force_login(user)
        assert client.post(reverse("progress:notification", args=[notice.public_id])).status_code == 404
        assert "Thiếu biên bản" not in client.get(reverse("progress:notifications")).content.decode()


def test_a_late_first_submission_is_marked_with_its_days(client, world, period):
    data = services.ReportInput("in_progress", 40, "Đã ban hành kế hoạch.", "")
    report = services.report_save(actor=world.own, period=period, task=world.task, data=data, version=0, submit=True)
    late = timezone.make_aware(dt.datetime(2025, 12, 19, 9, 0))
    ProgressReport.objects.filter(pk=report.pk).update(first_submitted_at=late, submitted_at=late)
    report.refresh_from_db()
    assert report.days_late == 4
    client.force_login(world.coordinator)
    for url in (reverse("progress:report", args=[report.public_id]), reverse("progress:period", args=[period.public_id])):
        assert "Nộp muộn 4 ngày" in client.get(url).content.decode()
    reviewed = services.report_review(actor=world.coordinator, report=report, accept=False, comment="Bổ sung.")
    report = services.report_save(actor=world.own, period=period, task=world.task, data=data,
                                  version=reviewed.version, submit=True)
    assert report.first_submitted_at == late  # sending it again keeps the first date
