"""Accounts: bulk import from Excel with a refusal report, password reset in Vietnamese, profile, API tokens."""
import io

import pytest
from django.core import mail
from django.urls import reverse

from chiso.accounts.importing import read_rows
from chiso.accounts.models import Role, User
from tests.factories import UnitFactory, UserFactory


@pytest.fixture(autouse=True)
def locmem(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def xlsx(rows):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["DANH SÁCH TÀI KHOẢN"])
    ws.append(["Họ và tên", "Email", "Đơn vị", "Tỉnh", "Vai trò"])
    for r in rows:
        ws.append(r)
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = "ds.xlsx"
    return buffer


@pytest.fixture
def admin(world):
    return UserFactory(username="admin", role=Role.ADMIN, unit=None)


def test_import_creates_valid_rows_and_reports_refused_ones(client, world, admin, django_capture_on_commit_callbacks):
    UnitFactory(name="Sở Tư pháp", parent=world.other_province)  # same name elsewhere: needs the province
    world.province.name = "Đắk Lắk"
    world.province.save()
    client.force_login(admin)
    upload = xlsx([
        ["Nguyễn Văn A", "a@snv.vn", "Sở Nội vụ", "Đắk Lắk", "Cán bộ đơn vị"],
        ["Trần Thị B", "b@stp.vn", "Sở Tư pháp", "Đắk Lắk", "Lãnh đạo"],
        ["", "c@x.vn", "Sở Nội vụ", "", "Cán bộ"],
        ["Lê C", "khong-phai-email", "Sở Nội vụ", "", "Cán bộ"],
        ["Phạm D", "a@snv.vn", "Sở Nội vụ", "", "Cán bộ"],
        ["Hồ E", "e@x.vn", "Sở Không Có", "", "Cán bộ"],
        ["Vũ F", "f@x.vn", "Sở Tư pháp", "", "Cán bộ"],
        ["Đỗ G", "g@x.vn", "Sở Nội vụ", "", "Giám đốc"],
    ])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:import"), {"file": upload, "send_invites": "on"})
    body = response.content.decode()
    refused = {r.row: r.reasons for r in response.context["result"].refused}
    assert [c.user.username for c in response.context["result"].created] == ["a@snv.vn", "b@stp.vn"]
    assert refused[5] == ["Thiếu họ và tên."]
    assert "không hợp lệ" in refused[6][0]
    assert refused[7] == ["Email “a@snv.vn” trùng với dòng 3."]
    assert "Không tìm thấy đơn vị “Sở Không Có”" in refused[8][0]
    assert "có ở nhiều nơi" in refused[9][0]
    assert "Vai trò “Giám đốc” không rõ" in refused[10][0]
    assert "6 dòng bị từ chối" in body
    a = User.objects.get(username="a@snv.vn")
    assert a.unit == world.home_affairs and a.role == Role.OFFICER and a.full_name == "Nguyễn Văn A"
    assert len(mail.outbox) == 2 and "/tai-khoan/mat-khau/dat-lai/" in mail.outbox[0].body
    # the same list again: everyone is refused as already having an account
    response = client.post(reverse("accounts:import"), {"file": xlsx([["Nguyễn Văn A", "a@snv.vn", "Sở Nội vụ",
                                                                       "Đắk Lắk", "Cán bộ"]])})
    assert response.context["result"].refused[0].reasons == ["Email “a@snv.vn” đã có tài khoản."]


def test_import_without_invites_shows_temporary_passwords_that_work(client, world, admin):
    client.force_login(admin)
    response = client.post(reverse("accounts:import"), {"file": xlsx([["Nguyễn Văn A", "a@snv.vn", "Sở Nội vụ", "",
                                                                       "officer"]])})
    created = response.context["result"].created[0]
    assert created.password and not mail.outbox
    client.logout()
    assert client.login(username="a@snv.vn", password=created.password)


def test_import_is_for_administrators_only(client, three_users):
    for _, user in three_users:
        client.force_login(user)
        assert client.get(reverse("accounts:import")).status_code == 403


def test_import_refuses_a_file_that_is_not_excel(client, admin):
    client.force_login(admin)
    bad = io.BytesIO(b"not excel")
    bad.name = "x.xlsx"
    body = client.post(reverse("accounts:import"), {"file": bad}).content.decode()
    assert "Không đọc được tệp" in body and not User.objects.filter(username__contains="@").exists()


def test_template_reads_back(client, admin):
    client.force_login(admin)
    content = client.get(reverse("accounts:import_template")).content
    rows = read_rows(content)
    assert rows[0].email == "nguyenvana@snv.daklak.gov.vn" and rows[0].role == "Cán bộ đơn vị"


def test_password_reset_in_vietnamese(client, world):
    world.own.email = "own@stp.vn"
    world.own.save()
    response = client.post(reverse("accounts:password_reset"), {"email": "own@stp.vn"})
    assert response.status_code == 302
    message = mail.outbox[0]
    assert message.subject == "[chiso] Đặt lại mật khẩu" and "Kính gửi" in message.body
    link = next(line for line in message.body.splitlines() if "/mat-khau/dat-lai/" in line)
    path = link.split("testserver", 1)[1]
    page = client.get(path, follow=True)
    assert "Đặt mật khẩu mới" in page.content.decode()
    response = client.post(page.redirect_chain[-1][0], {"new_password1": "mat-khau-moi-2025",
                                                        "new_password2": "mat-khau-moi-2025"})
    assert response.status_code == 302
    assert client.login(username="own", password="mat-khau-moi-2025")


def test_login_page_links_to_password_reset(client, db):  # the demo's logins are listed from the database
    assert reverse("accounts:password_reset") in client.get(reverse("login")).content.decode()


def test_profile_digest_switch_and_tokens(client, world):
    client.force_login(world.coordinator)
    client.post(reverse("accounts:profile"), {"action": "digest"})
    world.coordinator.refresh_from_db()
    assert world.coordinator.wants_digest is False
    client.post(reverse("accounts:profile"), {"action": "digest", "wants_digest": "on"})
    world.coordinator.refresh_from_db()
    assert world.coordinator.wants_digest is True
    response = client.post(reverse("accounts:profile"), {"action": "token", "name": "Một cửa"})
    key = response.context["new_key"]
    assert key.startswith("chiso_") and key in response.content.decode()
    assert key not in str(list(world.coordinator.api_tokens.values()))
    assert client.get(reverse("accounts:profile")).content.decode().count(key) == 0
