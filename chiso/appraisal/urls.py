from django.urls import path

from . import output_views, sheet_views, views

app_name = "appraisal"
urlpatterns = [
    path("", views.home, name="home"),
    path("bo-chi-so/moi/", views.framework_new, name="framework_new"),
    path("bo-chi-so/<str:public_id>/", views.framework, name="framework"),
    path("bo-chi-so/<str:public_id>/tieu-chi/", views.criterion_save, name="criterion_save"),
    path("bo-chi-so/<str:public_id>/tieu-chi/<str:code>/xoa/", views.criterion_remove, name="criterion_remove"),
    path("bo-chi-so/<str:public_id>/sua-doi/", views.framework_revise, name="framework_revise"),
    path("bo-chi-so/<str:public_id>/xep-loai/", views.thresholds, name="thresholds"),
    path("bo-chi-so/<str:public_id>/mo-dot/", views.cycle_open, name="cycle_open"),
    path("dot/<str:public_id>/", views.cycle, name="cycle"),
    path("dot/<str:public_id>/moc-thoi-gian/", views.cycle_dates, name="cycle_dates"),
    path("dot/<str:public_id>/hoi-dong/", views.council, name="council"),
    path("dot/<str:public_id>/hoi-dong/<str:member_id>/bo/", views.council_remove, name="council_remove"),
    path("dot/<str:public_id>/diem-dieu-tra.xlsx", output_views.points_template, name="points_template"),
    path("dot/<str:public_id>/diem-dieu-tra/", output_views.points_import, name="points_import"),
    path("dot/<str:public_id>/cong-bo/", views.publish, name="publish"),
    path("dot/<str:public_id>/ket-qua/", views.results, name="results"),
    path("dot/<str:public_id>/ket-qua.xlsx", output_views.results_xlsx, name="results_xlsx"),
    path("dot/<str:public_id>/quyet-dinh.docx", output_views.decision_docx, name="decision_docx"),
    path("phieu/<str:public_id>/", sheet_views.sheet, name="sheet"),
    path("phieu/<str:public_id>/tham-dinh/", sheet_views.appraise, name="appraise"),
    path("phieu/<str:public_id>/gui/", sheet_views.sheet_state, {"action": "submit"}, name="submit"),
    path("phieu/<str:public_id>/rut-lai/", sheet_views.sheet_state, {"action": "withdraw"}, name="withdraw"),
    path("phieu/<str:public_id>/chot/", sheet_views.sheet_state, {"action": "finalise"}, name="finalise"),
    path("phieu/<str:public_id>/yeu-cau-giai-trinh/", sheet_views.send_back, name="send_back"),
    path("phieu/<str:public_id>/bao-cao-tu-danh-gia.docx", output_views.self_report_docx, name="self_report_docx"),
    path("phieu/<str:public_id>/bien-ban-tham-dinh.docx", output_views.record_docx, name="record_docx"),
    path("tieu-chi/<str:public_id>/tu-danh-gia/", sheet_views.entry_save, name="entry_save"),
    path("tieu-chi/<str:public_id>/lay-minh-chung/", sheet_views.evidence_take, name="evidence_take"),
    path("tieu-chi/<str:public_id>/tham-dinh/", sheet_views.entry_appraise, name="entry_appraise"),
    path("minh-chung/<str:public_id>/", sheet_views.evidence_download, name="evidence"),
    path("minh-chung/<str:public_id>/go-bo/", sheet_views.evidence_remove, name="evidence_remove"),
    path("giai-trinh/<str:public_id>/tra-loi/", sheet_views.answer, name="answer"),
]
