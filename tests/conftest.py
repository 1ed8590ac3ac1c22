"""Shared fixtures: the bundled frameworks, and the three users every view is tested with."""
from types import SimpleNamespace

import pytest

from chiso.accounts.models import Role
from tests.factories import AssignmentFactory, PlanItemFactory, PlanTableFactory, ProvinceFactory, UnitFactory, UserFactory


def pytest_configure(config):
    from django.conf import settings

    # PBKDF2's deliberate slowness is the point in production and 0.15 s per test user here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The SQLite test database lives in memory with a shared cache: table locks and no busy
    # wait, so IMMEDIATE transactions (made for the file that web and worker processes share)
    # would make live-server threads fail instead of queueing. tests/web/test_sqlite_writers.py
    # runs them on a file, as in production.
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        settings.DATABASES["default"].get("OPTIONS", {}).pop("transaction_mode", None)
    # A page's cached fragment is a template partial rendered on its own (chiso.common.fragments):
    # like whole templates, it reports its context to the test client (response.context) when rendered.
    from django.test.utils import instrumented_test_render
    from template_partials.templatetags.partials import TemplateProxy

    TemplateProxy._render = instrumented_test_render


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The bundled frameworks are loaded once into the test database; each test's transaction
    rolls back over them. (Tests on a live server flush the database: `frameworks` then
    loads them again.)"""
    from chiso.frameworks.services import bundled_frameworks_load

    with django_db_blocker.unblock():
        bundled_frameworks_load(actor=None)


@pytest.fixture
def frameworks(db):
    from chiso.frameworks.services import bundled_frameworks_load

    return {r.version.framework.index: r.version for r in bundled_frameworks_load(actor=None)}


@pytest.fixture
def world(db):
    """Two provinces. In province A: the Sở Nội vụ coordinator, a lead unit's officer and a plan
    whose task that unit leads. In province B: another agency's officer."""
    province = ProvinceFactory(name="Tỉnh A")
    other_province = ProvinceFactory(name="Tỉnh B")
    home_affairs = UnitFactory(name="Sở Nội vụ", parent=province)
    lead_unit = UnitFactory(name="Sở Tư pháp", parent=province)
    other_unit = UnitFactory(name="Sở Tư pháp", parent=other_province)
    table = PlanTableFactory(plan__issuer=province)
    item = PlanItemFactory(table=table, code="2.1", name="Theo dõi thi hành pháp luật")
    assignment = AssignmentFactory(task__item=item, unit=lead_unit, role="lead")
    return SimpleNamespace(
        province=province, other_province=other_province, home_affairs=home_affairs, lead_unit=lead_unit,
        other_unit=other_unit, plan=table.plan, table=table, item=item, task=assignment.task,
        own=UserFactory(username="own", unit=lead_unit, role=Role.OFFICER),
        other=UserFactory(username="other", unit=other_unit, role=Role.OFFICER),
        coordinator=UserFactory(username="coordinator", unit=home_affairs, role=Role.COORDINATOR),
    )


@pytest.fixture
def three_users(world):
    """(name, user) for the own agency, another agency and the coordinator (appraiser)."""
    return [("own", world.own), ("other", world.other), ("coordinator", world.coordinator)]


@pytest.fixture
def demo_reference(frameworks):
    """The bundled frameworks and the reference units of the demo provinces."""
    from chiso.demo.steps import load_reference_units

    load_reference_units(lambda line: None)
    return frameworks
