"""The Django admin (/quan-tri/, staff only) in Vietnamese: the users' list, and Vietnamese
names for the models other packages bring (django-tasks' "Task Results", django-axes' access
logs), which ship no Vietnamese translation.

Only the names shown change (`_meta.verbose_name*`, the apps' `verbose_name`); the models'
declared options (what migrations compare) stay as their packages wrote them.
"""
from __future__ import annotations

from django.apps import apps
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from chiso.accounts.models import AccountChange, User

admin.site.site_header = "Quản trị hệ thống chiso"
admin.site.site_title = "Quản trị chiso"
admin.site.index_title = "Quản trị dữ liệu"

# (app label, model name or None for the app itself, singular, plural)
NAMES = [
    ("django_tasks_database", None, "Tác vụ nền", ""),
    ("django_tasks_database", "dbtaskresult", "kết quả tác vụ nền", "kết quả tác vụ nền"),
    ("axes", None, "Khóa đăng nhập", ""),
    ("axes", "accessattempt", "lần đăng nhập sai đang tính", "lần đăng nhập sai đang tính"),
    ("axes", "accessfailurelog", "lần đăng nhập sai", "nhật ký đăng nhập sai"),
    ("axes", "accesslog", "lần đăng nhập", "nhật ký đăng nhập"),
]


def name_in_vietnamese() -> None:
    for app_label, model_name, singular, plural in NAMES:
        try:
            config = apps.get_app_config(app_label)
        except LookupError:
            continue
        if model_name is None:
            config.verbose_name = singular
            continue
        try:
            meta = config.get_model(model_name)._meta
        except LookupError:
            continue
        meta.verbose_name, meta.verbose_name_plural = singular, plural


name_in_vietnamese()


class AccountChangeInline(admin.TabularInline):
    model = AccountChange
    fk_name = "user"
    fields = ("at", "actor", "text")
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name = "thay đổi"
    verbose_name_plural = "Thay đổi trên màn hình người dùng"

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "full_name", "unit", "role", "is_active", "last_login")
    list_filter = ("role", "is_active", "is_staff", "unit__kind")
    search_fields = ("username", "full_name", "email", "unit__name")
    list_select_related = ("unit",)
    autocomplete_fields = ()
    raw_id_fields = ("unit",)
    ordering = ("username",)
    inlines = [AccountChangeInline]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Thông tin", {"fields": ("full_name", "email", "unit", "role", "wants_digest")}),
        ("Quyền quản trị", {"fields": ("is_active", "is_staff", "is_superuser")}),
        ("Thời điểm", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "full_name", "email", "unit", "role",
                                                  "password1", "password2")}),
    )
