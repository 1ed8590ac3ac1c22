"""Production settings come from the environment and are secure by default; the local demo
(`make run`, `make test`) needs no environment at all."""
import os
import secrets
import subprocess
import sys

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.urls import reverse

from chiso.common.secret_key import demo_key, secret_key

PRODUCTION = {"CHISO_DEBUG": "0", "CHISO_ALLOWED_HOSTS": "chiso.example", "CHISO_SITE_URL": "https://chiso.example"}


def chiso(args, tmp_path, **env):
    # a clean environment: no CHISO_* but the database, and not the browser tests' async switch
    base = {k: v for k, v in os.environ.items()
            if (not k.startswith("CHISO_") or k == "CHISO_DATABASE_URL") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return subprocess.run([sys.executable, "-m", "chiso.cli", *args], env={**base, "CHISO_VAR_DIR": str(tmp_path), **env},
                          capture_output=True, text=True, timeout=120)


def test_check_deploy_is_clean_in_production(tmp_path):
    out = chiso(["check", "--deploy"], tmp_path, **PRODUCTION, CHISO_SECRET_KEY=secrets.token_urlsafe(50))
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "System check identified no issues (0 silenced).", out.stdout + out.stderr
    assert "WARNING" not in out.stderr


@pytest.mark.parametrize("key", [None, "dev-only-insecure-key-change-me-in-production", "short-key"])
def test_production_refuses_to_start_without_a_key_of_its_own(tmp_path, key):
    env = {**PRODUCTION, **({"CHISO_SECRET_KEY": key} if key else {})}
    out = chiso(["check"], tmp_path, **env)
    assert out.returncode == 2 and "CHISO_SECRET_KEY" in out.stderr and "Traceback" not in out.stderr
    assert not (tmp_path / "secret_key").exists()


def test_local_demo_generates_its_key_once(tmp_path):
    first = demo_key(tmp_path)
    assert len(first) >= 50 and demo_key(tmp_path) == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
    assert secret_key("", local_demo=True, var_dir=tmp_path) == first
    with pytest.raises(ImproperlyConfigured):
        secret_key("", local_demo=False, var_dir=tmp_path)


def test_a_32_character_key_is_stretched_not_refused(tmp_path):
    key = secrets.token_hex(16)
    stretched = secret_key(key, local_demo=False, var_dir=tmp_path)
    assert len(stretched) >= 50 and stretched == secret_key(key, local_demo=False, var_dir=tmp_path)


def test_a_non_local_site_is_not_demo_mode(tmp_path):
    out = chiso(["check"], tmp_path, CHISO_SITE_URL="http://chiso.internal")
    assert out.returncode == 2 and "CHISO_SECRET_KEY" in out.stderr


@pytest.mark.django_db
def test_every_page_carries_the_content_security_policy(client):
    response = client.get(reverse("login"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


@pytest.mark.django_db
def test_anonymous_bodies_are_limited_before_reading(client, settings):
    settings.CHISO_MAX_ANONYMOUS_REQUEST_BYTES = 1000
    response = client.post(reverse("login"), {"username": "x" * 2000, "password": "y"})
    assert response.status_code == 413 and "quá lớn" in response.content.decode()


@pytest.mark.django_db
def test_signed_in_users_may_send_more(client, settings, world):
    settings.CHISO_MAX_ANONYMOUS_REQUEST_BYTES = 1000
    settings.CHISO_MAX_REQUEST_BYTES = 5000
    client.force_login(world.coordinator)
    assert client.post(reverse("search"), {"q": "x" * 2000}).status_code != 413
    assert client.post(reverse("search"), {"q": "x" * 6000}).status_code == 413


@pytest.mark.django_db
def test_head_answers_have_no_body(client):
    response = client.head(reverse("login"))
    assert response.status_code == 200 and response.content == b"" and int(response["Content-Length"]) > 0


@pytest.mark.django_db
def test_healthz(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200 and response.content == b"ok"


@pytest.mark.django_db
@pytest.mark.parametrize("password", ["12345678901", "nguyenvana2024"])
def test_password_validators_refuse_numeric_and_similar_passwords(password):
    from tests.factories import UserFactory

    user = UserFactory(username="nguyenvana", email="nguyenvana@example.gov.vn", full_name="Nguyễn Văn A")
    with pytest.raises(ValidationError):
        validate_password(password, user)
    validate_password("Kế hoạch 2025 của tỉnh!", user)
