"""Writes to frameworks: loading a versioned criteria tree, validated first."""
from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from chiso.common.errors import ServiceError, require_permission
from chiso.core.numbers import parse_decimal
from chiso.core.tree import TreeError, parent_code, validate_framework

from .models import Criterion, Framework, FrameworkVersion, Method
from .policies import can_load_national_framework

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "frameworks"


@dataclass
class LoadResult:
    version: FrameworkVersion
    created: bool
    criteria: int


def read_criteria_csv(path: Path) -> list[dict]:
    """Rows of code, name, max_points, method; a bad number names its line."""
    rows = []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = {"code", "name", "max_points"} - set(reader.fieldnames or [])
        if missing:
            raise ServiceError(f"{path.name}: thiếu cột {', '.join(sorted(missing))}")
        for line_no, row in enumerate(reader, start=2):
            code = (row.get("code") or "").strip().rstrip(".")
            if not code:
                raise ServiceError(f"{path.name}, dòng {line_no}: thiếu mã tiêu chí")
            max_points = parse_decimal(row.get("max_points") or "")
            if max_points is None:
                raise ServiceError(f"{path.name}, dòng {line_no}: điểm tối đa '{row.get('max_points')}' không phải là số")
            method = (row.get("method") or "").strip()
            if method and method not in Method.values:
                raise ServiceError(f"{path.name}, dòng {line_no}: phương pháp '{method}' không hợp lệ")
            rows.append({"code": code, "name": " ".join((row.get("name") or "").split()),
                         "max_points": max_points, "method": method, "rule": (row.get("rule") or "").strip()})
    return rows


@transaction.atomic
def framework_version_load(*, actor, entry: dict, rows: list[dict]) -> LoadResult:
    """Creates a framework version with its criteria; the same data again changes nothing.

    A tree whose children do not add up to the parent (or fields to the total) is
    refused, naming the criteria. A different tree under an existing label is
    refused too: versions are immutable once loaded, a new one needs a new label. A national
    framework is loaded by chiso itself or by someone who sees everything.
    """
    if actor is not None:
        require_permission(can_load_national_framework(actor),
                           "Chỉ quản trị hệ thống được nạp bộ chỉ số quốc gia.")
    total = Decimal(str(entry["total"]))
    aggregation = entry.get("aggregation", "sum")
    if aggregation == "sum":
        try:
            validate_framework(rows, total)
        except TreeError as exc:
            raise ServiceError(f"Bộ chỉ số {entry['label']} không hợp lệ", details=exc.problems) from exc
    framework, _ = Framework.objects.get_or_create(
        code=entry["framework"],
        defaults={"index": entry["index"], "name": entry["name"], "scope": entry.get("scope", "")},
    )
    version = FrameworkVersion.objects.filter(framework=framework, label=entry["label"]).first()
    if version is not None:
        existing = [(c.code, c.max_points) for c in version.criteria.order_by("position")]
        wanted = [(r["code"], r["max_points"]) for r in rows]
        if existing != wanted:
            raise ServiceError(
                f"Phiên bản {entry['label']} đã có với cây tiêu chí khác; hãy nạp với nhãn phiên bản mới."
            )
        return LoadResult(version, False, len(existing))
    version = FrameworkVersion.objects.create(
        framework=framework,
        label=entry["label"],
        decision=entry.get("decision", ""),
        first_year=entry["first_year"],
        last_year=entry.get("last_year"),
        total_points=total,
        unit_label=entry.get("unit_label", "điểm"),
        aggregation=aggregation,
        note=entry.get("note", ""),
    )
    by_code: dict[str, Criterion] = {}
    for position, row in enumerate(rows):
        pcode = parent_code(row["code"])
        while pcode and pcode not in by_code:
            pcode = parent_code(pcode)
        criterion = Criterion.objects.create(
            version=version,
            parent=by_code.get(pcode) if pcode else None,
            code=row["code"],
            name=row["name"],
            max_points=row["max_points"],
            method=row["method"],
            level=row["code"].count(".") + 1,
            position=position,
            rule=row.get("rule", ""),
        )
        by_code[row["code"]] = criterion
    return LoadResult(version, True, len(rows))


def bundled_frameworks_load(*, actor=None) -> list[LoadResult]:
    """Loads every framework shipped in chiso/data/frameworks (idempotent)."""
    manifest = json.loads((DATA_DIR / "manifest.json").read_text(encoding="utf-8"))
    results = []
    for entry in manifest:
        rows = read_criteria_csv(DATA_DIR / entry["file"])
        results.append(framework_version_load(actor=actor, entry=entry, rows=rows))
    return results
