"""Writes to plans: a plan-table document loaded as a plan, the document it was read from,
and the rows a plan is made of (tables, items with their printed values, tasks with their
assignments).

`plan_load` is the entry point: one transaction, refused whole. The loader
(chiso.plans.loader) reads the document and calls the row writers below; each checks its
actor itself: coordinators and administrators write the plans of their own scope, and only
someone who sees everything (an administrator, the ministry) writes a plan for a unit
outside any scope. The check of a plan's writer is made once per plan object.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction

from chiso.common.actors import acting_user, by_actor
from chiso.common.errors import require_permission

from ..models import Assignment, ItemValue, Plan, PlanItem, PlanTable, SourceDocument, Task
from ..policies import can_load_plan, issuer_allowed

if TYPE_CHECKING:
    from chiso.accounts.models import User
    from chiso.frameworks.models import Criterion, FrameworkVersion
    from chiso.units.models import Unit

    from ..loader import LoadReport

NOT_A_LOADER = "Chỉ cán bộ điều phối (Sở Nội vụ) hoặc quản trị hệ thống được nạp kế hoạch."


def _require_loader(actor: User | None) -> None:
    if actor is not None:
        require_permission(can_load_plan(actor), NOT_A_LOADER)


def _require_issuer(actor: User | None, issuer: Unit) -> None:
    if actor is not None:
        require_permission(issuer_allowed(actor, issuer),
                           f"{issuer.name} không thuộc phạm vi của tài khoản: không nạp được kế hoạch của đơn vị này.")


def _require_plan_writer(actor: User | None, plan: Plan) -> None:
    if actor is None or getattr(plan, "_checked_writer", None) == actor.pk:
        return
    _require_loader(actor)
    _require_issuer(actor, plan.issuer)
    plan._checked_writer = actor.pk


# -- the entry point -----------------------------------------------------------------

def plan_load(*, actor: User | None, document: dict, source: SourceDocument | None = None,
              issuer: Unit | None = None, dry_run: bool = False, unit_overrides: dict | None = None) -> LoadReport:
    """Loads a plan-table document. One transaction: any failure (or a dry run) leaves nothing."""
    from ..loader import PlanLoader

    _require_loader(actor)
    if issuer is not None:
        _require_issuer(actor, issuer)
    with transaction.atomic():
        report = PlanLoader(document, actor=actor, source=source, issuer=issuer,
                            unit_overrides=unit_overrides).run()
        report.dry_run = dry_run
        if dry_run:
            transaction.set_rollback(True)
    return report


@transaction.atomic
def source_document_create(*, actor: User | None, file_name: str, sha256: str, size: int, file: str,
                           reading: dict) -> SourceDocument:
    """The uploaded document a plan is loaded from, with what the reader made of it."""
    _require_loader(actor)
    source = SourceDocument(file_name=file_name[:255], sha256=sha256, size=size, file=file, reading=reading,
                            uploaded_by=acting_user(actor))
    source.save()
    return source


# -- the rows of a plan (called by the loader, inside plan_load) ------------------------

@transaction.atomic
def plan_create(*, actor: User | None, issuer: Unit, title: str, first_year: int, last_year: int,
                content_hash: str, number: str = "", date: dt.date | None = None, date_text: str = "",
                source: SourceDocument | None = None, **written) -> Plan:
    """A plan: read from a document, or (`written`: state, origin, body …) started in chiso."""
    _require_loader(actor)
    _require_issuer(actor, issuer)
    plan = Plan(issuer=issuer, number=number, date=date, date_text=date_text, title=title, first_year=first_year,
                last_year=last_year, source=source, content_hash=content_hash, created_by=acting_user(actor),
                **written)
    by_actor(plan, actor).save()
    if actor is not None:
        plan._checked_writer = actor.pk
    return plan


@transaction.atomic
def plan_table_create(*, actor: User | None, plan: Plan, position: int, index: str, caption: str,
                      version: FrameworkVersion | None, columns: list, printed_total: list) -> PlanTable:
    _require_plan_writer(actor, plan)
    table = PlanTable.objects.create(plan=plan, position=position, index=index, caption=caption, version=version,
                                     columns=columns, printed_total=printed_total)
    if version is not None:
        plan.versions.add(version)
    return table


@transaction.atomic
def plan_table_warnings_set(*, actor: User | None, table: PlanTable, warnings: list[str]) -> PlanTable:
    """What the arithmetic of the table's printed sums and totals found."""
    _require_plan_writer(actor, table.plan)
    table.warnings = warnings
    table.save(update_fields=["warnings"])
    return table


@dataclass
class ValueInput:
    """A number printed in a row (a range keeps both ends)."""

    key: str
    year: str
    value: Decimal
    value_high: Decimal | None = None


@transaction.atomic
def plan_item_create(*, actor: User | None, table: PlanTable, position: int, name: str, code: str = "",
                     printed_code: str = "", parent: PlanItem | None = None, criterion: Criterion | None = None,
                     match_status: str, reason: str = "", note: str = "", max_points: Decimal | None = None,
                     baseline: Decimal | None = None, baseline_year: str = "",
                     values: list[ValueInput] = ()) -> PlanItem:
    """A row of a plan's table with every number it prints."""
    _require_plan_writer(actor, table.plan)
    item = PlanItem.objects.create(
        table=table, position=position, parent=parent, level=parent.level + 1 if parent else 1, code=code,
        printed_code=printed_code, name=name, criterion=criterion, match_status=match_status, reason=reason,
        note=note, max_points=max_points, baseline=baseline, baseline_year=baseline_year,
    )
    ItemValue.objects.bulk_create([ItemValue(item=item, key=v.key, year=v.year, value=v.value,
                                             value_high=v.value_high) for v in values])
    return item


@dataclass
class AssignmentInput:
    """A unit (or a group such as "các sở, ban, ngành") in one role, as the document names it."""

    role: str
    text: str
    unit: Unit | None = None
    group: str = ""
    position: int = 0


@transaction.atomic
def task_create(*, actor: User | None, item: PlanItem, text: str, deliverable: str = "", deadline_text: str = "",
                deadline_kind: str = "", due_date: dt.date | None = None, period_start: dt.date | None = None,
                period_end: dt.date | None = None, recurring: bool = False, deadline_flagged: bool = False,
                assignments: list[AssignmentInput] = ()) -> Task:
    """A task of a plan item, with who leads, coordinates … it (in the order the document names them)."""
    _require_plan_writer(actor, item.table.plan)
    task = Task(item=item, text=text, deliverable=deliverable, deadline_text=deadline_text,
                deadline_kind=deadline_kind, due_date=due_date, period_start=period_start, period_end=period_end,
                recurring=recurring, deadline_flagged=deadline_flagged)
    by_actor(task, actor).save()
    for a in assignments:
        by_actor(Assignment(task=task, role=a.role, unit=a.unit, group=a.group, text=a.text[:500],
                            position=a.position), actor).save()
    return task
