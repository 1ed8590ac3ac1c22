"""Signals between apps of the same layer, which may not import each other.

`survey_points_ready` — a province's own survey produced points per unit and criterion
(chiso.surveys sends it when a coordinator feeds a campaign's results into the indices; an
app that keeps survey points, such as the province's internal index, connects to it). Arguments:
`actor` (the user), `year`, `framework` (the framework code the criteria belong to) and `points`,
a list of SurveyPoint.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.dispatch import Signal

survey_points_ready = Signal()


@dataclass(frozen=True)
class SurveyPoint:
    unit_id: int
    criterion_code: str
    share: Decimal  # the survey's index for this criterion, in % (0–100)
    respondents: int
    source: str
