"""The demo's steps (see chiso.demo). Each is idempotent."""
from __future__ import annotations

import json
from pathlib import Path

from chiso.accounts.models import Role, User
from chiso.units.models import Unit, UnitKind

DEMO_DIR = Path(__file__).resolve().parent.parent / "data" / "demo"
DEMO_PASSWORD = "chiso-demo"

# Provinces whose departments the demo needs: the seed plans' issuers, and the provinces
# they merged into on 1/7/2025 (whose Sở Nội vụ now follows the older plans).
DEMO_PROVINCES = ["Đắk Lắk", "Đắk Nông", "Lâm Đồng", "Bình Định", "Gia Lai"]
DEMO_DISTRICTS = [("Bình Định", "Tuy Phước")]

# username, full name, province, unit name (None: the province itself), role
DEMO_USERS = [
    ("admin", "Quản trị hệ thống", None, None, Role.ADMIN),
    ("snv.daklak", "Nguyễn Văn An (Sở Nội vụ Đắk Lắk)", "Đắk Lắk", "Sở Nội vụ", Role.COORDINATOR),
    ("stp.daklak", "Trần Thị Bình (Sở Tư pháp Đắk Lắk)", "Đắk Lắk", "Sở Tư pháp", Role.OFFICER),
    ("vpubnd.daklak", "Lê Văn Cường (Văn phòng UBND tỉnh Đắk Lắk)", "Đắk Lắk", "Văn phòng UBND tỉnh", Role.OFFICER),
    ("lanhdao.daklak", "Phạm Thị Dung (Lãnh đạo UBND tỉnh Đắk Lắk)", "Đắk Lắk", None, Role.LEADER),
    ("snv.lamdong", "Hoàng Văn Em (Sở Nội vụ Lâm Đồng, theo dõi kế hoạch của Đắk Nông cũ)", "Lâm Đồng", "Sở Nội vụ", Role.COORDINATOR),
    ("snv.gialai", "Võ Thị Giang (Sở Nội vụ Gia Lai, theo dõi kế hoạch của Tuy Phước cũ)", "Gia Lai", "Sở Nội vụ", Role.COORDINATOR),
    # a district office (the level abolished on 1/7/2025, whose 2023-2025 plan the demo holds):
    # it leads tasks of the Tuy Phước plan and reports on them
    ("pnv.tuyphuoc", "Trương Văn Hải (Phòng Nội vụ huyện Tuy Phước)", "Bình Định", ("Tuy Phước", "Phòng Nội vụ"),
     Role.OFFICER),
]


def load_frameworks(out) -> None:
    from chiso.frameworks.services import bundled_frameworks_load

    for r in bundled_frameworks_load(actor=None):
        out(f"Bộ chỉ số {r.version.framework.index} {r.version.label}: {r.criteria} tiêu chí"
            f"{' (mới nạp)' if r.created else ''}")


def load_reference_units(out) -> None:
    from chiso.units.reference import district_load, province_agencies_load, provinces_load

    created = provinces_load(actor=None)
    for name in DEMO_PROVINCES:
        created += province_agencies_load(actor=None, province_name=name)
    for province_name, district_name in DEMO_DISTRICTS:
        created += district_load(actor=None, province_name=province_name, district_name=district_name)[1]
    out(f"Đơn vị tham chiếu: {Unit.objects.count()} đơn vị ({created} mới)")


def demo_documents() -> list[Path]:
    return sorted(DEMO_DIR.glob("*.txt"))


def load_demo_plans(out) -> None:
    """The three real seed documents, read by the reader when it is there, else their golden readings."""
    from chiso.plans.services import plan_load

    for path in demo_documents():
        document = read_demo_document(path)
        report = plan_load(actor=None, document=document)
        state = "đã có" if report.existing else report.summary()
        plan = report.plan
        label = f"Kế hoạch {plan.number}" if plan.number else (plan.title[:60].rstrip() + ("…" if len(plan.title) > 60 else ""))
        out(f"{label} ({plan.issuer.name}): {state}")


def read_demo_document(path: Path) -> dict:
    try:
        from chiso.reader import read_document
    except ImportError:
        read_document = None
    if read_document is not None:
        return read_document(path)
    return json.loads((DEMO_DIR / "golden" / f"{path.stem}.json").read_text(encoding="utf-8"))


def create_demo_users(out) -> None:
    from chiso.units.reference import province

    lines = []
    for username, full_name, province_name, unit_name, role in DEMO_USERS:
        unit = None
        if province_name:
            unit = province(province_name)
            if isinstance(unit_name, tuple):  # a district's office: (district, office)
                district, office = unit_name
                unit = unit.children.get(name=district, kind=UnitKind.DISTRICT).children.get(name=office)
            elif unit_name:
                unit = unit.children.get(name=unit_name, kind__in=[UnitKind.DEPARTMENT, UnitKind.OTHER])
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"full_name": full_name, "unit": unit, "role": role, "email": f"{username}@example.invalid",
                      "is_staff": role == Role.ADMIN, "is_superuser": role == Role.ADMIN},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        lines.append(username)
    # the full list (with the logins later steps add) is printed once, by `chiso serve`
    out(f"Tài khoản dùng thử: {len(lines)} tài khoản (mật khẩu chung: {DEMO_PASSWORD}); danh sách in khi máy chủ chạy.")


def demo_logins() -> list[tuple[str, str, str]]:
    """(username, full name, role) of every demo login that exists and is active, in a stable order."""
    from .appraisal import USERS as APPRAISAL_USERS
    from .progress import OFFICER

    # the commune's officer and leader come with the internal index's demo (chiso.demo.appraisal)
    wanted = ([u[0] for u in DEMO_USERS[:2]] + [OFFICER[0]] + [u[0] for u in DEMO_USERS[2:]]
              + [u[0] for u in APPRAISAL_USERS])
    found = {u.username: u for u in User.objects.filter(username__in=wanted, is_active=True)}
    return [(name, found[name].display_name, found[name].get_role_display()) for name in wanted if name in found]
