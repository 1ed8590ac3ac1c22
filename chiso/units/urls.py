from django.urls import path

from . import views

app_name = "units"
urlpatterns = [
    path("", views.unit_list, name="list"),
    path("<str:public_id>/", views.unit_detail, name="detail"),
]
