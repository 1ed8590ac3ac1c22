"""Unit writes check their actor; merging an unverified unit moves everything that points at it."""
import pytest
from django.core.exceptions import PermissionDenied

from chiso.accounts.models import Role
from chiso.common.errors import ServiceError
from chiso.plans.models import Assignment
from chiso.units.models import Unit, UnitKind
from chiso.units.services import unit_add_alias, unit_create, unit_merge
from tests.factories import AssignmentFactory, ProvinceFactory, UnitFactory, UserFactory


@pytest.fixture
def province_a(db):
    return ProvinceFactory(name="Tỉnh A")


def test_a_coordinator_adds_units_in_their_province_only(province_a):
    coordinator = UserFactory(unit=UnitFactory(parent=province_a, name="Sở Nội vụ"), role=Role.COORDINATOR)
    unit = unit_create(actor=coordinator, name="Sở Mới", kind=UnitKind.DEPARTMENT, parent=province_a)
    assert unit.history.get().history_user == coordinator
    other = ProvinceFactory(name="Tỉnh B")
    with pytest.raises(PermissionDenied):
        unit_create(actor=coordinator, name="Sở Lạ", kind=UnitKind.DEPARTMENT, parent=other)
    with pytest.raises(PermissionDenied):  # a province is created only with national scope
        unit_create(actor=coordinator, name="Tỉnh C", kind=UnitKind.PROVINCE)
    officer = UserFactory(unit=unit, role=Role.OFFICER)
    with pytest.raises(PermissionDenied):
        unit_add_alias(actor=officer, unit=unit, alias="SM")
    assert not Unit.objects.filter(name__in=["Sở Lạ", "Tỉnh C"]).exists()


def test_merging_an_unverified_unit_moves_its_assignments_users_and_children(province_a):
    coordinator = UserFactory(unit=UnitFactory(parent=province_a, name="Sở Nội vụ"), role=Role.COORDINATOR)
    real = UnitFactory(parent=province_a, name="Sở Tư pháp")
    guessed = UnitFactory(parent=province_a, name="Sở Tư Pháp tỉnh", verified=False)
    assignment = AssignmentFactory(unit=guessed, role="lead")
    user = UserFactory(unit=guessed)
    child = UnitFactory(parent=guessed, name="Phòng thử")
    unit_merge(actor=coordinator, unit=guessed, into=real)
    assert not Unit.objects.filter(pk=guessed.pk).exists()
    assert Assignment.objects.get(pk=assignment.pk).unit == real
    user.refresh_from_db(), child.refresh_from_db()
    assert user.unit == real and child.parent == real
    assert real.aliases.filter(name="Sở Tư Pháp tỉnh").exists()
    with pytest.raises(ServiceError):
        unit_merge(actor=coordinator, unit=real, into=real)
