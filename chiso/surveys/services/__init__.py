"""Writes: each `<thing>_<verb>(*, actor, ...)` checks its actor and runs in one transaction.

Answering is the one write without an account: `response_submit` takes the token (a printed
or emailed single-use key, or a unit's open-link key) as its credential.
"""
from .answers import Entry, encoded, entry_for_key, entry_refusal, response_enter, response_submit
from .base import MAX_INVITES, MAX_SERIAL, MAX_TOKENS_PER_BATCH, AnswerErrors, Refused
from .campaigns import (
                        CampaignInput,
                        UnitRow,
                        campaign_create,
                        campaign_set_public,
                        campaign_set_state,
                        campaign_unit_remove,
                        campaign_units_save,
                        invitations_send,
                        tokens_issue,
)
from .indices import PapiReport, campaign_results_feed, papi_results_import, publication_save
from .questionnaires import bundled_questionnaires_load, questionnaire_change, questionnaire_copy, questionnaire_save

__all__ = [
    "AnswerErrors", "CampaignInput", "Entry", "MAX_INVITES", "MAX_SERIAL", "MAX_TOKENS_PER_BATCH", "PapiReport",
    "Refused", "UnitRow", "bundled_questionnaires_load", "campaign_create", "campaign_results_feed",
    "campaign_set_public", "campaign_set_state", "campaign_unit_remove", "campaign_units_save", "encoded",
    "entry_for_key", "entry_refusal", "invitations_send", "papi_results_import", "publication_save",
    "questionnaire_change", "questionnaire_copy", "questionnaire_save", "response_enter", "response_submit", "tokens_issue",
]
