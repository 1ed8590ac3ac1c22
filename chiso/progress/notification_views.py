"""The user's own notices: the list, opening one (marks it read), marking all read."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .models import Notification
from .notifications import notification_read


@login_required
def notifications(request):
    mine = Notification.objects.filter(recipient=request.user)
    unread_only = request.GET.get("chua-doc") == "1"
    page = Paginator(mine.filter(read_at__isnull=True) if unread_only else mine, 50).get_page(request.GET.get("trang"))
    return render(request, "progress/notifications.html", {"page": page, "unread_only": unread_only})


@login_required
@require_POST
def notification_open(request, public_id: str):
    notice = get_object_or_404(Notification, recipient=request.user, public_id=public_id)
    notification_read(actor=request.user, notification=notice)
    if notice.url and url_has_allowed_host_and_scheme(notice.url, allowed_hosts={request.get_host()}):
        return redirect(notice.url)
    return redirect("progress:notifications")


@login_required
@require_POST
def notifications_read(request):
    n = notification_read(actor=request.user)
    messages.success(request, f"Đã đánh dấu {n} thông báo là đã đọc." if n else "Không có thông báo nào chưa đọc.")
    return redirect("progress:notifications")
