"""Fixtures of the progress tests, on top of the three-user `world`."""
import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chiso.accounts.models import Role
from chiso.progress import services
from chiso.progress.models import ReportingPeriod
from tests.factories import AssignmentFactory, UnitFactory, UserFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="bien-ban.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def period(world):
    return ReportingPeriod.objects.create(plan=world.plan, name="Quý IV/2025", start=dt.date(2025, 10, 1),
                                          end=dt.date(2025, 12, 31), due_date=dt.date(2025, 12, 15))


@pytest.fixture
def partner(world):
    """An officer of a unit of province A that coordinates the world's task."""
    unit = UnitFactory(name="Sở Tài chính", parent=world.province)
    AssignmentFactory(task=world.task, unit=unit, role="coordinating")
    return UserFactory(username="partner", unit=unit, role=Role.OFFICER, email="partner@example.vn")


@pytest.fixture
def draft(world, period):
    data = services.ReportInput("in_progress", 40, "Đã ban hành kế hoạch kiểm tra.", "")
    return services.report_save(actor=world.own, period=period, task=world.task, data=data, version=0)


@pytest.fixture
def submitted(world, period):
    data = services.ReportInput("done", 100, "Đã tổ chức kiểm tra 5 cơ quan.", "")
    return services.report_save(actor=world.own, period=period, task=world.task, data=data, version=0, submit=True,
                                files=[pdf()])
