"""Writes to plans, each `<thing>_<verb>(*, actor, ...)` in one transaction, checking its actor:

- loading: a plan-table document loaded as a plan, and the row writers the loader calls
  (`plan_load`, `plan_create`, `task_create` …);
- starting: a draft from a unit's results, from last year's plan, or blank on a framework;
- editing: the heading, rows, targets, tasks and agencies of a draft, each refused on a stale
  form, removals undoable;
- lifecycle: submit, return, issue (number, date, signed PDF), amend, discard.
"""
from .editing import (EDITABLE_ROLES, assignment_add, assignment_remove, item_add, item_move, item_remove,
                      item_update, parsed_deadline, plan_update, removal_undo, resolve_agency, task_add, task_copy, task_keep,
                      task_move, task_remove, task_update)
from .lifecycle import plan_amend, plan_discard, plan_issue, plan_return, plan_submit
from .loading import (NOT_A_LOADER, AssignmentInput, ValueInput, plan_create, plan_item_create, plan_load,
                      plan_table_create, plan_table_warnings_set, source_document_create, task_create)
from .starting import LostInput, plan_start_blank, plan_start_from_lost, plan_start_from_plan, plan_start_from_results

__all__ = [
    "EDITABLE_ROLES", "NOT_A_LOADER", "AssignmentInput", "LostInput", "ValueInput", "assignment_add",
    "assignment_remove", "item_add", "item_move", "item_remove", "item_update", "parsed_deadline", "plan_amend",
    "plan_create", "plan_discard", "plan_issue", "plan_item_create", "plan_load", "plan_return",
    "plan_start_blank", "plan_start_from_lost", "plan_start_from_plan", "plan_start_from_results",
    "plan_submit", "plan_table_create", "plan_table_warnings_set", "plan_update", "removal_undo",
    "resolve_agency", "source_document_create", "task_add", "task_copy", "task_create", "task_keep", "task_move",
    "task_remove", "task_update",
]
