from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from .policies import frameworks_visible_to, versions_visible_to
from .selectors import criteria_of, framework_list


@login_required
def framework_index(request):
    return render(request, "frameworks/framework_list.html", {"frameworks": framework_list(frameworks_visible_to(request.user))})


@login_required
def version_detail(request, public_id: str):
    version = get_object_or_404(versions_visible_to(request.user).select_related("framework"), public_id=public_id)
    return render(request, "frameworks/version_detail.html", {"version": version, "criteria": criteria_of(version)})
