"""Read-only API of plans and their tasks, with the same scope as the pages."""
from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from chiso.plans.models import Assignment
from chiso.plans.policies import plans_visible_to, tasks_visible_to

router = Router(tags=["Kế hoạch, nhiệm vụ"])


class PlanOut(Schema):
    id: str
    number: str
    title: str
    issuer: str
    date: dt.date | None
    first_year: int
    last_year: int


class AssignmentOut(Schema):
    role: str
    unit_id: str | None
    unit: str


class TaskOut(Schema):
    id: str
    plan_id: str
    criterion_code: str
    criterion: str
    text: str
    deliverable: str
    deadline_text: str
    due_date: dt.date | None
    status: str
    assignments: list[AssignmentOut]

    @staticmethod
    def resolve_id(task) -> str:
        return task.public_id if hasattr(task, "public_id") else task["id"]

    @staticmethod
    def resolve_plan_id(task) -> str:
        return task.item.table.plan.public_id

    @staticmethod
    def resolve_criterion_code(task) -> str:
        return task.item.code

    @staticmethod
    def resolve_criterion(task) -> str:
        return task.item.name

    @staticmethod
    def resolve_assignments(task) -> list[dict]:
        return [{"role": a.role, "unit_id": a.unit.public_id if a.unit else None,
                 "unit": a.unit.name if a.unit else a.text} for a in task.assignments.all()]


def plan_out(plan) -> dict:
    return {"id": plan.public_id, "number": plan.number, "title": plan.title, "issuer": plan.issuer.name,
            "date": plan.date, "first_year": plan.first_year, "last_year": plan.last_year}


def tasks_queryset(request):
    return tasks_visible_to(request.user).select_related("item__table__plan").prefetch_related(
        Prefetch("assignments", queryset=Assignment.objects.select_related("unit").order_by("role_order", "position")))


@router.get("/plans", response=list[PlanOut], summary="Các kế hoạch được xem")
def list_plans(request):
    return [plan_out(p) for p in plans_visible_to(request.user).select_related("issuer")]


@router.get("/plans/{plan_id}", response=PlanOut, summary="Một kế hoạch")
def get_plan(request, plan_id: str):
    return plan_out(get_object_or_404(plans_visible_to(request.user).select_related("issuer"), public_id=plan_id))


@router.get("/plans/{plan_id}/tasks", response=list[TaskOut], summary="Nhiệm vụ của kế hoạch (trong phạm vi được xem)")
@paginate(LimitOffsetPagination)
def list_tasks(request, plan_id: str):
    plan = get_object_or_404(plans_visible_to(request.user), public_id=plan_id)
    return tasks_queryset(request).filter(item__table__plan=plan)


@router.get("/tasks/{task_id}", response=TaskOut, summary="Một nhiệm vụ")
def get_task(request, task_id: str):
    return get_object_or_404(tasks_queryset(request), public_id=task_id)

