from django.urls import path

from . import edit_views, forecast_views, plan_views, table_views, views

app_name = "analysis"
urlpatterns = [
    path("", views.home, name="home"),
    path("don-vi/<str:public_id>/", views.unit_detail, name="unit"),
    path("don-vi/<str:public_id>/ket-qua-moi/", edit_views.new_assessment, name="new_assessment"),
    path("don-vi/<str:public_id>/nap-tai-lieu/", edit_views.import_document, name="import_document"),
    path("don-vi/<str:public_id>/muc-tieu/<str:version_id>/<int:year>/", forecast_views.targets, name="targets"),
    path("ket-qua/<str:public_id>/", views.gap, name="gap"),
    path("ket-qua/<str:public_id>/nhap/", edit_views.edit, name="edit"),
    path("ket-qua/<str:public_id>/nhap-excel/", edit_views.import_sheet, name="import_sheet"),
    path("ket-qua/<str:public_id>/mau.xlsx", edit_views.sheet_template, name="sheet_template"),
    path("ket-qua/<str:public_id>/so-lieu/", edit_views.inputs, name="inputs"),
    path("xep-hang/", views.rankings, name="rankings"),
    path("xep-hang/nap/", table_views.import_table, name="import_table"),
    path("bang/<str:public_id>/", table_views.table, name="table"),
    path("bang/<str:public_id>/khoi-phuc/", table_views.table_restore, name="table_restore"),
    path("xep-hang/<str:index>/<int:year>/", views.ranking, name="ranking"),
    path("ke-hoach/<str:public_id>/muc-tieu/", forecast_views.plan_targets, name="plan_targets"),
    path("ke-hoach/<str:public_id>/kiem-tra/", plan_views.plan_checks, name="plan_checks"),
    path("ke-hoach/<str:public_id>/ket-qua-thuc-hien/", plan_views.plan_outcome, name="plan_outcome"),
    path("ke-hoach/<str:public_id>/phu-luc.docx", forecast_views.appendix_word, name="appendix_docx"),
    path("ke-hoach/<str:public_id>/phu-luc.xlsx", forecast_views.appendix_excel, name="appendix_xlsx"),
]
