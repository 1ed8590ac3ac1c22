"""Request bodies: the size limit, checked from Content-Length before anything reads the
body; and no body on a HEAD answer.

gunicorn has no body limit of its own and Django's DATA_UPLOAD_MAX_MEMORY_SIZE does not
cover file uploads (streamed to temporary files), so without this three anonymous 300 MB
POSTs were read in full. Refused here, the body is never read: gunicorn drains at most
64 KB of it and closes the connection. nginx's client_max_body_size stops it even earlier.
"""
from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string


def body_limit(request) -> int:
    """Signed-in users (a session or an API token) may send evidence files; everyone else
    only the login and password-reset forms."""
    if "HTTP_AUTHORIZATION" in request.META or request.user.is_authenticated:
        return settings.CHISO_MAX_REQUEST_BYTES
    return settings.CHISO_MAX_ANONYMOUS_REQUEST_BYTES


class RequestBodyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.CHISO_MAX_ANONYMOUS_REQUEST_BYTES:
            limit = body_limit(request)
            if length > limit:
                return too_large(limit)
        response = self.get_response(request)
        if request.method == "HEAD" and not response.streaming and response.content:
            # Django renders HEAD like GET; the server would drop the body and log a warning.
            response["Content-Length"] = str(len(response.content))
            response.content = b""
        return response


def too_large(limit: int) -> HttpResponse:
    mb = limit / (1024 * 1024)
    message = (f"Dữ liệu gửi lên quá lớn (tối đa {mb:.0f} MB một lần gửi). "
               "Hãy gửi tệp nhỏ hơn, hoặc chia thành nhiều lần.")
    body = render_to_string("web/too_large.html", {"message": message})
    return HttpResponse(body, status=413)
