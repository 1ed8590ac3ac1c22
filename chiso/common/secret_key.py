"""The secret key: required for a deployment, generated once for the local demo.

Django signs sessions, password-reset links and CSRF tokens with it, so a public key
(the old built-in default, or none at all) on a real server lets anyone forge a login.
A deployment is refused at start-up without a key of its own. The local demo
(`make run`, `make test`: CHISO_SITE_URL unset or http://127.0.0.1) needs no setting:
it generates a random key once and keeps it in var/secret_key, so logins survive restarts.
"""
from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

# Keys that were public at some point: refused even when set explicitly.
PUBLIC_KEYS = {"dev-only-insecure-key-change-me-in-production", "change-me", "secret"}
MIN_LENGTH = 32
GENERATE = "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"


def secret_key(value: str, *, local_demo: bool, var_dir: Path) -> str:
    value = value.strip()
    if value:
        return checked(value, "CHISO_SECRET_KEY")
    if not local_demo:
        raise ImproperlyConfigured(
            "Thiếu CHISO_SECRET_KEY: máy chủ không khởi động khi chưa có khóa bí mật riêng "
            f"(CHISO_SITE_URL không phải bản chạy thử trên máy này). Tạo một khóa: {GENERATE}")
    return demo_key(var_dir)


def checked(value: str, name: str) -> str:
    if value in PUBLIC_KEYS or value.startswith("django-insecure-"):
        raise ImproperlyConfigured(f"{name} là khóa mặc định, công khai: hãy đặt một khóa riêng. Tạo một khóa: {GENERATE}")
    if len(value) < MIN_LENGTH or len(set(value)) < 5:
        raise ImproperlyConfigured(f"{name} quá ngắn hoặc quá đơn giản (cần ít nhất {MIN_LENGTH} ký tự ngẫu nhiên). "
                                   f"Tạo một khóa: {GENERATE}")
    if len(value) < 50:
        # 32–49 random characters carry enough entropy; Django's check asks for 50, so the
        # key is stretched (deterministically) rather than the operator told to start over.
        return hashlib.sha512(value.encode()).hexdigest()
    return value


def demo_key(var_dir: Path) -> str:
    path = var_dir / "secret_key"
    try:
        existing = path.read_text().strip()
        if len(existing) >= 50:
            return existing
    except OSError:
        pass
    key = secrets.token_urlsafe(50)
    try:
        var_dir.mkdir(parents=True, exist_ok=True)
        tmp = var_dir / f".secret_key.{os.getpid()}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(key)
        try:
            os.link(tmp, path)  # atomic: of two processes starting together, one key wins
        except FileExistsError:
            winner = path.read_text().strip()
            key = winner if len(winner) >= 50 else key
        finally:
            tmp.unlink()
    except OSError:  # a read-only checkout: a key for this process only
        pass
    return key
