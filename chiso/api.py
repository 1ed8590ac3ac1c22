"""The REST API, mounted at /api/: token authentication (or the browser session), the pages' scope,
OpenAPI documentation at /api/docs served from django-ninja's own static files (works offline)."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from ninja import NinjaAPI
from ninja.openapi.docs import Swagger
from ninja.security import HttpBearer, django_auth

from chiso.accounts.services import user_for_token
from chiso.common.errors import ConflictError, ServiceError
from chiso.appraisal.api import router as appraisal_router
from chiso.plans.api import router as plans_router
from chiso.plans import api_writing  # noqa: F401 (registers the write operations on the plans router)
from chiso.progress.api import router as progress_router
from chiso.surveys.api import router as surveys_router


class TokenAuth(HttpBearer):
    """`Authorization: Bearer chiso_...`, a token made on the profile page."""

    openapi_scheme = "bearer"

    def authenticate(self, request, token: str):
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="chiso API",
    version="1",
    description="Kế hoạch, nhiệm vụ, kỳ báo cáo và báo cáo tiến độ. Xác thực bằng mã truy cập tạo ở trang cá nhân "
                "(tiêu đề `Authorization: Bearer <mã>`); phạm vi dữ liệu giống như trên giao diện.",
    auth=[TokenAuth(), django_auth],
    docs=Swagger(settings={"persistAuthorization": True}),
    docs_url="/docs",
    urls_namespace="api",
)
api.add_router("/", plans_router)
api.add_router("/", progress_router)
api.add_router("/", surveys_router)
api.add_router("/", appraisal_router)


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc):
    return api.create_response(request, {"detail": "Tài khoản không có quyền thực hiện thao tác này."}, status=403)


@api.exception_handler(ServiceError)
def service_error(request, exc: ServiceError):
    status = 409 if isinstance(exc, ConflictError) else 422
    return api.create_response(request, {"detail": exc.message, "errors": exc.details}, status=status)
