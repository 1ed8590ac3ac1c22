from decimal import Decimal

import pytest

from chiso.common.errors import ServiceError
from chiso.frameworks.models import Criterion, FrameworkVersion
from chiso.frameworks.selectors import version_for
from chiso.frameworks.services import bundled_frameworks_load, framework_version_load

ENTRY = {"framework": "test-fw", "index": "PAR_INDEX", "name": "Thử", "label": "v1", "first_year": 2022,
         "last_year": 2024, "total": "10"}


@pytest.fixture
def empty(db):
    """No framework, whatever the session preloaded (rolled back after the test)."""
    from chiso.frameworks.models import Framework

    Framework.objects.all().delete()


def test_bundled_frameworks_load_once(empty):
    first = bundled_frameworks_load()
    second = bundled_frameworks_load()
    assert [r.created for r in first] == [True, True, True]
    assert [r.created for r in second] == [False, False, False]
    par = first[0].version
    assert par.criteria.count() == 133 and par.total_points == Decimal(100)
    assert Criterion.objects.get(version=par, code="8").max_points == Decimal("16.5")
    assert Criterion.objects.get(version=par, code="1.3.1").parent.code == "1.3"


def test_version_for_year(frameworks):
    assert version_for("PAR_INDEX", 2023).label == "QĐ 876/QĐ-BNV"
    assert version_for("PAR_INDEX", 2019) is None


def test_tree_not_adding_up_is_refused_naming_the_criterion(empty):
    rows = [{"code": "1", "name": "A", "max_points": Decimal(5), "method": ""},
            {"code": "1.1", "name": "a", "max_points": Decimal(2), "method": "appraisal"},
            {"code": "1.2", "name": "b", "max_points": Decimal(2), "method": "appraisal"},
            {"code": "2", "name": "B", "max_points": Decimal(5), "method": "survey"}]
    with pytest.raises(ServiceError) as exc:
        framework_version_load(actor=None, entry=ENTRY, rows=rows)
    assert any(d.startswith("1 A") for d in exc.value.details)
    assert not FrameworkVersion.objects.exists()


def test_same_label_with_other_tree_is_refused(db):
    rows = [{"code": "1", "name": "A", "max_points": Decimal(10), "method": "survey"}]
    framework_version_load(actor=None, entry=ENTRY, rows=rows)
    rows[0]["max_points"] = Decimal(9)
    with pytest.raises(ServiceError, match="nhãn phiên bản mới"):
        framework_version_load(actor=None, entry={**ENTRY, "total": "9"}, rows=rows)


def test_a_national_framework_is_loaded_only_with_national_scope(frameworks):
    from django.core.exceptions import PermissionDenied

    from tests.factories import UnitFactory, UserFactory

    coordinator = UserFactory(unit=UnitFactory(), role="coordinator")
    with pytest.raises(PermissionDenied):
        framework_version_load(actor=coordinator, entry=ENTRY, rows=[])
    assert not FrameworkVersion.objects.filter(label="v1", framework__code="test-fw").exists()


def test_a_provinces_own_framework_is_read_within_its_scope(frameworks):
    from chiso.frameworks.models import Framework
    from chiso.frameworks.policies import frameworks_visible_to, versions_visible_to
    from tests.factories import ProvinceFactory, UnitFactory, UserFactory

    province_a, province_b = ProvinceFactory(), ProvinceFactory()
    own = Framework.objects.create(code="a-own", index="PAR_INDEX", name="Chỉ số CCHC các sở", owner=province_a)
    version = FrameworkVersion.objects.create(framework=own, label="2025", first_year=2025, total_points=100)
    reader_a = UserFactory(unit=UnitFactory(parent=province_a))
    reader_b = UserFactory(unit=UnitFactory(parent=province_b))
    national = FrameworkVersion.objects.filter(framework__owner__isnull=True)
    assert set(versions_visible_to(reader_a)) == set(national) | {version}
    assert set(versions_visible_to(reader_b)) == set(national)
    assert own in frameworks_visible_to(reader_a) and own not in frameworks_visible_to(reader_b)
