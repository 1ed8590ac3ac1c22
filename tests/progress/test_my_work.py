"""“Việc của tôi”: per role, each count links to its list; a province leader sees the province."""
import datetime as dt

import pytest
from django.urls import reverse

from chiso.accounts.models import Role
from chiso.progress import services
from tests.factories import UserFactory


@pytest.fixture
def overdue(world):
    world.task.due_date = dt.date(2020, 1, 1)
    world.task.save()
    return world.task


def counts(body):
    import re

    return {k: int(n) for k, n in re.findall(
        r'data-testid="count-([a-z-]+)"><div class="card-body py-2"><div class="small text-muted">[^<]*</div>'
        r'<div class="fs-4[^"]*">(\d+)<', body)}


def test_leader_sees_the_provinces_overdue_tasks_not_zeros(client, world, overdue):
    leader = UserFactory(unit=world.province, role=Role.LEADER)
    client.force_login(leader)
    body = client.get(reverse("home")).content.decode()
    assert counts(body)["qua-han"] == 1 and "cho-duyet" not in counts(body)
    listing = client.get(reverse("progress:home"), {"viec": "qua-han"}).content.decode()
    assert world.task.text in listing and "Đơn vị chưa được giao nhiệm vụ nào" not in listing


def test_officer_counts_link_to_their_lists(client, world, period, overdue, submitted):
    services.report_review(actor=world.coordinator, report=submitted, accept=False, comment="Bổ sung.")
    client.force_login(world.own)
    body = client.get(reverse("home")).content.decode()
    got = counts(body)
    assert got["qua-han"] == 1 and got["can-viet"] == 1 and got["bi-tra-lai"] == 1 and "cho-duyet" not in got
    assert f'href="{reverse("progress:home")}?viec=bi-tra-lai"' in body
    returned = client.get(reverse("progress:home"), {"viec": "bi-tra-lai"}).content.decode()
    assert "Báo cáo bị trả lại" in returned and world.task.text in returned


def test_other_agency_sees_none_of_it(client, world, period, overdue):
    client.force_login(world.other)
    got = counts(client.get(reverse("home")).content.decode())
    assert got["qua-han"] == 0 and got["can-viet"] == 0


def test_coordinator_sees_reviews_and_the_province(client, world, period, overdue, submitted):
    client.force_login(world.coordinator)
    got = counts(client.get(reverse("home")).content.decode())
    assert got["cho-duyet"] == 1 and got["qua-han"] == 1 and got["can-viet"] == 0


def test_a_department_leader_leads_their_own_unit_not_the_province(client, world, overdue):
    """The leader who approves a department's self-assessment is not the province's leader: the
    tasks another agency leads stay hidden (a 404 on that agency's report form)."""
    from chiso.accounts.policies import oversees_province
    from chiso.progress.models import ReportingPeriod
    from tests.factories import UnitFactory

    department_leader = UserFactory(unit=UnitFactory(name="Sở Xây dựng", parent=world.province), role=Role.LEADER)
    province_leader = UserFactory(unit=world.province, role=Role.LEADER)
    assert oversees_province(province_leader) and not oversees_province(department_leader)
    period = ReportingPeriod.objects.create(plan=world.plan, name="Quý I/2025", start=dt.date(2025, 1, 1),
                                            end=dt.date(2025, 3, 31), due_date=dt.date(2025, 4, 5))
    client.force_login(department_leader)
    form = reverse("progress:report_edit", args=[period.public_id, world.task.public_id])
    assert client.get(form).status_code == 404
    listing = client.get(reverse("progress:home"), {"viec": "qua-han"}).content.decode()
    assert world.task.text not in listing
