"""The users screen: a coordinator (Sở Nội vụ) manages the accounts of its own province only.

Own province: listed, filtered, changed, locked, reset. Another province's account: 404.
Not a coordinator: 403. No escalation (administrator role, a unit outside the province), no
locking oneself out, a stale form refused (409), each change recorded with who and when."""
import pytest
from django.core import mail
from django.urls import reverse

from chiso.accounts import services
from chiso.accounts.models import Role, User
from chiso.common.errors import ConflictError, ServiceError
from chiso.units.models import Unit, UnitKind
from tests.factories import UnitFactory, UserFactory


@pytest.fixture(autouse=True)
def locmem(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def people(world):
    other_coordinator = UserFactory(username="snv.b", unit=UnitFactory(name="Sở Nội vụ", parent=world.other_province),
                                    role=Role.COORDINATOR)
    viewer = UserFactory(username="viewer", unit=world.lead_unit, role=Role.VIEWER, email="viewer@example.vn",
                         full_name="Người Xem")
    return other_coordinator, viewer


def fresh(user):
    user.refresh_from_db()
    return user


def test_list_own_province_only_with_filters(client, world, people, django_assert_max_num_queries):
    other_coordinator, viewer = people
    client.force_login(world.coordinator)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("accounts:users"))
    listed = {u.username for u in response.context["page"].object_list}
    assert listed == {"own", "coordinator", "viewer"}  # not province B's "other" nor its coordinator
    assert "Người dùng" in response.content.decode()
    # found from the units list and the profile, by coordinators only
    for page in ("units:list", "accounts:profile"):
        assert reverse("accounts:users") in client.get(reverse(page)).content.decode()
    client.force_login(world.own)
    for page in ("units:list", "accounts:profile"):
        assert reverse("accounts:users") not in client.get(reverse(page)).content.decode()
    client.force_login(world.coordinator)
    # filter by unit, role and state: GET parameters
    response = client.get(reverse("accounts:users"), {"don-vi": world.lead_unit.public_id, "vai-tro": "viewer"})
    assert [u.username for u in response.context["page"].object_list] == ["viewer"]
    services.user_set_active(actor=world.coordinator, user=viewer, version=viewer.version, active=False)
    response = client.get(reverse("accounts:users"), {"trang-thai": "da-khoa"})
    assert [u.username for u in response.context["page"].object_list] == ["viewer"]
    # another province's unit in the filter is ignored, not a way in
    response = client.get(reverse("accounts:users"), {"don-vi": world.other_unit.public_id})
    assert "other" not in {u.username for u in response.context["page"].object_list}


def test_other_province_is_404_and_non_coordinator_403(client, world, people):
    other_coordinator, viewer = people
    client.force_login(other_coordinator)
    assert client.get(reverse("accounts:user", args=[viewer.public_id])).status_code == 404
    assert client.post(reverse("accounts:user", args=[viewer.public_id]), {"action": "reset"}).status_code == 404
    for user in (world.own, viewer, UserFactory(unit=world.province, role=Role.LEADER)):
        client.force_login(user)
        assert client.get(reverse("accounts:users")).status_code == 403
        assert client.get(reverse("accounts:user", args=[viewer.public_id])).status_code == 403
    with pytest.raises(Exception) as refused:
        services.user_set_active(actor=other_coordinator, user=viewer, version=viewer.version, active=False)
    assert refused.type.__name__ == "Http404"
    assert fresh(viewer).is_active


def test_change_unit_and_role_within_the_province(client, world, people):
    _, viewer = people
    client.force_login(world.coordinator)
    url = reverse("accounts:user", args=[viewer.public_id])
    response = client.post(url, {"action": "save", "version": viewer.version, "unit": world.home_affairs.public_id,
                                 "role": "officer"})
    assert response.status_code == 302
    viewer = fresh(viewer)
    assert (viewer.unit, viewer.role, viewer.version) == (world.home_affairs, Role.OFFICER, 2)
    history = client.get(url).content.decode()
    assert "Sở Tư pháp → Sở Nội vụ" in history and "Người xem → Cán bộ đơn vị" in history


