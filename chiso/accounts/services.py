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


# --- the users screen: a coordinator manages the accounts of its province --------------------

MANAGEABLE_ROLES = (Role.COORDINATOR, Role.OFFICER, Role.LEADER, Role.VIEWER)


def may_manage_users(actor) -> bool:
    """Coordinators (within their province) and administrators."""
    return bool(actor and actor.is_authenticated and actor.is_active
                and (actor.is_admin or actor.role == Role.COORDINATOR))


def _require_in_scope(actor, user: User) -> None:
    """Another province's account, or one outside every province (an administrator, the
    ministry), answers 404 to a coordinator, as on the pages."""
    from chiso.accounts.policies import require, scope_roots

    roots = scope_roots(actor)
    if roots is None:
        return
    require(bool(user.unit_id) and (user.unit.root_id or user.unit_id) in roots)


def _last_account_change(user: User) -> str:
    change = user.changes.select_related("actor").first()
    if change is None:
        return "người khác"
    when = timezone.localtime(change.at)
    who = change.actor.display_name if change.actor else "hệ thống"
    return f"{who} lúc {when:%H:%M} ngày {when:%d/%m/%Y}"


def _locked_user(actor, user: User, version) -> User:
    from chiso.common.errors import ConflictError, require_permission, shown_version

    require_permission(may_manage_users(actor), "Chỉ Sở Nội vụ (cán bộ điều phối) quản lý tài khoản.")
    _require_in_scope(actor, user)
    locked = User.objects.select_for_update(of=("self",)).select_related("unit").get(pk=user.pk)
    if shown_version(version) != locked.version:
        raise ConflictError(f"Tài khoản “{locked.username}” vừa được {_last_account_change(locked)} sửa. "
                            "Trang hiện thông tin mới nhất; điều anh/chị vừa chọn chưa được lưu.")
    if not actor.is_admin and (locked.is_superuser or locked.is_staff or locked.role == Role.ADMIN):
        raise ServiceError("Tài khoản quản trị hệ thống chỉ quản trị hệ thống mới sửa được.")
    return locked


def _record(actor, user: User, text: str) -> None:
    from .models import AccountChange

    user.version = (user.version or 0) + 1
    AccountChange.objects.create(user=user, actor=actor, text=text[:300])


def user_update(*, actor, user: User, version, unit: Unit | None, role: str) -> User:
    """Moves an account to another unit of the province and/or gives it another role.

    A coordinator cannot give the administrator's role, cannot move anyone out of its province
    (nor to the ministry: no national scope), and cannot take its own coordinator role away."""
    from chiso.accounts.policies import scope_roots

    with transaction.atomic():
        user = _locked_user(actor, user, version)
        allowed = set(Role.values) if actor.is_admin else set(MANAGEABLE_ROLES)
        if role not in allowed:
            raise ServiceError("Vai trò này không được chọn ở đây." if role in Role.values
                               else "Chọn một vai trò trong danh sách.")
        if unit is None:
            if role != Role.ADMIN:
                raise ServiceError("Chọn đơn vị của tài khoản.")
        else:
            roots = scope_roots(actor)
            if unit.valid_to is not None:
                raise ServiceError(f"Đơn vị “{unit.name}” đã thôi hoạt động: chọn đơn vị kế tục.")
            if roots is not None and (unit.root_id or unit.pk) not in roots:
                raise ServiceError("Chỉ chuyển tài khoản sang đơn vị thuộc tỉnh của anh/chị.")
        if user.pk == actor.pk and not actor.is_admin and role != Role.COORDINATOR:
            raise ServiceError("Anh/chị không thể tự bỏ vai trò điều phối của mình: "
                               "nhờ một cán bộ điều phối khác hoặc quản trị hệ thống.")
        changes = []
        if (unit.pk if unit else None) != user.unit_id:
            changes.append(f"đơn vị: {user.unit.name if user.unit else '—'} → {unit.name if unit else '—'}")
            user.unit = unit
        if role != user.role:
            changes.append(f"vai trò: {Role(user.role).label} → {Role(role).label}")
            user.role = role
        if not changes:
            raise ServiceError("Không có gì thay đổi.")
        _record(actor, user, "Đổi " + "; ".join(changes))
        user.save(update_fields=["unit", "role", "version"])
    return user


def user_set_active(*, actor, user: User, version, active: bool) -> User:
    """Deactivates an account (it can no longer sign in; its API tokens stop working; its
    reports and history stay) or reactivates it."""
    with transaction.atomic():
        user = _locked_user(actor, user, version)
        if user.pk == actor.pk and not active:
            raise ServiceError("Anh/chị không thể tự khóa tài khoản của mình.")
        if user.is_active == active:
            raise ServiceError("Tài khoản đã đang hoạt động." if active else "Tài khoản đã bị khóa từ trước.")
        user.is_active = active
        _record(actor, user, "Mở lại tài khoản" if active else "Khóa tài khoản")
        user.save(update_fields=["is_active", "version"])
    return user


def user_send_password_reset(*, actor, user: User) -> None:
    """Emails the account a link to choose a new password (the current one keeps working
    until then). Recorded in the account's history; the version is left alone."""
    from chiso.common.errors import require_permission

    from .models import AccountChange

    require_permission(may_manage_users(actor), "Chỉ Sở Nội vụ (cán bộ điều phối) quản lý tài khoản.")
    _require_in_scope(actor, user)
    if not actor.is_admin and (user.is_superuser or user.is_staff or user.role == Role.ADMIN):
        raise ServiceError("Tài khoản quản trị hệ thống chỉ quản trị hệ thống mới sửa được.")
    if not user.is_active:
        raise ServiceError("Tài khoản đang bị khóa: mở lại tài khoản trước khi gửi thư đặt lại mật khẩu.")
    try:
        validate_email(user.email or "")
    except ValidationError:
        raise ServiceError("Tài khoản chưa có email hợp lệ nên không gửi được thư đặt lại mật khẩu.") from None
    with transaction.atomic():
        AccountChange.objects.create(user=user, actor=actor, text=f"Gửi thư đặt lại mật khẩu tới {user.email}")
        transaction.on_commit(lambda: _send_reset(user))


def _send_reset(user: User) -> None:
    from django.conf import settings
    from django.contrib.auth.tokens import default_token_generator
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode
    from urllib.parse import urlsplit

    from chiso.common.site import site_url

    site = urlsplit(site_url())
    body = render_to_string("accounts/email/password_reset.txt", {
        "user": user, "protocol": site.scheme or "https", "domain": site.netloc,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user)})
    send_mail("[chiso] Đặt lại mật khẩu", body, settings.DEFAULT_FROM_EMAIL, [user.email])
