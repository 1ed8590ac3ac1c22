"""Results tables are shared reference data: the national table is replaced only by users with
national scope, every import is a new version (source, importer) that can be restored, and a
province keeps private tables that nobody else sees."""
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from chiso.accounts.models import Role
from chiso.common.errors import ConflictError
from chiso.scores.models import PublishedResult, ResultsTable
from chiso.scores.services import ResultLine, results_table_restore, results_table_save
from chiso.units.models import UnitKind
from tests.analysis.test_imports import xlsx
from tests.factories import UnitFactory, UserFactory

FIRST = [["Xếp hạng", "Tỉnh, thành phố", "Điểm"], [1, "Hải Phòng", "96,17"], [2, "Tỉnh A", 92.5], [3, "Tỉnh B", 91]]
SECOND = [["Xếp hạng", "Tỉnh, thành phố", "Điểm"], [1, "Tỉnh A", 97], [2, "Hải Phòng", 96.17], [3, "Tỉnh B", 91]]


@pytest.fixture
def ministry(world):
    unit = UnitFactory(name="Bộ Nội vụ", kind=UnitKind.MINISTRY, parent=None)
    return UserFactory(username="bnv", unit=unit, role=Role.COORDINATOR, full_name="Trần Thị Bộ")


def post_table(client, rows, *, file_name="bang.xlsx", **extra):
    return client.post(reverse("analysis:import_table"), {"index": "PAR_INDEX", "year": "2024",
                                                         "file": SimpleUploadedFile(file_name, xlsx(rows)), **extra})


def national() -> dict:
    return {r.unit_name: (r.total, r.rank) for r in PublishedResult.objects.filter(index="PAR_INDEX", year=2024)}


def test_a_province_coordinator_cannot_replace_the_national_table(client, frameworks, world, ministry):
    client.force_login(ministry)
    assert post_table(client, FIRST).status_code == 302
    before = national()
    client.force_login(world.coordinator)
    for scope in ("", "quoc-gia"):
        assert post_table(client, SECOND, scope=scope).status_code == 403
    assert national() == before and ResultsTable.objects.get().version == 1
    table = ResultsTable.objects.get()
    assert client.post(reverse("analysis:table_restore", args=[table.public_id]),
                       {"number": 1, "version": 1}).status_code == 403
    with pytest.raises(PermissionDenied):  # the service refuses on its own, whatever calls it
        results_table_save(actor=world.coordinator, index="PAR_INDEX", year=2024,
                           lines=[ResultLine("Tỉnh A", None, 1)])
    assert national() == before


def test_a_national_import_is_a_new_version_with_its_source_and_importer_and_can_be_restored(
        client, frameworks, world, ministry):
    client.force_login(ministry)
    post_table(client, FIRST, file_name="par-2024.xlsx")
    response = post_table(client, SECOND, file_name="par-2024-sua.xlsx")
    table = ResultsTable.objects.get(owner__isnull=True)
    assert response["Location"] == reverse("analysis:table", args=[table.public_id])
    assert table.version == 2 and national()["Tỉnh A"][1] == 1
    v1, v2 = table.versions.order_by("number")
    assert (v1.source, v1.imported_by, v2.source) == ("Nhập từ tệp par-2024.xlsx", ministry,
                                                       "Nhập từ tệp par-2024-sua.xlsx")
    page = client.get(reverse("analysis:table", args=[table.public_id])).content.decode()
    assert "Trần Thị Bộ" in page and "par-2024-sua.xlsx" in page and "Khôi phục" in page
    client.force_login(world.other)  # everyone reads the national table and its history
    page = client.get(reverse("analysis:table", args=[table.public_id])).content.decode()
    assert "par-2024.xlsx" in page and "Khôi phục" not in page
    client.force_login(ministry)
    response = client.post(reverse("analysis:table_restore", args=[table.public_id]), {"number": 1, "version": 2})
    assert response.status_code == 302
    table.refresh_from_db()
    assert table.version == 3 and table.current.restored_from == v1 and national()["Tỉnh A"][1] == 2
    assert table.versions.count() == 3  # nothing was lost: version 2 is still there to restore


def test_a_stale_table_form_is_refused_naming_the_newer_version(client, frameworks, world, ministry):
    admin = UserFactory(username="qt", role=Role.ADMIN, unit=None, full_name="Lê Quản Trị")
    client.force_login(ministry)
    post_table(client, FIRST)
    table = ResultsTable.objects.get()
    page = client.get(reverse("analysis:table", args=[table.public_id])).content.decode()
    shown = re.search(r'name="version" value="(\d+)"', page).group(1)
    client.force_login(admin)  # someone else imports meanwhile, from the same page
    assert post_table(client, SECOND, file_name="moi.xlsx", version=shown, scope="quoc-gia").status_code == 302
    client.force_login(ministry)
    response = post_table(client, FIRST, file_name="cu.xlsx", version=shown, scope="quoc-gia")
    text = response.content.decode()
    assert response.status_code == 409 and "phiên bản 2 do Lê Quản Trị nạp" in text and "moi.xlsx" in text
    assert national()["Tỉnh A"][1] == 1  # the second writer's table is kept
    with pytest.raises(ConflictError):
        results_table_restore(actor=ministry, table=table, number=1, version=int(shown))


def test_a_private_table_is_seen_and_used_only_in_its_province(client, frameworks, world):
    client.force_login(world.coordinator)
    response = post_table(client, SECOND, scope="rieng", file_name="du-bao.xlsx", name="Dự báo 2024")
    assert response.status_code == 302
    table = ResultsTable.objects.get()
    assert table.owner == world.province and table.name == "Dự báo 2024" and not PublishedResult.objects.exists()
    assert "Dự báo 2024" in client.get(reverse("analysis:rankings")).content.decode()
    targets = reverse("analysis:targets", args=[world.province.public_id, frameworks["PAR_INDEX"].public_id, 2025])
    page = client.get(f"{targets}?bang={table.public_id}").content.decode()
    assert "so với bảng riêng “Dự báo 2024” năm 2024" in page
    other_coordinator = UserFactory(username="snv-b", role=Role.COORDINATOR,
                                    unit=UnitFactory(name="Sở Nội vụ B", parent=world.other_province))
    client.force_login(other_coordinator)
    assert client.get(reverse("analysis:table", args=[table.public_id])).status_code == 404
    assert client.post(reverse("analysis:table_restore", args=[table.public_id]),
                       {"number": 1, "version": 1}).status_code == 404
    assert "Dự báo 2024" not in client.get(reverse("analysis:rankings")).content.decode()
    page = client.get(f"{targets.replace(world.province.public_id, world.other_province.public_id)}"
                      f"?bang={table.public_id}").content.decode()
    assert "Dự báo 2024" not in page
    with pytest.raises(PermissionDenied):
        results_table_save(actor=other_coordinator, index="PAR_INDEX", year=2024, owner=world.province,
                           lines=[ResultLine("Tỉnh A", None, 1)])
    # B's own table of the same name is another table
    assert post_table(client, FIRST, scope="rieng", name="Dự báo 2024").status_code == 302
    assert ResultsTable.objects.filter(name="Dự báo 2024").count() == 2
