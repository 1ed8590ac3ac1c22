from __future__ import annotations

import re
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils import timezone
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from chiso.accounts.policies import oversees_province
from chiso.common.fragments import cached_fragment
from chiso.common.pages import cached_page
from chiso.core.svg import bar_chart

from .models import Plan
from .policies import can_decide_plan, can_write_plan, plans_visible_to
from .selectors import (METHOD_LABELS, PlanFilter, filter_item_rows, item_rows, plan_filter_choices, plan_tables,
                        table_gap, target_years, total_cells)


def _plan(request, public_id: str) -> Plan:
    # the source's reading (the whole document as read) is large and not shown here
    return get_object_or_404(plans_visible_to(request.user).select_related("issuer", "source")
                             .defer("source__reading"), public_id=public_id)


def _plan_rows(request, public_id: str):
    """The plan, its tables with their rows as filtered by the GET parameters, the filter."""
    plan = _plan(request, public_id)
    flt = PlanFilter.from_query(request.GET)
    return plan, _tables(plan, flt, timezone.localdate()), flt


def _tables(plan: Plan, flt: PlanFilter, today) -> list[dict]:
    tables = []
    for table in plan_tables(plan):
        rows = item_rows(table)
        tables.append({"table": table, "all_rows": rows, "rows": filter_item_rows(rows, flt, today),
                       "target_years": target_years(table), "has_values": bool(table.columns),
                       "totals": total_cells(table)})
    return tables


@login_required
@cached_page("plan")
def plan_detail(request, public_id: str):
    plan = _plan(request, public_id)
    flt = PlanFilter.from_query(request.GET)
    user, today = request.user, timezone.localdate()

    def body_html() -> str:
        tables = _tables(plan, flt, today)
        shown = sum(len(r.tasks) for t in tables for r in t["rows"])
        total = sum(len(r.tasks) for t in tables for r in t["all_rows"])
        return render_to_string("plans/plan_detail.html#body", {
            "plan": plan, "tables": tables, "flt": flt, "filter_query": urlencode(flt.as_query()),
            "choices": plan_filter_choices([t["all_rows"] for t in tables]), "shown": shown, "total": total,
            "user": user})

    # The filters, counts and tables are the same for every reader but for the task links
    # (opens_for): overseers get every link, others their unit's tasks' links.
    variant = "all" if oversees_province(user) else f"unit{user.unit_id or 0}"
    key = (plan.pk, variant, today.isoformat(), flt.field, flt.unit, flt.status, flt.deadline, flt.sort, flt.lead_only)
    html = cached_fragment("plan-body", key, body_html)
    return render(request, "plans/plan_detail.html", {"plan": plan, "body_html": mark_safe(html),
                                                      **lifecycle(user, plan)})


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TASK_HEADERS = ["STT", "Bảng", "Lĩnh vực, tiêu chí", "Nhiệm vụ, giải pháp", "Chủ trì", "Phối hợp", "Thời hạn",
                "Sản phẩm", "Trạng thái"]


@login_required
def plan_tasks_xlsx(request, public_id: str):
    """The plan page's tasks as filtered and sorted there, one line per task; every text the
    plan's writers typed stays text (chiso.common.office)."""
    from openpyxl.styles import Alignment, Font

    from chiso.common.office import new_workbook, put, sheet_print_setup, workbook_bytes
    from chiso.core.text import fold

    plan, tables, flt = _plan_rows(request, public_id)
    book = new_workbook()
    ws = book.active
    ws.title = "Nhiệm vụ"
    put(ws, 1, 1, plan.title).font = Font(bold=True)
    put(ws, 2, 1, f"{plan.issuer.name}{' · Số ' + plan.number if plan.number else ''}"
                  f"{' · danh sách đã lọc, như trên trang kế hoạch' if flt.active else ''}")
    for col, text in enumerate(TASK_HEADERS, start=1):
        put(ws, 4, col, text).font = Font(bold=True)
    n = 0
    for t in tables:
        for row in t["rows"]:
            for task in row.tasks:
                n += 1
                names = {"lead": [], "coordinating": []}
                for a in task.assignments.all():
                    names.setdefault(a.role, []).append(a.unit.name if a.unit else a.text)
                values = [n, t["table"].index.replace("_", " "), f"{row.item.display_code} {row.item.name}".strip(),
                          task.text, "; ".join(names["lead"]), "; ".join(names["coordinating"]),
                          task.due_date.strftime("%d/%m/%Y") if task.due_date else task.deadline_text,
                          task.deliverable, task.get_status_display()]
                for col, value in enumerate(values, start=1):
                    put(ws, 4 + n, col, value).alignment = Alignment(wrap_text=True, vertical="top")
    for col, width in enumerate((6, 12, 40, 60, 30, 30, 16, 30, 16), start=1):
        ws.column_dimensions[ws.cell(4, col).column_letter].width = width
    sheet_print_setup(ws, header_row=4)
    response = HttpResponse(workbook_bytes(book), content_type=XLSX_TYPE)
    stem = re.sub(r"[^a-z0-9]+", "-", fold(plan.number or plan.title)).strip("-")[:60] or "ke-hoach"
    response["Content-Disposition"] = f'attachment; filename="nhiem-vu-{stem}.xlsx"'
    return response


@login_required
def plan_gap(request, public_id: str):
    plan = get_object_or_404(plans_visible_to(request.user).select_related("issuer"), public_id=public_id)
    gaps = []
    for table in plan_tables(plan):
        result = table_gap(table)
        if result is None:
            continue
        chart = bar_chart(
            [(f"{g.code}. {g.name.capitalize()}", g.lost, g.max_points) for g in result.fields],
            title="Điểm bị mất theo lĩnh vực", value_label="điểm bị mất / điểm tối đa",
        )
        methods = sorted(result.lost_by_method.items(), key=lambda kv: -kv[1])
        gaps.append({
            "table": table, "result": result, "chart": chart,
            # each field and criterion links to its row of the plan (and its tasks)
            "items": {i.code: i.public_id for i in table.items.all() if i.code},
            "methods": [(METHOD_LABELS.get(m, m), m, v) for m, v in methods],
        })
    from chiso.scores.policies import can_edit_results

    return render(request, "plans/plan_gap.html", {"plan": plan, "gaps": gaps,
                                                    "can_import": can_edit_results(request.user)})


def lifecycle(user, plan) -> dict:
    """What the plan's page offers about its life: its editions and who may do what next."""
    return {"editions": list(plan.editions.select_related("issued_by").order_by("seq")),
            "may_write": can_write_plan(user, plan), "may_decide": can_decide_plan(user, plan)}
