from django.urls import path

from . import papi_views, public_views, results_views, views

app_name = "surveys"
urlpatterns = [
    path("", views.home, name="home"),
    path("phieu/<str:public_id>/", views.questionnaire_detail, name="questionnaire"),
    path("phieu/<str:public_id>/sao-chep/", views.questionnaire_copy, name="questionnaire_copy"),
    path("phieu/<str:public_id>/sua/", views.questionnaire_edit, name="questionnaire_edit"),
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
