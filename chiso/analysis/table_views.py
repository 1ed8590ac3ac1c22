"""Results tables: import a national or a private table as a new version, read one table with
its versions, restore an older version. The national tables are replaced only by users with
national scope; a province's private tables are seen and written within that province."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from chiso.common.errors import ConflictError, ServiceError
from chiso.common.uploads import upload_bytes
from chiso.core.ranking import competition_ranks
from chiso.frameworks.models import IndexKind
from chiso.scores.policies import may_write_table, tables_visible_to
from chiso.scores.tables import results_table_restore, version_lines

from . import services
from .edit_views import _require
from .policies import can_import_tables


def _int(text) -> int | None:
    try:
        return int(text)
    except (TypeError, ValueError):
        return None


@login_required
@require_POST
def import_table(request):
    """A file as a new version of the national table (national scope only) or of the province's
    own table. `version`: the table's version the form showed, when it came from the table's page."""
    _require(can_import_tables(request.user))
    index = request.POST.get("index", "")
    upload = request.FILES.get("file")
    year = _int(request.POST.get("year"))
    if year is None:
        messages.error(request, "Năm phải là một số, ví dụ 2024.")
        return redirect("analysis:rankings")
    if index not in dict(IndexKind.choices) or upload is None:
        messages.error(request, "Hãy chọn chỉ số và tệp bảng kết quả.")
        return redirect("analysis:rankings")
    private = request.POST.get("scope") == "rieng"
    try:
        table = services.results_table_import(
            actor=request.user, index=index, year=year, content=upload_bytes(upload), file_name=upload.name,
            private=private, name=request.POST.get("name", ""), version=_int(request.POST.get("version")))
    except ServiceError as exc:
        return render(request, "analysis/import_errors.html", {"errors": [exc.message, *exc.details],
                                                               "file_name": upload.name},
                      status=409 if isinstance(exc, ConflictError) else 400)
    messages.success(request, f"Đã nạp {upload.name} thành phiên bản {table.version} của bảng {table}.")
    return redirect("analysis:table", table.public_id)


@login_required
def table(request, public_id: str):
    """One table's current lines and every version, with who imported it, when and from where."""
    table = get_object_or_404(tables_visible_to(request.user).select_related("owner", "current"), public_id=public_id)
    lines = version_lines(table.current)
    computed = competition_ranks({i: line.total for i, line in enumerate(lines) if line.total is not None})
    rows = sorted(({"line": line, "computed": computed.get(i)} for i, line in enumerate(lines)),
                  key=lambda x: (x["line"].rank or x["computed"] or 999, x["line"].unit_name))
    versions = list(table.versions.select_related("imported_by", "restored_from").order_by("-number"))
    return render(request, "analysis/table.html", {
        "t": table, "rows": rows, "versions": versions, "can_write": may_write_table(request.user, table),
        "index_label": dict(IndexKind.choices).get(table.index, table.index),
    })


@login_required
@require_POST
def table_restore(request, public_id: str):
    table = get_object_or_404(tables_visible_to(request.user).select_related("owner"), public_id=public_id)
    number, version = _int(request.POST.get("number")), _int(request.POST.get("version"))
    try:
        restored = results_table_restore(actor=request.user, table=table, number=number or 0,
                                         version=-1 if version is None else version)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("analysis:table", table.public_id)
    messages.success(request, f"Đã khôi phục phiên bản {number}: bảng {table} nay là phiên bản {restored.number}.")
    return redirect("analysis:table", table.public_id)
