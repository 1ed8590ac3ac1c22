"""Writes to the province's own index, each `<thing>_<verb>(*, actor, ...)` in one transaction,
checking its actor's permission and scope itself:

- building: frameworks (criteria, import, copy of last year's, revision, scale), cycles, council;
- sheets: the unit's self-scores, evidence, explanations, submission and withdrawal, answers;
- appraising: appraised scores, send-backs, survey points, finalising, publication;
- national: the province's own PAR INDEX self-assessment toward the ministry, and the ministry's scores.
"""
from .appraising import (InputRow, PointRow, computed_inputs_set, cycle_publish, entries_accept_self, entry_appraise, send_back_create, sheet_finalise,
                         survey_points_received, survey_points_set)
from .building import (CriterionInput, CycleDates, council_member_remove, council_member_set, criteria_import,
                       criterion_inputs, criterion_remove, criterion_save, cycle_dates_save, cycle_open, framework_copy,
                       framework_create, in_use, thresholds_save)
from .national import ministry_scores_apply, national_cycle_open
from .sheets import (SelfInput, entry_save, evidence_add, evidence_remove, evidence_take, offered_by_code, offered_evidence, send_back_answer,
                     sheet_submit, sheet_withdraw, submission_problems)

__all__ = [
    "CriterionInput", "CycleDates", "InputRow", "PointRow", "computed_inputs_set", "SelfInput", "council_member_remove", "council_member_set",
    "criteria_import", "criterion_inputs", "criterion_remove", "criterion_save", "cycle_dates_save", "cycle_open",
    "cycle_publish", "entries_accept_self", "entry_appraise", "entry_save", "evidence_add", "evidence_remove", "ministry_scores_apply", "national_cycle_open", "evidence_take", "framework_copy",
    "framework_create", "in_use", "offered_by_code", "offered_evidence", "send_back_answer", "send_back_create", "sheet_finalise",
    "sheet_submit", "sheet_withdraw", "submission_problems", "survey_points_received", "survey_points_set",
    "thresholds_save",
]
