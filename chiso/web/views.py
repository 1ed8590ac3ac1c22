from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache

from chiso.accounts.policies import can_manage_plans
from chiso.common.fragments import cached_fragment
from chiso.common.pages import cached_page
from chiso.plans.policies import plans_visible_to
from chiso.plans.selectors import plan_list, search
from chiso.units.policies import units_visible_to


@login_required
@cached_page("home")
def home(request):
    from django.utils import timezone

    from chiso.progress.views import my_work, my_work_counts

    user, today = request.user, timezone.localdate()

    def content_html() -> str:  # the user's own: their work and the plans of their scope, on one day
        board = my_work(user, today)
        return render_to_string("web/home.html#content", {
            "plans": plan_list(plans_visible_to(user)), "board": board, "my_work": my_work_counts(board),
            "user": user, "nav_can_manage": can_manage_plans(user)})

    html = cached_fragment("home", (user.pk, today.isoformat()), content_html)
    return render(request, "web/home.html", {"content_html": mark_safe(html)})


class LoginView(auth_views.LoginView):
    """The login page; in the local demo (only there) it lists the demo logins and their password."""

    template_name = "accounts/login.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if settings.LOCAL_DEMO:
            from chiso.demo.steps import DEMO_PASSWORD, demo_logins

            context["demo_logins"], context["demo_password"] = demo_logins(), DEMO_PASSWORD
        return context


@login_required
def search_view(request):
    from django.utils import timezone

    from chiso.plans.models import TaskStatus
    from chiso.plans.selectors import DEADLINE_FILTERS, SEARCH_KINDS

    query = request.GET.get("q", "").strip()
    kind = request.GET.get("loai", "")
    kind = kind if kind in SEARCH_KINDS else ""
    status = request.GET.get("trang-thai", "")
    status = status if status in TaskStatus.values else ""
    deadline = request.GET.get("han", "")
    deadline = deadline if deadline in DEADLINE_FILTERS else ""
    results = search(plans_visible_to(request.user), units_visible_to(request.user), query, kind=kind, status=status,
                     deadline=deadline, today=timezone.localdate()) if query else None
    template = "web/search.html#results" if request.htmx else "web/search.html"
    return render(request, template, {"query": query, "results": results, "kind": kind, "status": status,
                                      "deadline": deadline, "kinds": list(SEARCH_KINDS.items()),
                                      "statuses": list(TaskStatus.choices), "deadlines": list(DEADLINE_FILTERS.items())})


@never_cache
def healthz(request):
    """For a load balancer or a monitor: answers "ok" when this process can reach the database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
