"""Writes to accounts: bulk creation from a list, the digest switch, API tokens, unlocking a
login locked after repeated failures."""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field

from django.core.validators import validate_email
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from chiso.common.errors import ServiceError
from chiso.core.text import fold
from chiso.units.models import Unit

from .importing import Row, parse_role
from .models import ApiToken, Role, User

TOKEN_PREFIX_LEN = 8


@dataclass
class Created:
    row: int
    user: User
    password: str = ""


@dataclass
class Refused:
    row: int
    text: str
    reasons: list[str]


@dataclass
class ImportResult:
    created: list[Created] = field(default_factory=list)
    refused: list[Refused] = field(default_factory=list)


class UnitIndex:
    """Unit names (folded, with short names and aliases) within the administrator's scope."""

    def __init__(self, actor):
        from chiso.accounts.policies import scope_roots

        qs = Unit.objects.filter(valid_to__isnull=True).select_related("root").prefetch_related("aliases")
        roots = scope_roots(actor)
        if roots is not None:
            qs = qs.filter(root_id__in=roots)
        self.by_name: dict[str, list[Unit]] = {}
        for unit in qs:
            names = {fold(unit.name), fold(unit.short_name)} | {a.folded for a in unit.aliases.all()}
            for name in names - {""}:
                self.by_name.setdefault(name, []).append(unit)

    def find(self, name: str, province: str) -> tuple[Unit | None, str]:
        candidates = self.by_name.get(fold(name), [])
        if province:
            p = fold(province)
            candidates = [u for u in candidates if u.root and (fold(u.root.name) == p or fold(u.root.name).endswith(p))]
        unique = {u.pk: u for u in candidates}
        if not unique:
            where = f" thuộc “{province}”" if province else ""
            return None, f"Không tìm thấy đơn vị “{name}”{where}."
        if len(unique) > 1:
            places = ", ".join(sorted({u.root.name for u in unique.values() if u.root}))
            return None, f"Tên đơn vị “{name}” có ở nhiều nơi ({places}): ghi thêm cột “Tỉnh”."
        return next(iter(unique.values())), ""


def _username_for(row: Row) -> str:
    return (row.username or row.email).strip().lower()[:150]


def accounts_import(*, actor, rows: list[Row], send_invites: bool = True) -> ImportResult:
    """Creates an account for each valid row; every other row is refused with its reasons.

    The valid rows are created together in one transaction. With `send_invites`, each new
    person gets an email with a link to choose a password; otherwise a temporary password is
    returned (shown once to the administrator).
    """
    if not (actor.is_authenticated and actor.is_admin):
        raise PermissionDenied
    if not rows:
        raise ServiceError("Danh sách không có dòng nào.")
    units = UnitIndex(actor)
    usernames = {_username_for(r) for r in rows}
    taken = {(u.lower(), (e or "").lower()) for u, e in User.objects.filter(
        Q(email__in=[r.email for r in rows if r.email]) | Q(username__in=usernames)).values_list("username", "email")}
    taken_usernames = {u for u, _ in taken}
    taken_emails = {e for _, e in taken if e}
    seen: dict[str, int] = {}
    result = ImportResult()
    valid: list[tuple[Row, Unit, str]] = []
    for row in rows:
        reasons = []
        if not row.full_name:
            reasons.append("Thiếu họ và tên.")
        email = row.email.strip().lower()
        try:
            validate_email(email)
        except ValidationError:
            reasons.append(f"Email “{row.email}” không hợp lệ." if row.email else "Thiếu email.")
        else:
            if email in taken_emails or _username_for(row) in taken_usernames:
                reasons.append(f"Email “{email}” đã có tài khoản.")
            elif email in seen:
                reasons.append(f"Email “{email}” trùng với dòng {seen[email]}.")
            seen.setdefault(email, row.number)
        role = parse_role(row.role)
        if role is None:
            reasons.append(f"Vai trò “{row.role}” không rõ: ghi một trong Quản trị, Điều phối, Cán bộ, Lãnh đạo, Người xem."
                           if row.role else "Thiếu vai trò.")
        unit = None
        if row.unit:
            unit, why = units.find(row.unit, row.province)
            if why:
                reasons.append(why)
        elif role != Role.ADMIN:
            reasons.append("Thiếu đơn vị.")
        if reasons:
            result.refused.append(Refused(row.number, f"{row.full_name} <{row.email}>", reasons))
        else:
            valid.append((row, unit, role))
    with transaction.atomic():
        for row, unit, role in valid:
            user = User(username=_username_for(row), email=row.email.strip().lower(), full_name=row.full_name,
                        unit=unit, role=role)
            password = "" if send_invites else _temporary_password()
            user.set_password(password or secrets.token_urlsafe(32))
            user.save()
            result.created.append(Created(row.number, user, password))
        if send_invites and result.created:
            users = [c.user for c in result.created]
            transaction.on_commit(lambda: _send_invites(users))
    return result


def _temporary_password() -> str:
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(3))


def _send_invites(users: list[User]) -> None:
    from django.conf import settings
    from django.contrib.auth.tokens import default_token_generator
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.urls import reverse
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from chiso.common.site import site_url

    for user in users:
        link = site_url() + reverse("accounts:password_reset_confirm", kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user)})
        body = render_to_string("accounts/email/invite.txt", {"user": user, "link": link, "site": site_url()})
        send_mail("[chiso] Tài khoản của anh/chị đã được tạo", body, settings.DEFAULT_FROM_EMAIL, [user.email])


def profile_update(*, actor, wants_digest: bool) -> User:
    with transaction.atomic():
        actor.wants_digest = wants_digest
        actor.save(update_fields=["wants_digest"])
    return actor


def hash_token(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def api_token_create(*, actor, name: str) -> tuple[ApiToken, str]:
    """A new token; the key itself is returned once and never stored."""
    name = (name or "").strip()
    if not name:
        raise ServiceError("Cần đặt tên gợi nhớ cho mã truy cập, ví dụ “Phần mềm một cửa”.")
    if actor.api_tokens.filter(revoked_at__isnull=True).count() >= 10:
        raise ServiceError("Mỗi người có tối đa 10 mã truy cập đang dùng: hãy thu hồi mã không còn dùng.")
    key = "chiso_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(user=actor, name=name[:100], prefix=key[6:6 + TOKEN_PREFIX_LEN],
                                        key_hash=hash_token(key))
    return token, key


def api_token_revoke(*, actor, prefix: str) -> int:
    with transaction.atomic():
        return actor.api_tokens.filter(prefix=prefix, revoked_at__isnull=True).update(revoked_at=timezone.now())


def user_for_token(key: str) -> User | None:
    if not key or not key.startswith("chiso_"):
        return None
    token = (ApiToken.objects.filter(key_hash=hash_token(key), revoked_at__isnull=True, user__is_active=True)
             .select_related("user__unit").first())
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 300:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def login_lockout_clear(*, actor, attempt_id: int) -> str:
    """An administrator unlocks a username locked out after repeated wrong passwords (from
    one address). Returns the username."""
    from axes.models import AccessAttempt

    if not actor.is_admin:
        raise PermissionDenied
    attempt = AccessAttempt.objects.filter(pk=attempt_id).first()
    if attempt is None:
        raise ServiceError("Tài khoản này không còn bị khóa.")
    username = attempt.username
    attempt.delete()
    return username
