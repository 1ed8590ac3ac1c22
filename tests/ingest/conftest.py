"""Fixtures of the upload tests: media in a temporary folder, the real DB worker, a coordinator."""
import pytest

from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def worker_keeps_the_test_connection(monkeypatch):
    """The worker closes "old" connections between tasks; inside a test's transaction Django
    counts the connection as obsolete (autocommit is off), and on PostgreSQL closing it would
    drop the test's data. Everything else in the real worker runs as in production."""
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)


@pytest.fixture
def coordinator(demo_reference):
    from chiso.units.reference import province

    snv = province("Đắk Nông").children.get(name="Sở Nội vụ")
    return UserFactory(username="snv-dn", unit=snv, role="coordinator")
