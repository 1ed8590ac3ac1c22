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
