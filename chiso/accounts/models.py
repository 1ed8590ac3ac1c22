"""Users: each belongs to a unit and has one role."""
from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models

from chiso.core.ids import new_public_id


class Role(models.TextChoices):
    ADMIN = "admin", "Quản trị hệ thống"
    COORDINATOR = "coordinator", "Điều phối (Sở Nội vụ)"
    OFFICER = "officer", "Cán bộ đơn vị"
    LEADER = "leader", "Lãnh đạo"
    VIEWER = "viewer", "Người xem"


class User(AbstractUser):
    public_id = models.CharField(max_length=16, unique=True, default=new_public_id, editable=False)
    unit = models.ForeignKey(
        "units.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="users", verbose_name="Đơn vị"
    )
    role = models.CharField("Vai trò", max_length=16, choices=Role.choices, default=Role.VIEWER)
    full_name = models.CharField("Họ và tên", max_length=150, blank=True)
    wants_digest = models.BooleanField("Nhận thư tổng hợp hằng tuần", default=True)
    # bumped by every change made on the users screen: a form opened before it is refused
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "người dùng"
        verbose_name_plural = "người dùng"

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username

    @property
    def is_admin(self) -> bool:
        return self.is_superuser or self.role == Role.ADMIN

    @property
    def is_coordinator(self) -> bool:
        return self.role == Role.COORDINATOR


class AccountChange(models.Model):
    """One change made to an account on the users screen: who made it, when, what it was.

    Kept apart from the user row (not django-simple-history on User) so that a login, which
    saves `last_login`, is not recorded as a change."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="changes")
    actor = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    text = models.CharField(max_length=300)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "thay đổi tài khoản"
        verbose_name_plural = "thay đổi tài khoản"

    def __str__(self) -> str:
        return self.text


class ApiToken(models.Model):
    """A personal token for the REST API. Only its hash is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("Tên gợi nhớ", max_length=100)
    prefix = models.CharField(max_length=8, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class PasswordResetRequest(models.Model):
    """One request for a password-reset email, kept a day to rate-limit them: per address
    asked for (whether or not it has an account, so the limit tells nothing) and per client."""

    email = models.CharField(max_length=254, db_index=True)  # lower-cased
    client_ip = models.GenericIPAddressField(db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
