from django.urls import path

from . import unit_views as views

app_name = "units"  # the pages of the units app; here because they show plans' tasks
urlpatterns = [
    path("", views.unit_list, name="list"),
    path("<str:public_id>/", views.unit_detail, name="detail"),
    path("<str:public_id>/nhiem-vu.xlsx", views.unit_tasks_xlsx, name="tasks_xlsx"),
]
