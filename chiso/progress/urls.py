from django.urls import path

from . import notification_views, views

app_name = "progress"
urlpatterns = [
    path("", views.home, name="home"),
    path("thong-bao/", notification_views.notifications, name="notifications"),
    path("thong-bao/da-doc/", notification_views.notifications_read, name="notifications_read"),
    path("thong-bao/<str:public_id>/", notification_views.notification_open, name="notification"),
    path("ke-hoach/<str:public_id>/", views.plan_dashboard, name="plan_dashboard"),
    path("ke-hoach/<str:public_id>/ky-bao-cao/", views.periods, name="periods"),
    path("ky/<str:public_id>/", views.period_detail, name="period"),
    path("ky/<str:public_id>/dong-mo/", views.period_toggle, name="period_toggle"),
    path("ky/<str:public_id>/bao-cao.docx", views.export, {"fmt": "docx"}, name="export_docx"),
    path("ky/<str:public_id>/bao-cao.xlsx", views.export, {"fmt": "xlsx"}, name="export_xlsx"),
    path("ky/<str:public_id>/danh-sach.xlsx", views.period_list_xlsx, name="period_list_xlsx"),
    path("ky/<str:period_id>/nhiem-vu/<str:task_id>/bao-cao/", views.report_edit, name="report_edit"),
    path("ky/<str:period_id>/nhiem-vu/<str:task_id>/phoi-hop/", views.contribution_edit, name="contribution_edit"),
    path("nhiem-vu/<str:public_id>/", views.task_detail, name="task"),
    path("bao-cao/<str:public_id>/", views.report_detail, name="report"),
    path("minh-chung/<str:public_id>/", views.evidence_download, name="evidence"),
    path("minh-chung/<str:public_id>/go-bo/", views.evidence_remove, name="evidence_remove"),
]
