"""Brute force: a login is locked per username and client address after repeated failures,
with a Vietnamese message, until the lock-out period passes or an administrator unlocks it;
password-reset emails are rate-limited."""
import pytest
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse

from chiso.common.http import client_ip
from tests.factories import UserFactory

LOGIN = "/dang-nhap/"


def attempt(client, username, password, ip="203.0.113.7"):
    return client.post(reverse("login"), {"username": username, "password": password}, HTTP_X_FORWARDED_FOR=ip)


@pytest.fixture
def officer(world):
    return world.own  # password "secret-pass-1"


def test_fifty_wrong_passwords_then_the_right_one_does_not_log_in(client, officer, settings):
    settings.AXES_FAILURE_LIMIT = 5
    statuses = [attempt(client, "own", f"sai-{i}").status_code for i in range(50)]
    assert statuses == [200] * 4 + [429] * 46  # the fifth failure locks
    response = attempt(client, "own", "secret-pass-1")
    body = response.content.decode()
    assert response.status_code == 429 and "tạm bị khóa đăng nhập" in body and "quản trị hệ thống" in body
    assert "_auth_user_id" not in client.session
    # the same username from another address, and another username from this one, still log in
    assert attempt(client, "own", "secret-pass-1", ip="198.51.100.9").status_code == 302
    client.logout()
    assert attempt(client, "coordinator", "secret-pass-1").status_code == 302


def test_the_administrator_unlocks(client, officer, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        attempt(client, "own", "sai")
    admin = UserFactory(username="quantri", role="admin")
    client.force_login(officer)
    assert client.get(reverse("accounts:lockouts")).status_code == 403
    client.force_login(admin)
    page = client.get(reverse("accounts:lockouts"))
    assert "own" in page.content.decode() and "203.0.113.7" in page.content.decode()
    attempt_id = page.context["attempts"][0].pk
    response = client.post(reverse("accounts:lockouts"), {"attempt": attempt_id}, follow=True)
    assert "Đã mở khóa đăng nhập cho “own”" in response.content.decode()
    client.logout()
    assert attempt(client, "own", "secret-pass-1").status_code == 302


def test_a_right_password_before_the_limit_clears_the_count(client, officer, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(2):
        attempt(client, "own", "sai")
    assert attempt(client, "own", "secret-pass-1").status_code == 302
    client.logout()
    for _ in range(2):
        attempt(client, "own", "sai")
    assert attempt(client, "own", "secret-pass-1").status_code == 302


def test_password_reset_emails_are_rate_limited(client, officer, settings):
    settings.CHISO_PASSWORD_RESETS_PER_HOUR = 3
    officer.email = "own@stp.vn"
    officer.save()
    statuses = [client.post(reverse("accounts:password_reset"), {"email": "own@stp.vn"}).status_code for _ in range(20)]
    assert statuses == [302] * 3 + [429] * 17 and len(mail.outbox) == 3
    response = client.post(reverse("accounts:password_reset"), {"email": "OWN@stp.vn"})
    assert response.status_code == 429 and "quá nhiều yêu cầu" in response.content.decode()
    # an address without an account is counted the same way: the limit reveals nothing
    assert [client.post(reverse("accounts:password_reset"), {"email": "khong-co@x.vn"}).status_code
            for _ in range(4)] == [302, 302, 302, 429]
    # and one client cannot go through many addresses either
    codes = [client.post(reverse("accounts:password_reset"), {"email": f"a{i}@x.vn"}).status_code for i in range(12)]
    assert 429 in codes


@pytest.mark.parametrize("forwarded,proxies,expected", [
    ("", 1, "10.0.0.5"),                                 # direct: the socket's address
    ("203.0.113.7", 1, "203.0.113.7"),                   # through nginx
    ("1.2.3.4, 203.0.113.7", 1, "203.0.113.7"),          # a client's forged entry is ignored
    ("1.2.3.4, 203.0.113.7, 10.1.1.1", 2, "203.0.113.7"),  # a load balancer, then nginx
    ("not-an-ip", 1, "10.0.0.5"),
    ("203.0.113.7", 0, "10.0.0.5"),                      # no proxy trusted
])
def test_client_address_behind_proxies(settings, forwarded, proxies, expected):
    settings.CHISO_TRUSTED_PROXIES = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", **({"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}))
    assert client_ip(request) == expected
