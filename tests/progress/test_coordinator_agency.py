"""The Sở Nội vụ leads tasks too: its coordinators write its reports and contributions as its
officers do, and the home counts what each user can actually do."""
import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from chiso.accounts.models import Role
from chiso.progress import services
from chiso.progress.models import ProgressReport, ReportState
from chiso.progress.selectors import unit_dashboard
from tests.factories import AssignmentFactory, UnitFactory, UserFactory

FORM = {"status": "in_progress", "percent": "30", "done": "Đã ban hành kế hoạch tự kiểm tra.", "reason": "",
        "links": "", "version": "0"}


@pytest.fixture
def own_task(world):
    """A task of the world's plan that the Sở Nội vụ (the coordinator's own unit) leads."""
    return AssignmentFactory(task__item=world.item, unit=world.home_affairs, role="lead").task


def edit_url(period, task):
    return reverse("progress:report_edit", args=[period.public_id, task.public_id])


def test_coordinator_writes_and_submits_its_own_departments_report(client, world, period, own_task):
    client.force_login(world.coordinator)
    assert client.get(edit_url(period, own_task)).status_code == 200
    response = client.post(edit_url(period, own_task), {**FORM, "submit": "1"})
    assert response.status_code == 302
    report = ProgressReport.objects.get(task=own_task)
    assert report.state == ReportState.SUBMITTED and report.unit == world.home_affairs


def test_coordinator_still_cannot_write_another_agencys_report(client, world, period, own_task):
    client.force_login(world.coordinator)
    assert client.get(edit_url(period, world.task)).status_code == 403


def test_other_agency_and_other_province_cannot_write_the_sonv_report(client, world, period, own_task):
    client.force_login(world.own)
    assert client.get(edit_url(period, own_task)).status_code == 404  # not its task: hidden
    client.force_login(world.other)
    assert client.get(edit_url(period, own_task)).status_code == 404
    other_coordinator = UserFactory(unit=UnitFactory(name="Sở Nội vụ", parent=world.other_province),
                                    role=Role.COORDINATOR)
    client.force_login(other_coordinator)
    assert client.get(edit_url(period, own_task)).status_code == 404


def test_coordinator_contributes_where_its_department_coordinates(client, world, period):
    AssignmentFactory(task=world.task, unit=world.home_affairs, role="coordinating")
    client.force_login(world.coordinator)
    url = reverse("progress:contribution_edit", args=[period.public_id, world.task.public_id])
    assert client.get(url).status_code == 200
    assert client.post(url, {"text": "Đã hướng dẫn nghiệp vụ.", "links": "", "version": "0"}).status_code == 302


def test_leader_and_viewer_of_a_lead_unit_write_nothing(world, period, own_task):
    leader = UserFactory(unit=world.home_affairs, role=Role.LEADER)
    viewer = UserFactory(unit=world.home_affairs, role=Role.VIEWER)
    data = services.ReportInput("in_progress", 10, "x", "")
    for user in (leader, viewer):
        with pytest.raises(PermissionDenied):
            services.report_save(actor=user, period=period, task=own_task, data=data, version=0)


def test_home_counts_only_reports_the_user_may_write(world, period, own_task):
    today = period.start
    assert [w["task"] for w in unit_dashboard(world.coordinator, today).to_write] == [own_task]
    viewer = UserFactory(unit=world.home_affairs, role=Role.VIEWER)
    board = unit_dashboard(viewer, today)
    assert board.to_write == [] and len(board.tasks) == 1
