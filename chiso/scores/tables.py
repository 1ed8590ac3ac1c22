"""Results tables of an index-year, national or a province's private ones, kept by version.

An import never overwrites: it adds a version (its lines, its source, who imported it) and
makes it current; restoring an older version adds one more, a copy of it. The national
table's current lines are also the PublishedResult rows that every page reads. Only users
with national scope write the national table (chiso.scores.policies).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from chiso.common.actors import acting_user, by_actor
from chiso.common.errors import ConflictError, ServiceError, require_permission
from chiso.core.tree import fmt

from .models import PublishedResult, ResultsTable, ResultsTableVersion
from .policies import NATIONAL_ONLY, may_replace_national_tables, may_write_results

if TYPE_CHECKING:
    from chiso.common.actors import Actor


@dataclass
class ResultLine:
    unit_name: str
    total: Decimal | None
    rank: int | None
    where: str = ""
    unit: object = None
    source: str = ""
    note: str = ""


@dataclass
class TableLine:
    """A line as a version keeps it (read back from its JSON)."""

    unit_name: str
    unit_id: int | None
    total: Decimal | None
    rank: int | None
    source: str = ""
    note: str = ""


def _problems(index: str, year: int, lines: list[ResultLine]) -> list[str]:
    problems = []
    seen: dict[str, str] = {}
    for line in lines:
        where = f"{line.where}: " if line.where else ""
        key = " ".join(line.unit_name.split()).casefold()
        if not key:
            problems.append(f"{where}thiếu tên tỉnh, thành phố")
        elif key in seen:
            problems.append(f"{where}{line.unit_name} đã có ở {seen[key] or 'dòng trước'}")
        seen[key] = line.where
        if line.total is None and line.rank is None:
            problems.append(f"{where}{line.unit_name}: không có điểm cũng không có xếp hạng")
        if line.total is not None and not (0 <= line.total <= 100):
            problems.append(f"{where}{line.unit_name}: điểm {fmt(line.total)} ngoài khoảng 0–100")
    return problems


def _as_json(lines: list[ResultLine], source: str) -> list[dict]:
    return [{"unit_name": " ".join(line.unit_name.split()), "unit": line.unit.pk if line.unit else None,
             "total": str(line.total) if line.total is not None else None, "rank": line.rank,
             "source": (line.source or source)[:500], "note": line.note or ""} for line in lines]


def version_lines(version: ResultsTableVersion | None) -> list[TableLine]:
    if version is None:
        return []
    return [TableLine(d["unit_name"], d.get("unit"), Decimal(d["total"]) if d.get("total") is not None else None,
                      d.get("rank"), d.get("source") or "", d.get("note") or "") for d in version.lines]


def _comparable(lines_json: list[dict]) -> list[tuple]:
    return sorted((d["unit_name"], d.get("unit"), Decimal(d["total"]) if d.get("total") is not None else None,
                   d.get("rank"), d.get("source") or "", d.get("note") or "") for d in lines_json)


def _publish(table: ResultsTable, version: ResultsTableVersion) -> None:
    """The national table's current lines, where every page reads them."""
    PublishedResult.objects.filter(index=table.index, year=table.year).delete()
    from chiso.units.models import Unit

    known = set(Unit.objects.filter(pk__in=[d["unit"] for d in version.lines if d.get("unit")])
                .values_list("pk", flat=True))
    PublishedResult.objects.bulk_create([
        PublishedResult(index=table.index, year=table.year, unit_name=d["unit_name"],
                        unit_id=d["unit"] if d.get("unit") in known else None,
                        total=Decimal(d["total"]) if d.get("total") is not None else None, rank=d.get("rank"),
                        source=d.get("source") or "", note=d.get("note") or "") for d in version.lines])


def _conflict(table: ResultsTable, shown: int) -> ConflictError:
    newer = list(table.versions.filter(number__gt=shown).select_related("imported_by").order_by("number"))
    said = "; ".join(
        f"phiên bản {v.number} do {v.imported_by.display_name if v.imported_by else 'hệ thống'} nạp lúc "
        f"{timezone.localtime(v.created_at):%H:%M ngày %d/%m/%Y} ({len(v.lines)} dòng, nguồn: {v.source or '—'})"
        for v in newer)
    return ConflictError(f"Bảng kết quả {table} đã thay đổi sau khi anh/chị mở trang: {said or 'có phiên bản mới'}. "
                         "Chưa nạp gì; hãy mở lại trang, xem bảng mới nhất rồi quyết định.")


