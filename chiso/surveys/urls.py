from django.urls import path

from . import editor_views, papi_views, public_views, results_views, sheet_views, views

app_name = "surveys"
urlpatterns = [
    path("", views.home, name="home"),
    path("phieu/<str:public_id>/", views.questionnaire_detail, name="questionnaire"),
    path("phieu/<str:public_id>/sao-chep/", views.questionnaire_copy, name="questionnaire_copy"),
    path("phieu/<str:public_id>/sua/", editor_views.questionnaire_editor, name="questionnaire_edit"),
    path("phieu/<str:public_id>/sua-json/", views.questionnaire_json, name="questionnaire_json"),
    path("phieu/<str:public_id>/cai-dat/", editor_views.settings_save, name="questionnaire_settings"),
    path("phieu/<str:public_id>/yeu-to/", editor_views.element_save, name="element_save"),
    path("phieu/<str:public_id>/yeu-to/xoa/", editor_views.element_remove, name="element_remove"),
    path("phieu/<str:public_id>/cau-moi/", editor_views.question_add, name="question_add"),
    path("phieu/<str:public_id>/cau/<str:code>/", editor_views.question_form, name="question_form"),
    path("phieu/<str:public_id>/cau/<str:code>/luu/", editor_views.question_save, name="question_save"),
    path("phieu/<str:public_id>/cau/<str:code>/di-chuyen/", editor_views.question_move, name="question_move"),
    path("phieu/<str:public_id>/cau/<str:code>/xoa/", editor_views.question_remove, name="question_remove"),
    path("phieu/<str:public_id>/phieu.xlsx", sheet_views.questionnaire_xlsx, name="questionnaire_xlsx"),
    path("phieu/<str:public_id>/nhap-excel/", sheet_views.questionnaire_upload, name="questionnaire_upload"),
    path("phieu/<str:public_id>/nhap-excel/luu/", sheet_views.questionnaire_upload_save,
         name="questionnaire_upload_save"),
    path("dot-moi/", views.campaign_new, name="campaign_new"),
    path("dot/<str:public_id>/", views.campaign_detail, name="campaign"),
    path("dot/<str:public_id>/don-vi/", views.campaign_units, name="campaign_units"),
    path("dot/<str:public_id>/trang-thai/", views.campaign_state, name="campaign_state"),
    path("dot/<str:public_id>/cong-khai/", views.campaign_public, name="campaign_public"),
    path("dot/<str:public_id>/ket-qua/", results_views.results, name="results"),
    path("dot/<str:public_id>/bao-cao.docx", results_views.report_docx, name="report_docx"),
    path("dot/<str:public_id>/du-lieu.xlsx", results_views.data_xlsx, name="data_xlsx"),
    path("dot/<str:public_id>/dua-vao-chi-so/", results_views.feed_scores, name="feed_scores"),
    path("don-vi/<str:public_id>/in-ma/", views.tokens_new, name="tokens_new"),
    path("don-vi/<str:public_id>/ma-qr/<int:batch>.pdf", views.tokens_pdf, name="tokens_pdf"),
    path("don-vi/<str:public_id>/thu-moi/", views.invitations, name="invitations"),
    path("don-vi/<str:public_id>/nhap-phieu/", public_views.enter, name="enter"),
    path("papi/", papi_views.papi_import, name="papi_import"),
    path("cong-khai/", papi_views.publication_settings, name="publication"),
]
