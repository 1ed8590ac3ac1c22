"""The surveys demo step: the bundled questionnaires, and for Đắk Lắk a SIPAS campaign of this
year and last year over a few of its one-stop counters, with generated anonymous answers,
published on the province's public page. Idempotent: run again, it adds nothing."""
from __future__ import annotations

import datetime as dt
import random

DEMO_UNITS = [("Sở Tư pháp", 2400), ("Sở Xây dựng", 3100), ("Sở Nông nghiệp và Môi trường", 5200),
              ("Sở Y tế", 1800), ("Sở Công Thương", 1500), ("Sở Nội vụ", 900)]
PER_UNIT = 36


class _Form(dict):
    def getlist(self, key):
        return self.get(key, [])


def _answers(rng: random.Random, lean: float) -> _Form:
    form = _Form(F1=[rng.choice(["dat-dai", "xay-dung", "ho-tich", "chung-thuc", "khac"])],
                 F2=[rng.choice(["18-25", "26-40", "41-60", "61+"])], F3=[rng.choice(["nam", "nu"])],
                 F4=[rng.choice(["truc-tiep", "buu-chinh", "truc-tuyen"])])
    for i in range(1, 17):
        form[f"C{i}"] = [str(min(5, max(1, round(rng.gauss(3.4 + lean, 0.9)))))]
    bothered = rng.random() < 0.08
    form["C17"] = ["co" if bothered else "khong"]
    if bothered:
        form["C18"] = [rng.choice(["phien-ha", "tre-hen"])]
    return form


def load_surveys_demo(out) -> None:
    from django.utils import timezone

    from chiso.accounts.models import User
    from chiso.units.reference import province

    from chiso.surveys import services
    from chiso.surveys.models import Campaign, Publication

    templates = {q.code: q for q in services.bundled_questionnaires_load(actor=None)}
    daklak = province("Đắk Lắk")
    coordinator = User.objects.filter(username="snv.daklak").first()
    if coordinator is None or Campaign.objects.filter(owner=daklak).exists():
        out("Khảo sát: đã có dữ liệu mẫu (hoặc chưa có tài khoản snv.daklak)")
        return
    today = timezone.localdate()
    units = {u.name: u for u in daklak.children.filter(name__in=[n for n, _ in DEMO_UNITS])}
    rng = random.Random(2025)
    made = 0
    for year, start, end, lean in ((today.year - 1, today - dt.timedelta(days=400), today - dt.timedelta(days=340), -0.2),
                                   (today.year, today - dt.timedelta(days=20), today + dt.timedelta(days=40), 0.0)):
        campaign = services.campaign_create(
            actor=coordinator, owner=daklak, questionnaire=templates["sipas-qd1001"],
            data=services.CampaignInput(f"Khảo sát sự hài lòng (SIPAS) năm {year}", year, start, today + dt.timedelta(days=1)))
        services.campaign_units_save(actor=coordinator, campaign=campaign,
                                     rows=[services.UnitRow(units[n], dossiers) for n, dossiers in DEMO_UNITS if n in units])
        services.campaign_set_state(actor=coordinator, campaign=campaign, state="open")
        for i, cu in enumerate(campaign.units.select_related("unit", "campaign__questionnaire")):
            for k in range(PER_UNIT):
                services.response_enter(actor=coordinator, campaign_unit=cu, serial=f"{year}-{k + 1:03d}",
                                        data=_answers(rng, lean + (i - 2) * 0.12), today=today)
                made += 1
        if end < today:
            Campaign.objects.filter(pk=campaign.pk).update(ends_on=end)
            services.campaign_set_state(actor=coordinator, campaign=campaign, state="closed")
        services.campaign_set_public(actor=coordinator, campaign=campaign, public=True)
    publication, _ = Publication.objects.get_or_create(owner=daklak)
    services.publication_save(actor=coordinator, owner=daklak, enabled=True, indices=[], years=[], levels=[],
                              revision=publication.revision)
    out(f"Khảo sát SIPAS của Đắk Lắk: 2 đợt, {made} phiếu mẫu; trang công khai /cong-khai/{publication.slug}/")
