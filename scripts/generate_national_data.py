#!/usr/bin/env python
"""National-scale generated results for benchmarks: 34 provinces and 3,321 communes, 10 years.

Into a database of its own (default var/bench/national.sqlite3, or --db / CHISO_DATABASE_URL):
- the bundled frameworks, and two generated versions of the provincial PAR tree (the full
  QĐ 876 criteria tree) so that the ten years cross a change of framework version;
- 34 provinces with a score for every criterion and year, a national results table per
  year (total and rank), and for each province a plan with tasks on half the criteria;
- 3,321 communes (about 98 per province) with a generated commune framework
  (8 fields, 40 criteria) scored every year, and targets for the last year.

The figures are random (seeded): they exercise the pages, they are not real results.
Usage: .venv/bin/python scripts/generate_national_data.py [--db PATH] [--seed N]
"""
from __future__ import annotations

import argparse
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = ROOT / "var" / "bench" / "national.sqlite3"
PROVINCES, COMMUNES, YEARS = 34, 3321, list(range(2016, 2026))
Q = Decimal("0.0001")


def setup(db: Path | None) -> None:
    if db is not None:
        db.parent.mkdir(parents=True, exist_ok=True)
        os.environ["CHISO_DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chiso.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def commune_rows() -> list[dict]:
    rows = []
    for f in range(1, 9):
        rows.append({"code": str(f), "name": f"LĨNH VỰC {f} CẤP XÃ", "max_points": Decimal("12.5"), "method": ""})
        for c in range(1, 6):
            rows.append({"code": f"{f}.{c}", "name": f"Tiêu chí {f}.{c} cấp xã", "max_points": Decimal("2.5"),
                         "method": "survey" if c == 5 else "appraisal"})
    return rows


def leaf_scores(criteria, rng: random.Random, level: float) -> dict[int, Decimal]:
    """A score for every criterion: leaves drawn around `level` of their max, parents summed."""
    children: dict[int | None, list] = {}
    for c in criteria:
        children.setdefault(c.parent_id, []).append(c)
    out: dict[int, Decimal] = {}

    def walk(c) -> Decimal:
        kids = children.get(c.pk)
        if kids:
            value = sum((walk(k) for k in kids), Decimal(0))
        else:
            share = min(1.0, max(0.0, rng.gauss(level, 0.12))) if rng.random() > 0.45 else 1.0
            value = (c.max_points * Decimal(str(share))).quantize(Q)
        out[c.pk] = value
        return value

    for root in children.get(None, []):
        walk(root)
    return out


def generate(seed: int = 1, out=print) -> dict:
    from django.db import transaction

    from chiso.accounts.models import Role, User
    from chiso.core.ranking import competition_ranks
    from chiso.core.text import fold
    from chiso.frameworks.models import Criterion
    from chiso.frameworks.services import DATA_DIR, bundled_frameworks_load, framework_version_load, read_criteria_csv
    from chiso.plans.models import Assignment, Plan, PlanItem, PlanTable, Task
    from chiso.scores.models import Assessment, PublishedResult, Score
    from chiso.units.models import Unit, UnitKind

    rng = random.Random(seed)
    t0 = time.perf_counter()
    bundled_frameworks_load(actor=None)
    par_rows = read_criteria_csv(DATA_DIR / "par_index_province_qd876.csv")
    entry = {"framework": "par-index-bench", "index": "PAR_INDEX", "name": "Chỉ số CCHC cấp tỉnh (dữ liệu sinh)",
             "total": "100", "aggregation": "sum"}
    v_old = framework_version_load(actor=None, entry={**entry, "label": "Giai đoạn 2016–2020 (sinh)", "first_year": 2016,
                                                      "last_year": 2020}, rows=par_rows).version
    v_new = framework_version_load(actor=None, entry={**entry, "label": "Giai đoạn 2021–2025 (sinh)", "first_year": 2021,
                                                      "last_year": 2025}, rows=par_rows).version
    v_commune = framework_version_load(actor=None, entry={
        "framework": "commune-bench", "index": "INTERNAL", "name": "Chỉ số CCHC cấp xã (dữ liệu sinh)", "total": "100",
        "label": "Cấp xã (sinh)", "first_year": 2016, "last_year": None}, rows=commune_rows()).version
    if Unit.objects.filter(name="Tỉnh mẫu 01", kind=UnitKind.PROVINCE).exists():
        out("Dữ liệu đã có: không sinh lại (xóa tệp cơ sở dữ liệu để sinh lại).")
        return {}
    with transaction.atomic():
        provinces = [Unit(name=f"Tỉnh mẫu {i:02d}", kind=UnitKind.PROVINCE) for i in range(1, PROVINCES + 1)]
        for p in provinces:
            p.save()
        communes = []
        for i in range(COMMUNES):
            province = provinces[i % PROVINCES]
            name = f"Xã mẫu {i + 1:04d}"
            communes.append(Unit(name=name, kind=UnitKind.COMMUNE, parent=province, root_id=province.pk,
                                 search_text=fold(name)))
        Unit.objects.bulk_create(communes, batch_size=2000)
        communes = list(Unit.objects.filter(kind=UnitKind.COMMUNE, name__startswith="Xã mẫu"))
        admin = User.objects.create(username="bench-admin", role=Role.ADMIN, is_superuser=True)
        par = {v.pk: list(Criterion.objects.filter(version=v).order_by("position")) for v in (v_old, v_new)}
        commune_criteria = list(Criterion.objects.filter(version=v_commune).order_by("position"))
        assessments = []
        levels = {p.pk: rng.uniform(0.72, 0.93) for p in provinces}
        for year in YEARS:
            version = v_old if year <= 2020 else v_new
            for p in provinces:
                assessments.append(Assessment(unit=p, version=version, year=year, source="sinh dữ liệu"))
            for c in communes:
                assessments.append(Assessment(unit=c, version=v_commune, year=year, source="sinh dữ liệu"))
        Assessment.objects.bulk_create(assessments, batch_size=2000)
        out(f"{len(assessments)} kết quả đơn vị-năm")
        batch: list[Score] = []
        n_scores = 0
        totals: dict[int, dict[int, Decimal]] = {}
        for a in Assessment.objects.filter(source="sinh dữ liệu").values("pk", "unit_id", "version_id", "year").iterator():
            criteria = par.get(a["version_id"], commune_criteria)
            level = levels.get(a["unit_id"], 0.8) + (a["year"] - 2016) * 0.006
            values = leaf_scores(criteria, rng, level)
            last = a["year"] == YEARS[-1]
            for c in criteria:
                target = min(c.max_points, (values[c.pk] + (c.max_points - values[c.pk]) / 2).quantize(Q)) if last else None
                batch.append(Score(assessment_id=a["pk"], criterion_id=c.pk, score=values[c.pk], target=target,
                                   self_score=min(c.max_points, values[c.pk] + Decimal("0.05")),
                                   reason="Chưa đạt yêu cầu" if values[c.pk] < c.max_points else ""))
            if a["version_id"] in par:
                totals.setdefault(a["year"], {})[a["unit_id"]] = sum(
                    (values[c.pk] for c in criteria if c.parent_id is None), Decimal(0))
            if len(batch) >= 20000:
                Score.objects.bulk_create(batch)
                n_scores += len(batch)
                batch = []
        Score.objects.bulk_create(batch)
        n_scores += len(batch)
        out(f"{n_scores} điểm tiêu chí")
        names = {p.pk: p.name for p in provinces}
        lines = []
        for year, by_unit in totals.items():
            ranks = competition_ranks(by_unit)
            for uid, total in by_unit.items():
                lines.append(PublishedResult(index="PAR_INDEX", year=year, unit_id=uid, unit_name=names[uid],
                                             total=total, rank=ranks[uid], source="sinh dữ liệu"))
        PublishedResult.objects.bulk_create(lines)
        for p in provinces:  # a plan per province, tasks on every other criterion
            plan = Plan.objects.create(issuer=p, title=f"Kế hoạch nâng cao chỉ số năm {YEARS[-1]}",
                                       first_year=YEARS[-1], last_year=YEARS[-1], content_hash=f"bench-{p.pk}")
            table = PlanTable.objects.create(plan=plan, index="PAR_INDEX", version=v_new)
            items = PlanItem.objects.bulk_create([PlanItem(table=table, position=i, code=c.code, name=c.name,
                                                           criterion=c, max_points=c.max_points, level=c.level)
                                                  for i, c in enumerate(par[v_new.pk])])
            tasks = Task.objects.bulk_create([Task(item=item, position=0, text=f"Khắc phục {item.code}")
                                              for item in items[::2]])
            Assignment.objects.bulk_create([Assignment(task=t, role="lead", role_order=0, unit=p, text=p.name)
                                            for t in tasks])
    stats = {"provinces": PROVINCES, "communes": len(communes), "years": len(YEARS), "scores": n_scores,
             "seconds": round(time.perf_counter() - t0, 1), "admin": admin.username}
    out(f"Xong trong {stats['seconds']} s: {stats}")
    return stats


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, default=None if os.environ.get("CHISO_DATABASE_URL") else DEFAULT_DB)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    setup(args.db)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    generate(args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
