"""The password-reset form, rate-limited: an address gets a few emails an hour, a client a
few more, so nobody can flood a colleague's mailbox or the mail server through chiso."""
from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.db import transaction
from django.utils import timezone

from chiso.common.http import client_ip

from .models import PasswordResetRequest

WINDOW = dt.timedelta(hours=1)


def reset_allowed(email: str, ip: str) -> bool:
    """Records the request when it is allowed. Old records are dropped as new ones come."""
    now = timezone.now()
    email = email.strip().lower()
    with transaction.atomic():
        PasswordResetRequest.objects.filter(created_at__lt=now - dt.timedelta(days=1)).delete()
        recent = PasswordResetRequest.objects.filter(created_at__gte=now - WINDOW)
        if (recent.filter(email=email).count() >= settings.CHISO_PASSWORD_RESETS_PER_HOUR
                or recent.filter(client_ip=ip).count() >= settings.CHISO_PASSWORD_RESETS_PER_HOUR * 4):
            return False
        PasswordResetRequest.objects.create(email=email, client_ip=ip)
    return True


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"

    def form_valid(self, form):
        if not reset_allowed(form.cleaned_data["email"], client_ip(self.request)):
            minutes = int(WINDOW.total_seconds() // 60)
            return self.render_to_response(self.get_context_data(
                form=form, throttled=f"Đã gửi quá nhiều yêu cầu đặt lại mật khẩu. Vui lòng thử lại sau {minutes} phút "
                                     "hoặc liên hệ quản trị hệ thống."), status=429)
        return super().form_valid(form)