def _locked_table(*, actor: Actor, index: str, year: int, owner, name: str) -> ResultsTable:
    filters = {"index": index, "year": year, "owner": owner}
    if owner is not None:
        filters["name"] = name
    table = ResultsTable.objects.select_for_update(of=("self",)).filter(**filters).first()
    if table is None:
        try:
            with transaction.atomic():
                table = by_actor(ResultsTable(index=index, year=year, owner=owner, name=name if owner else ""),
                                 actor)
                table.save()
        except IntegrityError:
            table = ResultsTable.objects.select_for_update(of=("self",)).get(**filters)
    return table


def _new_version(actor, table: ResultsTable, lines_json: list[dict], source: str,
                 restored_from: ResultsTableVersion | None = None) -> ResultsTableVersion:
    version = ResultsTableVersion.objects.create(table=table, number=table.version + 1, lines=lines_json,
                                                 source=source[:500], imported_by=acting_user(actor),
                                                 restored_from=restored_from)
    table.version, table.current = version.number, version
    by_actor(table, actor).save(update_fields=["version", "current"])
    if table.is_national:
        _publish(table, version)
    return version


@transaction.atomic
def results_table_save(*, actor: Actor, index: str, year: int, lines: list[ResultLine], source: str = "",
                       owner=None, name: str = "", version: int | None = None) -> ResultsTable:
    """The whole table of an index-year as a new version (or refused whole). `owner` None: the
    national table (national scope only); a province: its private table `name`. `version` is the
    table's version the form showed (None: no form, e.g. a command)."""
    if owner is None:
        require_permission(may_replace_national_tables(actor), NATIONAL_ONLY)
    else:
        require_permission(may_write_results(actor, owner), f"Tài khoản không giữ bảng riêng của {owner.name}.")
        name = " ".join((name or "").split())[:120] or "Bảng riêng"
    problems = _problems(index, year, lines)
    if problems:
        raise ServiceError(f"Chưa nạp bảng kết quả {index} {year}: có {len(problems)} lỗi.", details=problems)
    table = _locked_table(actor=actor, index=index, year=year, owner=owner, name=name)
    if version is not None and version != table.version:
        raise _conflict(table, version)
    wanted = _as_json(lines, source)
    if table.current is not None and _comparable(table.current.lines) == _comparable(wanted):
        return table  # the same table again: nothing to write
    _new_version(actor, table, wanted, source)
    return table


def published_results_save(*, actor: Actor, index: str, year: int, lines: list[ResultLine], source: str = "",
                           version: int | None = None) -> int:
    """The national results table of an index-year (see results_table_save); the number of lines."""
    results_table_save(actor=actor, index=index, year=year, lines=lines, source=source, version=version)
    return len(lines)


@transaction.atomic
def results_table_restore(*, actor: Actor, table: ResultsTable, number: int, version: int) -> ResultsTableVersion:
    """Makes an older version current again, as a new version copied from it (nothing is lost)."""
    table = ResultsTable.objects.select_for_update(of=("self",)).get(pk=table.pk)
    if table.owner_id is None:
        require_permission(may_replace_national_tables(actor), NATIONAL_ONLY)
    else:
        require_permission(may_write_results(actor, table.owner), f"Tài khoản không giữ bảng riêng của "
                                                                  f"{table.owner.name}.")
    if version != table.version:
        raise _conflict(table, version)
    old = table.versions.filter(number=number).first()
    if old is None:
        raise ServiceError(f"Bảng {table} không có phiên bản {number}.")
    if old.pk == table.current_id:
        raise ServiceError(f"Phiên bản {number} đang là bản hiện hành của bảng {table}.")
    return _new_version(actor, table, old.lines, f"Khôi phục phiên bản {number} ({old.source})"[:500],
                        restored_from=old)
