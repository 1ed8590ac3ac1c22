"""Signals between apps of the same layer, which may not import each other.

`survey_points_ready` — a province's own survey produced points per unit and criterion
(chiso.surveys sends it when a coordinator feeds a campaign's results into the indices; an
app that keeps survey points, such as the province's internal index, connects to it). Arguments:
`actor` (the user), `year`, `framework` (the framework code the criteria belong to) and `points`,
a list of SurveyPoint: a unit's share (%) on a criterion, which the receiver turns into that
criterion's points (share × its max / 100). Sent once the province's own scores are saved; a
receiver refuses by raising ServiceError, whose message the coordinator reads.

`reminders_due` — `chiso send-reminders` runs (chiso.progress sends it after its own reminders):
an app with reminders of its own (the surveys' unanswered invitations) sends them now. Arguments:
`today` (a date) and `dry_run` (count, send nothing). Each receiver returns a Reminded (emails
sent, reminders in them, per kind); it must never send the same reminder twice however often it runs.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.dispatch import Signal

survey_points_ready = Signal()
reminders_due = Signal()


@dataclass
class Reminded:
    emails: int = 0
    reminders: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)  # each kind's Vietnamese name, for the summary


@dataclass(frozen=True)
class SurveyPoint:
    unit_id: int
    criterion_code: str
    share: Decimal  # the survey's index for this criterion, in % (0–100)
    respondents: int
    source: str
