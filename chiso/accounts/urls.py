from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import views
from .password_reset import PasswordResetView

app_name = "accounts"
urlpatterns = [
    path("ca-nhan/", views.profile, name="profile"),
    path("nhap/", views.import_accounts, name="import"),
    path("nhap/mau.xlsx", views.import_template, name="import_template"),
    path("khoa-dang-nhap/", views.lockouts, name="lockouts"),
    path("nguoi-dung/", views.users, name="users"),
    path("nguoi-dung/<str:public_id>/", views.user_detail, name="user"),
    path("mat-khau/quen/", PasswordResetView.as_view(success_url=reverse_lazy("accounts:password_reset_done")),
         name="password_reset"),
    path("mat-khau/da-gui/", auth_views.PasswordResetDoneView.as_view(
        template_name="accounts/password_reset_done.html"), name="password_reset_done"),
    path("mat-khau/dat-lai/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(
        template_name="accounts/password_reset_confirm.html",
        success_url=reverse_lazy("accounts:password_reset_complete")), name="password_reset_confirm"),
    path("mat-khau/xong/", auth_views.PasswordResetCompleteView.as_view(
        template_name="accounts/password_reset_complete.html"), name="password_reset_complete"),
    path("mat-khau/doi/", auth_views.PasswordChangeView.as_view(
        template_name="accounts/password_change.html", success_url=reverse_lazy("accounts:profile")),
        name="password_change"),
]
