from django.urls import path

from . import review_views, views

app_name = "ingest"
urlpatterns = [
    path("", views.upload_new, name="new"),
    path("<str:public_id>/", views.upload_detail, name="detail"),
    path("<str:public_id>/xac-nhan/", views.upload_confirm_view, name="confirm"),
    path("<str:public_id>/nap-ket-qua/", views.upload_confirm_results_view, name="confirm_results"),
    path("<str:public_id>/huy/", views.upload_discard_view, name="discard"),
    path("<str:public_id>/thu-lai/", views.upload_retry_view, name="retry"),
    path("<str:public_id>/sua/", review_views.upload_correct_view, name="correct"),
    path("<str:public_id>/bo-sua/", review_views.upload_undo_view, name="undo"),
    path("<str:public_id>/nap-ket-qua-don-vi/", review_views.upload_confirm_units_view, name="confirm_units"),
]
