from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from chiso.api import api
from chiso.web import views as web_views

urlpatterns = [
    path("", web_views.home, name="home"),
    path("tim-kiem/", web_views.search_view, name="search"),
    path("healthz", web_views.healthz, name="healthz"),
    path("dang-nhap/", web_views.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("ke-hoach/", include("chiso.plans.urls")),
    path("don-vi/", include("chiso.web.unit_urls")),
    path("bo-chi-so/", include("chiso.frameworks.urls")),
    path("tai-lieu/", include("chiso.ingest.urls")),
    path("quan-tri/", admin.site.urls),
    path("tien-do/", include("chiso.progress.urls")),
    path("phan-tich/", include("chiso.analysis.urls")),
    path("tai-khoan/", include("chiso.accounts.urls")),
    path("dieu-tra/", include("chiso.surveys.urls")),
    path("chi-so-noi-bo/", include("chiso.appraisal.urls")),
    path("", include("chiso.surveys.public_urls")),
    path("api/", api.urls),
]
