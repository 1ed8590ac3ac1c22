#!/usr/bin/env python
"""Benchmark of the province's own index (issue 12) on one core.

Builds a fresh database (SQLite in a temporary folder, or --database-url for PostgreSQL): a province
with 30 departments and 100 communes, a framework of 8 fields and 60 criteria, and two open cycles —
the 30 departments, and all 130 units ranked together — where every unit self-assessed every criterion
with 5 evidence files each (39,000 evidence rows in the big cycle), was appraised, and got survey points.
One department's sheet is a draft (its forms render), another is submitted (the appraiser's forms render).

Measures warm full requests (median and 95th percentile, with the query count):
- the unit's self-assessment page (target < 300 ms);
- the appraiser's page of a unit (target < 300 ms);
- the results page of 130 units, with the heat map (target < 150 ms), and of 30 units: the query
  count must be the same (constant in the number of units).

Usage: .venv/bin/python bench/appraisal.py [--runs 15] [--database-url URL]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import warnings
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PAGE_MS, RESULTS_MS = 300.0, 150.0
FIELDS, PER_FIELD = 8, (8, 8, 8, 7, 7, 7, 7, 8)  # 60 criteria
FILES_PER_CRITERION = 5


def measure(fn, runs: int) -> tuple[float, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(2):
        fn()
    times, queries = [], 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            response = fn()
            times.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, response.status_code
        queries = len(ctx.captured_queries)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.95))], queries


def build():
    from django.utils import timezone
    from simple_history.utils import bulk_update_with_history  # noqa: F401 (the services' history is not timed)

    from chiso.accounts.models import Role, User
    from chiso.appraisal import services
    from chiso.appraisal.models import Entry, EntryEvidence, Sheet
    from chiso.appraisal.services import CriterionInput, CycleDates
    from chiso.units.models import Unit, UnitKind

    province = Unit.objects.create(name="Tỉnh đo", kind=UnitKind.PROVINCE)
    home = Unit.objects.create(name="Sở Nội vụ", kind=UnitKind.DEPARTMENT, parent=province)
    departments = [home] + [Unit.objects.create(name=f"Sở thứ {i:02d}", kind=UnitKind.DEPARTMENT, parent=province)
                            for i in range(1, 30)]
    communes = [Unit.objects.create(name=f"Xã thứ {i:03d}", kind=UnitKind.COMMUNE, parent=province)
                for i in range(1, 101)]
    lead_unit = Unit.objects.create(name="Văn phòng Hội đồng", kind=UnitKind.OTHER, parent=province)
    people = {
        "coord": User.objects.create(username="coord", unit=home, role=Role.COORDINATOR),
        "officer": User.objects.create(username="officer", unit=departments[1], role=Role.OFFICER),
        "appraiser": User.objects.create(username="appraiser", unit=home, role=Role.OFFICER),
        "lead": User.objects.create(username="lead", unit=lead_unit, role=Role.OFFICER),
    }
    rows = []
    for f, n in zip(range(1, FIELDS + 1), PER_FIELD):
        rows.append(CriterionInput(str(f), f"Lĩnh vực {f}", Decimal(n)))
        rows += [CriterionInput(f"{f}.{c}", f"Tiêu chí {f}.{c} về cải cách hành chính của đơn vị", Decimal(1),
                                "survey" if c == n else "appraisal", "Hoàn thành đầy đủ, đúng hạn: 1 điểm.")
                 for c in range(1, n + 1)]
    today = timezone.localdate()
    dates = CycleDates(*(today + timezone.timedelta(days=d) for d in (10, 20, 30, 40)))
    cycles = {}
    for name, group, units in (("30", "departments", departments), ("130", "communes", departments + communes)):
        fw = services.framework_create(actor=None, province=province, group=group, year=2026)
        services.criteria_import(actor=None, framework=fw, rows=rows, version=fw.edit_version)
        cycle = services.cycle_open(actor=None, framework=fw, name=f"Đợt {name}", dates=dates, units=units)
        services.council_member_set(actor=None, cycle=cycle, user=people["appraiser"])
        services.council_member_set(actor=None, cycle=cycle, user=people["lead"], is_lead=True)
        entries = list(Entry.objects.filter(sheet__cycle=cycle).select_related("criterion"))
        for i, e in enumerate(entries):
            e.self_score = Decimal("0.9") if e.criterion.method == "appraisal" else None
            e.score = Decimal("0.75") + Decimal(i % 25) / 100
        Entry.objects.bulk_update(entries, ["self_score", "score"], batch_size=2000)
        EntryEvidence.objects.bulk_create([
            EntryEvidence(entry=e, file=f"appraisal/mau-{k}.pdf", file_name=f"Tài liệu {e.criterion.code}-{k}.pdf",
                          size=1000, content_type="application/pdf")
            for e in entries for k in range(FILES_PER_CRITERION)], batch_size=5000)
        Sheet.objects.filter(cycle=cycle).update(state="submitted")
        cycles[name] = cycle
    Sheet.objects.filter(cycle=cycles["30"], unit=departments[1]).update(state="draft")
    Entry.objects.filter(sheet__cycle=cycles["30"], sheet__unit=departments[2]).update(score=None)
    return people, cycles, departments


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core
    var = Path(tempfile.mkdtemp(prefix="chiso-bench-appraisal-"))
    os.environ["CHISO_VAR_DIR"] = str(var)
    os.environ["CHISO_DATABASE_URL"] = args.database_url or f"sqlite:///{var / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chiso.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    people, cycles, departments = build()
    print(f"Cơ sở dữ liệu: {os.environ['CHISO_DATABASE_URL']}")
    print(f"Dữ liệu: 130 đơn vị, 60 tiêu chí, {FILES_PER_CRITERION} tệp mỗi tiêu chí "
          f"({time.perf_counter() - t0:.1f} s để sinh)")
    client = Client()
    draft = cycles["30"].sheets.get(unit=departments[1])
    waiting = cycles["30"].sheets.get(unit=departments[2])
    checks = [
        ("Trang tự đánh giá của đơn vị", "officer", reverse("appraisal:sheet", args=[draft.public_id]), PAGE_MS),
        ("Trang thẩm định một đơn vị", "appraiser", reverse("appraisal:appraise", args=[waiting.public_id]), PAGE_MS),
        ("Kết quả 130 đơn vị (bảng, bản đồ nhiệt)", "coord", reverse("appraisal:results", args=[cycles["130"].public_id]),
         RESULTS_MS),
        ("Kết quả 30 đơn vị", "coord", reverse("appraisal:results", args=[cycles["30"].public_id]), RESULTS_MS),
    ]
    failed, queries = False, {}
    for label, who, url, target in checks:
        client.force_login(people[who])
        median, p95, n = measure(lambda: client.get(url), args.runs)
        queries[label] = n
        ok = median < target
        failed |= not ok
        print(f"{label:<42} trung vị {median:7.1f} ms · p95 {p95:7.1f} ms · {n:3d} truy vấn · "
              f"mục tiêu < {target:.0f} ms {'ĐẠT' if ok else 'CHƯA ĐẠT'}")
    same = queries["Kết quả 130 đơn vị (bảng, bản đồ nhiệt)"] == queries["Kết quả 30 đơn vị"]
    print(f"Số truy vấn không đổi theo số đơn vị (130 so với 30): {'ĐÚNG' if same else 'SAI'}")
    return 1 if failed or not same else 0


if __name__ == "__main__":
    sys.exit(main())
