"""Who enters results: the scores app owns them, so the analysis pages and the document
uploads (ingest) ask here."""
from __future__ import annotations

from chiso.accounts.policies import can_manage_plans


def can_edit_results(user) -> bool:
    """Entering results, inputs and targets of units in one's scope: coordinators and administrators."""
    return can_manage_plans(user)
