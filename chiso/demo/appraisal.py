"""The province's own index in the demo: Đắk Lắk scores its departments and its communes and wards.

Both frameworks are built from the structure of the provincial PAR INDEX (QĐ 876: its 8 fields and
their criteria), with the methods, guidance and unit kinds a province sets for its own units. The 2024
cycles are finished and published (their results feed each unit's gap page); the 2025 cycles are open:
Sở Tư pháp (stp.daklak, leader lanhdao.stp.daklak) has a draft with most criteria scored — 2.1 can take
the PDF of its Quý IV/2025 report — and Xã Hòa Phú (xa.hoaphu.daklak) has just started; Sở Xây dựng
submitted late and waits for appraisal; the other units are appraised and final. The council:
thamdinh.daklak (a member, Sở Nội vụ) and chutich.hdtd.daklak (its lead). Idempotent.
"""
from __future__ import annotations

import csv
import datetime as dt
import zlib
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

PROVINCE = "Đắk Lắk"
COMMUNES = ["Phường Buôn Ma Thuột", "Phường Tân An", "Phường Ea Kao", "Phường Tuy Hòa", "Phường Buôn Hồ",
            "Xã Hòa Phú", "Xã Ea Kar", "Xã Krông Pắc", "Xã Cư M'gar", "Xã Ea Súp", "Xã Sơn Hòa", "Xã Lắk"]
# username, full name, unit (None: the province), role
USERS = [
    ("lanhdao.stp.daklak", "Vũ Minh Khoa (Giám đốc Sở Tư pháp Đắk Lắk)", "Sở Tư pháp", "leader"),
    ("xa.hoaphu.daklak", "Y Blang Niê (công chức Văn phòng UBND xã Hòa Phú)", "Xã Hòa Phú", "officer"),
    ("lanhdao.hoaphu.daklak", "H'Hoa Mlô (Chủ tịch UBND xã Hòa Phú)", "Xã Hòa Phú", "leader"),
    ("thamdinh.daklak", "Đinh Văn Lâm (Phòng CCHC, Sở Nội vụ Đắk Lắk)", "Sở Nội vụ", "officer"),
    ("chutich.hdtd.daklak", "Ngô Thị Mai (Phó Chủ tịch UBND tỉnh, Chủ tịch Hội đồng thẩm định)", None, "officer"),
]
LOGINS = [("stp.daklak", "Sở Tư pháp: tự đánh giá (cán bộ)"),
          ("lanhdao.stp.daklak", "Sở Tư pháp: lãnh đạo duyệt, gửi, rút lại"),
          ("xa.hoaphu.daklak", "Xã Hòa Phú: tự đánh giá (công chức)"),
          ("lanhdao.hoaphu.daklak", "Xã Hòa Phú: lãnh đạo duyệt, gửi"),
          ("thamdinh.daklak", "Thành viên Hội đồng thẩm định"),
          ("chutich.hdtd.daklak", "Chủ tịch Hội đồng thẩm định (chốt kết quả)"),
          ("snv.daklak", "Sở Nội vụ: bộ chỉ số, mở đợt, nhập điểm điều tra, công bố")]
