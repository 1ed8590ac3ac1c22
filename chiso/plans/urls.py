from django.urls import path

from . import views

app_name = "plans"
urlpatterns = [
    path("<str:public_id>/", views.plan_detail, name="detail"),
    path("<str:public_id>/gap/", views.plan_gap, name="gap"),
]
