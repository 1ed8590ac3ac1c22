#!/usr/bin/env python
"""Benchmark of the analysis pages on national-scale generated data, on one core.

Generates the data first if its database is missing (scripts/generate_national_data.py:
34 provinces, 3,321 communes, 10 years, the full criteria tree), then measures, each
warm, as the median and 95th percentile of repeated runs with its query count:

- the gap page of a province-year (full request: queries, gap analysis, charts, template);
- the ranking: the national results page of a year, and the ranking of all 3,321 communes
  of a year computed from their scores;
- a what-if recompute: the targets page with changed targets and a wanted rank (full
  request), and the what-if of a commune among its province's ~98 communes.

Target: under 150 ms each. Usage: .venv/bin/python bench/analysis.py [--db PATH] [--runs N]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TARGET_MS = 150.0


def measure(fn, runs: int) -> tuple[float, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(2):
        fn()
    times = []
    queries = 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            fn()
            times.append((time.perf_counter() - t0) * 1000)
        queries = len(ctx.captured_queries)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.95))], queries


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, default=ROOT / "var" / "bench" / "national.sqlite3")
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    warnings.filterwarnings("ignore")  # whitenoise's missing static dir is irrelevant here
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core
    from scripts.generate_national_data import generate, setup

    setup(args.db)
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    from chiso.accounts.models import User
    from chiso.units.models import Unit

    if not Unit.objects.filter(name="Tỉnh mẫu 01").exists():
        print("Sinh dữ liệu toàn quốc (một lần, khoảng 2 phút)...")
        generate()

    from django.test import Client
    from django.urls import reverse

    from chiso.analysis.forecast import peer_totals, what_if
    from chiso.core.ranking import competition_ranks
    from chiso.frameworks.models import FrameworkVersion
    from chiso.scores.models import Assessment, Score

    client = Client()
    client.force_login(User.objects.get(username="bench-admin"))
    province = Unit.objects.get(name="Tỉnh mẫu 07")
    commune = Unit.objects.filter(parent=province).order_by("name").first()
    year = 2024
    assessment = Assessment.objects.get(unit=province, year=year)
    v_province = FrameworkVersion.objects.get(label="Giai đoạn 2021–2025 (sinh)")
    v_commune = FrameworkVersion.objects.get(label="Cấp xã (sinh)")
    leaves = list(Score.objects.filter(assessment__unit=province, assessment__year=2025, criterion__children__isnull=True)
                  .values_list("criterion__code", "criterion__max_points")[:30])
    overrides = {f"t-{code}": str(maximum).replace(".", ",") for code, maximum in leaves[::3]}

    def get(url, params=None):
        def run():
            response = client.get(url, params or {})
            assert response.status_code == 200, (url, response.status_code)
        return run

    cases = [
        ("Trang điểm bị mất (tỉnh, năm 2024)", get(reverse("analysis:gap", args=[assessment.public_id]))),
        ("Bảng xếp hạng toàn quốc 2024 (34 tỉnh)", get(reverse("analysis:ranking", args=["PAR_INDEX", year]))),
        ("Xếp hạng 3.321 xã năm 2024 (tính từ điểm)",
         lambda: competition_ranks({u: t for u, _, t in peer_totals(v_commune.pk, year, None) if t is not None})),
        ("Tính thử mục tiêu 2025 + hạng muốn đạt (trang)",
         get(reverse("analysis:targets", args=[province.public_id, v_province.public_id, 2025]),
             {**overrides, "hang": "5"})),
        ("Tính thử mục tiêu của một xã (so với ~98 xã)",
         lambda: what_if(commune, v_commune, 2025, wanted_rank=10)),
    ]
    print(f"Dữ liệu: {Unit.objects.filter(kind='province').count()} tỉnh, "
          f"{Unit.objects.filter(kind='commune').count()} xã, {Assessment.objects.count()} kết quả đơn vị-năm, "
          f"{Score.objects.count()} điểm tiêu chí; một lõi CPU; {args.runs} lần đo mỗi mục")
    print(f"{'Phép đo':52} {'trung vị':>9} {'p95':>9} {'truy vấn':>9}")
    worst = 0.0
    for name, fn in cases:
        median, p95, queries = measure(fn, args.runs)
        worst = max(worst, median)
        flag = "" if median < TARGET_MS else "  > 150 ms"
        print(f"{name:52} {median:7.1f}ms {p95:7.1f}ms {queries:9d}{flag}")
    print(f"Mục tiêu < {TARGET_MS:.0f} ms mỗi phép đo: {'đạt' if worst < TARGET_MS else 'CHƯA ĐẠT'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