SURVEY = {"8.1"}
STATISTICS = {"3.4", "8.2", "8.3", "8.4", "8.5"}
COMMUNE_ONLY = {"5.6"}          # the standard of commune officials: not applicable to a department
DEPARTMENT_ONLY = {"6.3", "4.3"}  # public service units' autonomy, decentralisation
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _rows(group: str):
    from chiso.appraisal.services import CriterionInput
    from chiso.frameworks.services import DATA_DIR

    who = "sở, ngành" if group == "departments" else "xã, phường"
    out = []
    with (DATA_DIR / "par_index_province_qd876.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            code = row["code"]
            if code.count(".") > 1:
                continue
            name = row["name"].replace("của tỉnh", f"của {who}").replace("do tỉnh ban hành", "do đơn vị tham mưu")
            method = "survey" if code in SURVEY else "statistics" if code in STATISTICS else "appraisal"
            kinds = ["commune"] if code in COMMUNE_ONLY else ["department"] if code in DEPARTMENT_ONLY else []
            guidance = ("" if "." not in code else
                        f"Hoàn thành đầy đủ, đúng thời hạn: {row['max_points'].replace('.', ',')} điểm; hoàn thành "
                        "nhưng chậm hoặc chưa đầy đủ: một nửa số điểm; không thực hiện: 0 điểm." if method == "appraisal"
                        else "Điểm do Sở Nội vụ nhập từ kết quả điều tra xã hội học / số liệu thống kê.")
            out.append(CriterionInput(code, name, Decimal(row["max_points"]), method if "." in code else "appraisal",
                                      guidance, evidence_required=code.split(".")[0] in {"1", "2", "3"}
                                      and method == "appraisal", unit_kinds=kinds))
    return out


def _share(*parts: str) -> Decimal:
    """A steady made-up share of the max (0,55–0,99) for a unit and criterion."""
    return Decimal(55 + zlib.crc32("|".join(parts).encode()) % 45) / 100


def _ensure_people(province, out):
    from chiso.accounts.models import User
    from chiso.units.models import Unit, UnitKind
    from chiso.units.services import unit_create

    from .steps import DEMO_PASSWORD

    for name in COMMUNES:
        if not Unit.objects.filter(parent=province, name=name).exists():
            unit_create(actor=None, name=name, kind=UnitKind.COMMUNE, parent=province)
    users = {}
    for username, full_name, unit_name, role in USERS:
        unit = province if unit_name is None else Unit.objects.get(parent=province, name=unit_name)
        user, created = User.objects.get_or_create(username=username, defaults={
            "full_name": full_name, "unit": unit, "role": role, "email": f"{username}@example.invalid"})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        users[username] = user
    return users


def _dates(start: dt.date):
    from chiso.appraisal.services import CycleDates

    return CycleDates(start + dt.timedelta(days=14), start + dt.timedelta(days=30), start + dt.timedelta(days=40),
                      start + dt.timedelta(days=50))


def _score_all(cycle, *, year: int, skip=(), state="finalised", late=()):
    """Self and appraised points for every sheet but `skip`, written with their history."""
    from simple_history.utils import bulk_update_with_history

    from chiso.appraisal.models import Entry, Sheet

    entries = []
    for e in Entry.objects.filter(sheet__cycle=cycle).exclude(sheet__unit__name__in=skip).select_related(
            "criterion", "sheet__unit"):
        share = _share(e.sheet.unit.name, e.criterion.code, str(year))
        if e.applicable:
            e.score = (e.criterion.max_points * share).quantize(Decimal("0.01"))
            if e.criterion.method == "appraisal":
                e.self_score = min(e.criterion.max_points, (e.score * Decimal("1.08")).quantize(Decimal("0.01")))
                e.explanation = "Tài liệu kiểm chứng lưu tại hồ sơ CCHC năm của đơn vị."
        if state != "finalised":
            e.score = None
        entries.append(e)
    bulk_update_with_history(entries, Entry, ["self_score", "score", "explanation"], batch_size=500)
    sheets = list(Sheet.objects.filter(cycle=cycle).exclude(unit__name__in=skip).select_related("unit"))
    now = timezone.now()
    for s in sheets:
        s.state, s.submitted_at = state, now
        s.late = s.unit.name in late
        s.finalised_at = now if state == "finalised" else None
    bulk_update_with_history(sheets, Sheet, ["state", "submitted_at", "late", "finalised_at"])


def _council(cycle, users):
    from chiso.appraisal import services

    for username, lead in (("thamdinh.daklak", False), ("chutich.hdtd.daklak", True)):
        services.council_member_set(actor=None, cycle=cycle, user=users[username], is_lead=lead)


def _points(cycle, *, year: int):
    from chiso.appraisal import services
    from chiso.appraisal.models import Entry

    rows = [services.PointRow(e.sheet.unit, e.criterion.code,
                              (e.criterion.max_points * _share(e.sheet.unit.name, e.criterion.code, str(year)))
                              .quantize(Decimal("0.01")))
            for e in Entry.objects.filter(sheet__cycle=cycle, applicable=True, sheet__state__in=["draft", "submitted"],
                                          criterion__method__in=["survey", "statistics"])
            .select_related("criterion", "sheet__unit")]
    services.survey_points_set(actor=None, cycle=cycle, rows=rows)


def _prefill(cycle, unit_name: str, user, *, leave: set[str]):
    """A unit's draft as its officer would have saved it: scores, a PDF where evidence is required."""
    from chiso.appraisal import services

    sheet = cycle.sheets.get(unit__name=unit_name)
    for e in sheet.entries.select_related("criterion", "criterion__internal").filter(applicable=True):
        if e.criterion.code in leave or e.criterion.method != "appraisal" or e.self_score is not None:
            continue
        points = (e.criterion.max_points * _share(unit_name, e.criterion.code, "2025")).quantize(Decimal("0.01"))
        required = getattr(getattr(e.criterion, "internal", None), "evidence_required", False)
        files = [SimpleUploadedFile(f"kiem-chung-{e.criterion.code}.pdf", PDF)] if required else []
        services.entry_save(actor=user, entry=e, version=e.version, files=files,
                            data=services.SelfInput(True, points, ""))


def load_appraisal_demo(out) -> None:
    from chiso.accounts.models import User
    from chiso.appraisal import services
    from chiso.appraisal.models import Cycle, InternalFramework
    from chiso.units.models import Unit

    province = Unit.objects.filter(name=PROVINCE, parent__isnull=True).first()
    coordinator = User.objects.filter(username="snv.daklak").first()
    if province is None or coordinator is None:
        out("Chỉ số nội bộ: chưa có tỉnh Đắk Lắk hoặc tài khoản snv.daklak, bỏ qua.")
        return
    users = _ensure_people(province, out)
    today = timezone.localdate()
    for group in ("departments", "communes"):
        if InternalFramework.objects.filter(province=province, group=group).exists():
            continue
        last = services.framework_create(actor=coordinator, province=province, group=group, year=2024,
                                         label="Quyết định số 1234/QĐ-UBND ngày 15/3/2024 của UBND tỉnh")
        services.criteria_import(actor=coordinator, framework=last, rows=_rows(group), version=last.edit_version)
        done = services.cycle_open(actor=coordinator, framework=last, name=f"Chỉ số CCHC năm 2024 — {last.get_group_display()}",
                                   dates=_dates(today))
        _council(done, users)
        _score_all(done, year=2024)
        Cycle.objects.filter(pk=done.pk).update(self_due=dt.date(2025, 1, 15), appraisal_due=dt.date(2025, 2, 15),
                                                explanation_due=dt.date(2025, 2, 28), publish_on=dt.date(2025, 3, 15))
        done.refresh_from_db()
        services.cycle_publish(actor=coordinator, cycle=done, version=done.version,
                               decision_number="456/QĐ-UBND" if group == "departments" else "457/QĐ-UBND")
        now = services.framework_copy(actor=coordinator, source=last, year=2025)
        changed = now.version.criteria.get(code="1.5")
        services.criterion_save(actor=coordinator, framework=now, criterion=changed, version=now.edit_version,
                                data=services.CriterionInput("1.5", changed.name, Decimal("1.5"), "appraisal",
                                                             "Có sáng kiến được công nhận: 1,5 điểm; có giải pháp mới "
                                                             "được áp dụng: 1 điểm.", True))
        now.refresh_from_db()
        services.criterion_save(actor=coordinator, framework=now, version=now.edit_version,
                                data=services.CriterionInput("1.8", "Ứng dụng chữ ký số trong văn bản điều hành",
                                                             Decimal("0.5"), "appraisal",
                                                             "Trên 90% văn bản ký số: 0,5 điểm.", True))
        cycle = services.cycle_open(actor=coordinator, framework=now, dates=_dates(today),
                                    name=f"Chỉ số CCHC năm 2025 — {now.get_group_display()}")
        _council(cycle, users)
        own = "Sở Tư pháp" if group == "departments" else "Xã Hòa Phú"
        waiting = {"Sở Xây dựng"} if group == "departments" else {"Phường Buôn Hồ"}
        _score_all(cycle, year=2025, skip={own} | waiting)
        _score_all(cycle, year=2025, skip=set(cycle.sheets.exclude(unit__name__in=waiting)
                                               .values_list("unit__name", flat=True)), state="submitted", late=waiting)
        _points(cycle, year=2025)
        officer = User.objects.filter(username="stp.daklak").first()
        if group == "departments" and officer is not None:
            _prefill(cycle, own, officer, leave={"1.4", "2.1", "1.8"})
    n = Cycle.objects.filter(framework__province=province).count()
    out(f"Chỉ số nội bộ Đắk Lắk: {n} đợt đánh giá (2024 đã công bố, 2025 đang mở) cho các sở, ngành và các xã, phường.")
    out("Tài khoản chỉ số nội bộ (mật khẩu chung như trên):")
    for username, what in LOGINS:
        out(f"  {username:<22} {what}")
