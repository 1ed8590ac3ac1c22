"""Pages without an account: the survey form (/khao-sat/<key>/) and a province's public results."""
from django.urls import path

from . import public_page, public_views

app_name = "public"
urlpatterns = [
    path("khao-sat/<str:key>/", public_views.answer, name="answer"),
    path("khao-sat/<str:key>/cam-on/", public_views.thanks, name="thanks"),
    path("cong-khai/<str:slug>/", public_page.results_page, name="results"),
]
