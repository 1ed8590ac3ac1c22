"""Account pages: profile (digest switch, API tokens) and the administrator's bulk import."""
from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render

from chiso.common.errors import ServiceError
from chiso.common.uploads import upload_bytes

from . import services
from .importing import ImportFileError, read_rows, template_xlsx
from .lockout import cooloff_text
from .selectors import locked_logins

MAX_IMPORT_BYTES = 5 * 1024 * 1024


@login_required
def profile(request):
    user = request.user
    new_key = None
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "digest":
                services.profile_update(actor=user, wants_digest=request.POST.get("wants_digest") == "on")
                messages.success(request, "Đã bật nhận thư tổng hợp hằng tuần." if user.wants_digest
                                 else "Đã tắt thư tổng hợp hằng tuần.")
                return redirect("accounts:profile")
            if action == "token":
                token, new_key = services.api_token_create(actor=user, name=request.POST.get("name", ""))
                messages.success(request, f"Đã tạo mã truy cập “{token.name}”. Hãy sao chép ngay: mã chỉ hiện một lần.")
            elif action == "revoke":
                services.api_token_revoke(actor=user, prefix=request.POST.get("prefix", ""))
                messages.success(request, "Đã thu hồi mã truy cập.")
                return redirect("accounts:profile")
        except ServiceError as e:
            messages.error(request, e.message)
    tokens = list(user.api_tokens.all())
    return render(request, "accounts/profile.html", {"tokens": tokens, "new_key": new_key})


@login_required
def import_accounts(request):
    if not request.user.is_admin:
        raise PermissionDenied
    result, errors = None, []
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            errors.append("Chọn tệp Excel danh sách tài khoản.")
        else:
            try:
                rows = read_rows(upload_bytes(upload, limit=MAX_IMPORT_BYTES), upload.name)
                result = services.accounts_import(actor=request.user, rows=rows,
                                                  send_invites=request.POST.get("send_invites") == "on")
            except ImportFileError as e:
                errors.append(str(e))
            except ServiceError as e:
                errors.append(e.message)
    return render(request, "accounts/import.html", {"result": result, "errors": errors})


@login_required
def import_template(request):
    if not request.user.is_admin:
        raise PermissionDenied
    response = HttpResponse(template_xlsx(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="mau-danh-sach-tai-khoan.xlsx"'
    return response


@login_required
def lockouts(request):
    """Logins locked after repeated wrong passwords; the administrator unlocks them here."""
    if not request.user.is_admin:
        raise PermissionDenied
    if request.method == "POST":
        try:
            username = services.login_lockout_clear(actor=request.user, attempt_id=int(request.POST.get("attempt", 0)))
            messages.success(request, f"Đã mở khóa đăng nhập cho “{username}”.")
        except (ValueError, ServiceError) as e:
            messages.error(request, getattr(e, "message", "Yêu cầu không hợp lệ."))
        return redirect("accounts:lockouts")
    return render(request, "accounts/lockouts.html", {"attempts": locked_logins(), "cooloff": cooloff_text(),
                                                      "failure_limit": settings.AXES_FAILURE_LIMIT})


# --- the users screen (Sở Nội vụ: the accounts of its province) -------------------------------

ACTIVE_FILTERS = {"dang-dung": True, "da-khoa": False}


def _require_manager(user) -> None:
    if not services.may_manage_users(user):
        raise PermissionDenied("Chỉ Sở Nội vụ (cán bộ điều phối) quản lý tài khoản.")


@login_required
def users(request):
    """The accounts of the coordinator's province, filtered by unit, role and state (GET
    parameters: a filtered list is a link to share), 50 a page."""
    from django.core.paginator import Paginator
    from urllib.parse import urlencode

    from .models import Role
    from .selectors import managed_units, managed_users

    _require_manager(request.user)
    units = list(managed_units(request.user))
    unit = next((u for u in units if u.public_id == request.GET.get("don-vi")), None)
    role = request.GET.get("vai-tro", "")
    role = role if role in Role.values else ""
    state = request.GET.get("trang-thai", "")
    state = state if state in ACTIVE_FILTERS else ""
    qs = managed_users(request.user, unit=unit, role=role, active=ACTIVE_FILTERS.get(state))
    page = Paginator(qs, 50).get_page(request.GET.get("trang"))
    filters = {k: v for k, v in (("don-vi", unit.public_id if unit else ""), ("vai-tro", role),
                                 ("trang-thai", state)) if v}
    return render(request, "accounts/users.html", {
        "page": page, "units": units, "unit": unit, "role": role, "state": state, "roles": Role.choices,
        "filtered": bool(filters), "filter_query": urlencode(filters)})


@login_required
def user_detail(request, public_id: str):
    """One account: its unit and role, deactivate or reactivate it, send a password reset,
    and what was changed, by whom, when."""
    from django.shortcuts import get_object_or_404

    from chiso.common.errors import ConflictError

    from .models import Role, User
    from .selectors import managed_units

    _require_manager(request.user)
    target = get_object_or_404(User.objects.select_related("unit"), public_id=public_id)
    services._require_in_scope(request.user, target)
    units = list(managed_units(request.user))
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        version = request.POST.get("version")
        try:
            if action == "save":
                unit = next((u for u in units if u.public_id == request.POST.get("unit")), None)
                if unit is None and request.POST.get("unit"):
                    raise ServiceError("Chỉ chuyển tài khoản sang đơn vị thuộc tỉnh của anh/chị.")
                services.user_update(actor=request.user, user=target, version=version, unit=unit,
                                     role=request.POST.get("role", ""))
                messages.success(request, f"Đã lưu đơn vị và vai trò của “{target.username}”.")
            elif action in ("deactivate", "reactivate"):
                services.user_set_active(actor=request.user, user=target, version=version,
                                         active=action == "reactivate")
                messages.success(request, f"Đã mở lại tài khoản “{target.username}”." if action == "reactivate"
                                 else f"Đã khóa tài khoản “{target.username}”: người này không đăng nhập được nữa.")
            elif action == "reset":
                services.user_send_password_reset(actor=request.user, user=target)
                messages.success(request, f"Đã gửi thư đặt lại mật khẩu tới {target.email}.")
            else:
                raise ServiceError("Thao tác không rõ.")
            return redirect("accounts:user", public_id=target.public_id)
        except ConflictError as e:
            messages.error(request, e.message)
            status = 409
        except ServiceError as e:
            messages.error(request, e.message)
            status = 422
        target.refresh_from_db()
    roles = Role.choices if request.user.is_admin else [(r.value, r.label) for r in services.MANAGEABLE_ROLES]
    return render(request, "accounts/user_detail.html", {
        "target": target, "units": units, "roles": roles, "changes": target.changes.select_related("actor")[:20],
        "is_self": target.pk == request.user.pk,
        "protected": not request.user.is_admin and (target.is_superuser or target.is_staff or target.role == Role.ADMIN),
    }, status=status)
