from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from chiso.core.svg import bar_chart

from .policies import can_decide_plan, can_write_plan, plans_visible_to
from .selectors import METHOD_LABELS, item_rows, plan_tables, table_gap, target_years, total_cells


@login_required
def plan_detail(request, public_id: str):
    # the source's reading (the whole document as read) is large and not shown here
    plan = get_object_or_404(plans_visible_to(request.user).select_related("issuer", "source")
                             .defer("source__reading"), public_id=public_id)
    tables = []
    for table in plan_tables(plan):
        tables.append({"table": table, "rows": item_rows(table), "target_years": target_years(table),
                       "has_values": bool(table.columns), "totals": total_cells(table)})
    return render(request, "plans/plan_detail.html", {"plan": plan, "tables": tables, **lifecycle(request.user, plan)})


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
            "methods": [(METHOD_LABELS.get(m, m), m, v) for m, v in methods],
        })
    return render(request, "plans/plan_gap.html", {"plan": plan, "gaps": gaps})


def lifecycle(user, plan) -> dict:
    """What the plan's page offers about its life: its editions and who may do what next."""
    return {"editions": list(plan.editions.select_related("issued_by").order_by("seq")),
            "may_write": can_write_plan(user, plan), "may_decide": can_decide_plan(user, plan)}
