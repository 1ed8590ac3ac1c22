"""A SIPAS campaign of province A over two units, open, with the coordinator of the `world` fixture."""
import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.utils import timezone

from chiso.surveys import services
from tests.factories import UnitFactory


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def answers(level: int = 5, **over) -> dict[str, list[str]]:
    """A complete SIPAS form, every rated item at `level`, as a posted QueryDict-like dict."""
    data = {"F1": ["dat-dai"], "F2": ["26-40"], "F3": ["nu"], "C17": ["khong"]}
    data.update({f"C{i}": [str(level)] for i in range(1, 17)})
    data.update({k: [v] if isinstance(v, str) else v for k, v in over.items()})
    return data


class Posted(dict):
    def getlist(self, key):
        return self.get(key, [])


@pytest.fixture
def survey(world):
    templates = {q.code: q for q in services.bundled_questionnaires_load(actor=None)}
    counter = UnitFactory(name="Bộ phận Một cửa xã A", parent=world.province, kind="commune")
    today = timezone.localdate()
    campaign = services.campaign_create(
        actor=world.coordinator, owner=world.province, questionnaire=templates["sipas-qd1001"],
        data=services.CampaignInput("Khảo sát SIPAS 2025", 2025, today - dt.timedelta(days=5),
                                    today + dt.timedelta(days=30)))
    services.campaign_units_save(actor=world.coordinator, campaign=campaign,
                                 rows=[services.UnitRow(world.lead_unit, 1000), services.UnitRow(counter, 100)])
    services.campaign_set_state(actor=world.coordinator, campaign=campaign, state="open")
    units = {cu.unit_id: cu for cu in campaign.units.select_related("unit", "campaign__questionnaire")}
    return SimpleNamespace(world=world, campaign=campaign, templates=templates, lead=units[world.lead_unit.pk],
                           counter=units[counter.pk], counter_unit=counter, today=today)
