"""Whole pages kept per reader (chiso.common.pages): the second visit costs the session, the user,
and the generations, and still shows every write, the reader's own unread badge and messages,
and a CSRF token of the browser's own."""
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chiso.accounts.models import Role
from chiso.common import pages
from chiso.plans.models import Task
from chiso.progress.models import Notification
from tests.factories import UnitFactory, UserFactory

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"')


def plan_url(world) -> str:
    return reverse("plans:detail", args=[world.plan.public_id])


def without_tokens(html: str) -> str:
    return re.sub(r"[A-Za-z0-9]{64}", "TOKEN", html)


def test_the_second_visit_is_the_same_page_from_three_queries(client, world):
    client.force_login(world.coordinator)
    first = client.get(plan_url(world)).content.decode()
    with CaptureQueriesContext(connection) as queries:
        second = client.get(plan_url(world)).content.decode()
    # session, user, generations
    assert len(queries) <= 3, [q["sql"][:80] for q in queries]
    assert without_tokens(second) == without_tokens(first)
    assert world.task.text in second


def test_the_token_in_a_page_from_the_cache_is_the_browsers_own(world):
    """Two browsers of the same person: each gets a token that its own CSRF cookie accepts."""
    browsers = [Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)]
    tokens = []
    for browser in browsers:
        browser.force_login(world.coordinator)
        html = browser.get(reverse("home")).content.decode()
        tokens.append(CSRF.search(html).group(1))
    # the second page came from the cache (see the first test); a POST with its token passes CSRF
    response = browsers[1].post(reverse("logout"), {"csrfmiddlewaretoken": tokens[1]})
    assert response.status_code == 302
    # a token read from another browser's page is refused by this one
    response = browsers[0].post(reverse("logout"), {"csrfmiddlewaretoken": "x" * 64})
    assert response.status_code == 403


def test_a_write_shows_at_once(client, world):
    client.force_login(world.coordinator)
    client.get(plan_url(world))
    Task.objects.filter(pk=world.task.pk).update(text="Nhiệm vụ sửa sau khi trang đã lưu")
    assert "Nhiệm vụ sửa sau khi trang đã lưu" in client.get(plan_url(world)).content.decode()


def test_a_write_to_a_table_the_page_was_not_read_from_keeps_it(client, world):
    """A report draft saved (progress reports, their history) leaves the plan page in the cache."""
    import datetime as dt

    from chiso.progress.models import ProgressReport, ReportingPeriod

    period = ReportingPeriod.objects.create(plan=world.plan, name="Quý IV/2025", start=dt.date(2025, 10, 1),
                                            end=dt.date(2025, 12, 31), due_date=dt.date(2025, 12, 15))

    client.force_login(world.coordinator)
    first = client.get(plan_url(world)).content.decode()
    ProgressReport.objects.create(period=period, task=world.task, unit=world.lead_unit, percent=10)
    with CaptureQueriesContext(connection) as queries:
        second = client.get(plan_url(world)).content.decode()
    assert len(queries) <= 3, [q["sql"][:80] for q in queries]
    assert without_tokens(second) == without_tokens(first)


def test_a_renamed_plan_shows_at_once(client, world):
    """The plan is read before its cached tables are looked up: its table is still one of theirs."""
    client.force_login(world.coordinator)
    client.get(plan_url(world))
    world.plan.__class__.objects.filter(pk=world.plan.pk).update(title="Kế hoạch đổi tên")
    assert "Kế hoạch đổi tên" in client.get(plan_url(world)).content.decode()


def test_each_reader_has_their_own_page(client, world):
    bystander = UserFactory(username="bystander", unit=UnitFactory(name="Sở Xây dựng", parent=world.province),
                            role=Role.OFFICER)
    client.force_login(world.coordinator)
    coordinator_page = client.get(plan_url(world)).content.decode()
    client.force_login(bystander)
    bystander_page = client.get(plan_url(world)).content.decode()
    assert world.coordinator.display_name in coordinator_page
    assert world.coordinator.display_name not in bystander_page
    assert bystander.display_name in bystander_page


def test_the_unread_badge_is_never_stale(client, world):
    """A notification written (by a reminder, a review) or read is a write to a table every page reads."""
    client.force_login(world.own)
    assert 'data-testid="unread-count"' not in client.get(plan_url(world)).content.decode()
    Notification.objects.create(recipient=world.own, kind="task_due", key="k1", text="Sắp đến hạn")
    html = client.get(plan_url(world)).content.decode()
    assert re.search(r'data-testid="unread-count">1<', html)


def test_a_waiting_message_is_shown_not_swallowed(client, world):
    """A refused action writes nothing (the page stays valid) and sends the person back to the
    page they came from with the reason: that page is rendered, not served from the cache."""
    client.force_login(world.coordinator)
    client.get(plan_url(world))  # stored
    response = client.post(reverse("plans:discard", args=[world.plan.public_id]), {"version": "0"}, follow=True)
    assert response.redirect_chain[-1][0] == plan_url(world)
    message = next(iter(response.context["messages"])).message
    assert message in response.content.decode()
    assert message not in client.get(plan_url(world)).content.decode()  # shown once


def test_a_reader_who_loses_the_right_is_refused_at_once(client, world):
    url = reverse("progress:plan_dashboard", args=[world.plan.public_id])
    client.force_login(world.coordinator)
    assert client.get(url).status_code == 200
    world.coordinator.role = Role.OFFICER
    world.coordinator.save()
    assert client.get(url).status_code == 403


def test_htmx_requests_and_posts_go_to_the_view(client, world, monkeypatch):
    client.force_login(world.coordinator)
    client.get(plan_url(world))
    calls = []
    monkeypatch.setattr(pages.cache, "get", lambda key, *a, **k: calls.append(key))
    client.get(plan_url(world), headers={"HX-Request": "true"})
    client.post(plan_url(world))
    assert not [key for key in calls if key.startswith("chiso:page:")]
    client.get(plan_url(world))
    assert [key for key in calls if key.startswith("chiso:page:")]


@pytest.mark.parametrize("name", ["home", "plan", "gap", "plan-dashboard", "report-form"])
def test_the_load_benchmarks_pages_are_kept(name):
    from django.urls import get_resolver

    kept = set()
    for pattern in get_resolver().url_patterns:
        for p in getattr(pattern, "url_patterns", [pattern]):
            view = getattr(p, "callback", None)
            while view is not None:
                if getattr(view, "chiso_cached_page", None):
                    kept.add(view.chiso_cached_page)
                    break
                view = getattr(view, "__wrapped__", None)
    assert name in kept