def test_no_escalation(client, world, people):
    _, viewer = people
    ministry = Unit.objects.create(name="Bộ Nội vụ", kind=UnitKind.MINISTRY)
    for unit, role, message in [
        (world.lead_unit, Role.ADMIN, "không được chọn"),
        (ministry, Role.OFFICER, "thuộc tỉnh"),
        (world.other_unit, Role.OFFICER, "thuộc tỉnh"),
    ]:
        with pytest.raises(ServiceError, match=message):
            services.user_update(actor=world.coordinator, user=viewer, version=viewer.version, unit=unit, role=role)
    # through the page: a unit outside the province is refused with a message, nothing saved
    client.force_login(world.coordinator)
    response = client.post(reverse("accounts:user", args=[viewer.public_id]),
                           {"action": "save", "version": viewer.version, "unit": ministry.public_id, "role": "admin"})
    assert response.status_code == 422
    assert "thuộc tỉnh" in response.content.decode()
    viewer = fresh(viewer)
    assert (viewer.unit, viewer.role, viewer.version) == (world.lead_unit, Role.VIEWER, 1)
    # an administrator's account is not the coordinator's to change
    admin = UserFactory(username="admin2", unit=world.home_affairs, role=Role.ADMIN)
    with pytest.raises(ServiceError, match="quản trị"):
        services.user_set_active(actor=world.coordinator, user=admin, version=admin.version, active=False)


def test_cannot_lock_itself_out(world):
    me = world.coordinator
    with pytest.raises(ServiceError, match="tự khóa"):
        services.user_set_active(actor=me, user=me, version=me.version, active=False)
    with pytest.raises(ServiceError, match="vai trò điều phối"):
        services.user_update(actor=me, user=me, version=me.version, unit=me.unit, role=Role.OFFICER)
    assert fresh(me).is_active and me.role == Role.COORDINATOR


def test_deactivate_stops_login_then_reactivate(client, world, people):
    _, viewer = people
    client.force_login(world.coordinator)
    url = reverse("accounts:user", args=[viewer.public_id])
    assert client.post(url, {"action": "deactivate", "version": 1}).status_code == 302
    assert not fresh(viewer).is_active
    assert not client.login(username="viewer", password="secret-pass-1")
    client.force_login(world.coordinator)
    assert client.post(url, {"action": "reactivate", "version": 2}).status_code == 302
    assert fresh(viewer).is_active and viewer.version == 3
    assert [c.text for c in viewer.changes.all()] == ["Mở lại tài khoản", "Khóa tài khoản"]


def test_stale_form_refused(client, world, people):
    _, viewer = people
    shown = viewer.version
    services.user_set_active(actor=world.coordinator, user=viewer, version=shown, active=False)
    with pytest.raises(ConflictError):
        services.user_update(actor=world.coordinator, user=viewer, version=shown, unit=world.lead_unit,
                             role=Role.OFFICER)
    client.force_login(world.coordinator)
    response = client.post(reverse("accounts:user", args=[viewer.public_id]),
                           {"action": "save", "version": shown, "unit": world.lead_unit.public_id, "role": "officer"})
    assert response.status_code == 409
    assert "vừa được" in response.content.decode()
    assert fresh(viewer).role == Role.VIEWER


def test_password_reset_email(client, world, people, django_capture_on_commit_callbacks):
    _, viewer = people
    client.force_login(world.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:user", args=[viewer.public_id]), {"action": "reset"})
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["viewer@example.vn"]]
    assert "/tai-khoan/mat-khau/dat-lai/" in mail.outbox[0].body
    assert "Đặt lại mật khẩu" in mail.outbox[0].subject
    no_email = UserFactory(unit=world.lead_unit, email="")
    with pytest.raises(ServiceError, match="email"):
        services.user_send_password_reset(actor=world.coordinator, user=no_email)


def test_user_model_is_named_in_vietnamese():
    assert User._meta.verbose_name == "người dùng"


def test_django_admin_is_in_vietnamese_and_lists_users(client, world):
    """Staff open /quan-tri/: no English model names ("Task Results", "Access attempts"), and
    a users' list with unit and role, each account with the changes made on the users screen."""
    root = UserFactory(username="root", role=Role.ADMIN, unit=None)
    root.is_staff = root.is_superuser = True
    root.save()
    services.user_set_active(actor=root, user=world.own, version=world.own.version, active=False)
    client.force_login(root)
    index = client.get("/quan-tri/").content.decode()
    for english in ("Task Results", "Access attempts", "Access logs", "Access failures", "Tasks Database Backend"):
        assert english not in index
    assert "kết quả tác vụ nền" in index.lower() and "Người dùng" in index
    users = client.get("/quan-tri/accounts/user/", {"q": "own"})
    assert users.status_code == 200 and "Sở Tư pháp" in users.content.decode()
    change = client.get(f"/quan-tri/accounts/user/{world.own.pk}/change/")
    assert change.status_code == 200 and "Khóa tài khoản" in change.content.decode()
