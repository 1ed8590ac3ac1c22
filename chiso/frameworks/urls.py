from django.urls import path

from . import views

app_name = "frameworks"
urlpatterns = [
    path("", views.framework_index, name="list"),
    path("<str:public_id>/", views.version_detail, name="version"),
]
