"""The units pages (a unit's tasks come from the plans, so they live above both apps)."""
from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from chiso.plans.models import TaskStatus
from chiso.plans.selectors import DEADLINE_FILTERS, PlanFilter, task_matches, unit_assignments
from chiso.units.policies import units_visible_to


@login_required
def unit_list(request):
    units = units_visible_to(request.user).select_related("parent", "successor").order_by("root__name", "kind", "name")
    return render(request, "units/unit_list.html", {"units": units})


UNIT_SORTS = {"": "Theo kế hoạch", "han": "Theo thời hạn"}


def _unit_rows(request, public_id: str):
    """The unit, its assignments as filtered by the GET parameters (plan, task status, deadline;
    sorted by plan or deadline), the choices and the query to carry to the Excel link."""
    unit = get_object_or_404(
        units_visible_to(request.user).select_related("parent", "successor").prefetch_related("aliases"),
        public_id=public_id,
    )
    assignments = unit_assignments(unit)
    plans = {a.task.item.table.plan.public_id: a.task.item.table.plan for a in assignments}
    plan_id = request.GET.get("ke-hoach", "")
    plan_id = plan_id if plan_id in plans else ""
    flt = PlanFilter.from_query(request.GET)
    flt.unit, flt.field = "", ""  # the unit is this page's; fields differ between plans
    sort = flt.sort if flt.sort in UNIT_SORTS else ""
    today = timezone.localdate()
    shown = [a for a in assignments if (not plan_id or a.task.item.table.plan.public_id == plan_id)
             and task_matches(a.task, flt, today)]
    if sort == "han":
        shown.sort(key=lambda a: (a.task.due_date is None, a.task.due_date or dt.date.max))
    query = {k: v for k, v in (("ke-hoach", plan_id), ("trang-thai", flt.status), ("han", flt.deadline),
                               ("sap-xep", sort)) if v}
    return unit, assignments, shown, {
        "plans": [(pid, p.number or p.years_label) for pid, p in plans.items()], "plan_id": plan_id,
        "statuses": list(TaskStatus.choices), "deadlines": list(DEADLINE_FILTERS.items()),
        "sorts": list(UNIT_SORTS.items()), "flt": flt, "sort": sort, "query": urlencode(query), "filtered": bool(query)}


@login_required
def unit_detail(request, public_id: str):
    unit, assignments, shown, choices = _unit_rows(request, public_id)
    lead = [a for a in shown if a.role == "lead"]
    other = [a for a in shown if a.role != "lead"]
    return render(request, "units/unit_detail.html", {"unit": unit, "lead": lead, "other": other,
                                                      "total": len(assignments), "shown_count": len(shown),
                                                      "c": choices})


@login_required
def unit_tasks_xlsx(request, public_id: str):
    """The unit page's tasks as filtered there, one line per task; user text stays text."""
    from openpyxl.styles import Alignment, Font

    from chiso.common.office import new_workbook, put, sheet_print_setup, workbook_bytes
    from chiso.core.text import fold

    unit, _, shown, _ = _unit_rows(request, public_id)
    book = new_workbook()
    ws = book.active
    ws.title = "Nhiệm vụ"
    put(ws, 1, 1, f"Nhiệm vụ của {unit.name}").font = Font(bold=True)
    headers = ["STT", "Kế hoạch", "Tiêu chí", "Nhiệm vụ", "Vai trò", "Thời hạn", "Trạng thái"]
    for col, text in enumerate(headers, start=1):
        put(ws, 3, col, text).font = Font(bold=True)
    for n, a in enumerate(shown, start=1):
        task, plan = a.task, a.task.item.table.plan
        values = [n, f"{plan.number or plan.years_label} · {plan.issuer.name}",
                  f"{task.item.table.index.replace('_', ' ')} {task.item.code}".strip(), task.text,
                  a.get_role_display(), task.due_date.strftime("%d/%m/%Y") if task.due_date else task.deadline_text,
                  task.get_status_display()]
        for col, value in enumerate(values, start=1):
            put(ws, 3 + n, col, value).alignment = Alignment(wrap_text=True, vertical="top")
    for col, width in enumerate((6, 30, 16, 70, 14, 16, 18), start=1):
        ws.column_dimensions[ws.cell(3, col).column_letter].width = width
    sheet_print_setup(ws, header_row=3)
    response = HttpResponse(workbook_bytes(book),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    stem = re.sub(r"[^a-z0-9]+", "-", fold(unit.name)).strip("-")[:60] or "don-vi"
    response["Content-Disposition"] = f'attachment; filename="nhiem-vu-{stem}.xlsx"'
    return response
