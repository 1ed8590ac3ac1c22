"""Turns one chiso.plan-table/1 document into a plan, in one transaction.

Rows are matched to the framework's criteria by code with the name as a cross-
check; values become baselines, targets and scores; text becomes tasks and
assignments, with agency names resolved into units.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal

from rapidfuzz import fuzz

from chiso.common.errors import ServiceError
from chiso.core.agencies import split_agencies, split_roles
from chiso.core.deadlines import parse_deadline
from chiso.core.outline import canonical_codes
from chiso.core.text import collapse, fold
from chiso.core.tree import build, sum_mismatches
from chiso.frameworks.models import Criterion
from chiso.frameworks.selectors import version_for
from chiso.scores.services import ScoreFill, scores_fill
from chiso.units.models import Unit, UnitKind
from chiso.units.services import UnitResolver, guess_kind, unit_create

from . import services
from .models import MatchStatus, Plan, PlanItem, PlanTable, SourceDocument
from .services import AssignmentInput, ValueInput, plan_load  # noqa: F401 (plan_load: its old home)
from .validation import score_field, validate_document, value_pair

ROLE_KEYS = ["lead", "coordinating", "implementing", "monitoring", "responsible"]
NEW_UNIT = "new"  # an override meaning: make this name a new (unverified) unit
NAME_AGREEMENT = 80  # folded token-set similarity for a code's name to count as the same criterion


def index_label(index: str) -> str:
    """PAR_INDEX → "PAR INDEX", as people write it in messages."""
    return (index or "").replace("_", " ")


def similarity(name: str, official: str) -> float:
    return fuzz.token_set_ratio(fold(name), fold(official))


def agrees(name: str, official: str) -> bool:
    return similarity(name, official) >= NAME_AGREEMENT


@dataclass
class LoadReport:
    plan: Plan | None = None
    existing: bool = False
    dry_run: bool = False
    items: int = 0
    tasks: int = 0
    assignments: int = 0
    units_created: list[str] = field(default_factory=list)
    reference_units: int = 0  # a province's standard agencies, loaded from the bundled roster
    scores: int = 0
    mismatches: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"items={self.items} tasks={self.tasks} assignments={self.assignments} "
                f"units_created={len(self.units_created)}")


def content_hash(doc: dict) -> str:
    canonical = {k: v for k, v in doc.items() if k not in {"source", "warnings"}}
    return hashlib.sha256(json.dumps(canonical, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


ISSUER_PREFIX = re.compile(r"^(ubnd|uy ban nhan dan|hdnd|so|bo)\s+", re.I)
LEVELS = [("tinh ", UnitKind.PROVINCE), ("thanh pho ", UnitKind.PROVINCE), ("tp ", UnitKind.PROVINCE),
          ("huyen ", UnitKind.DISTRICT), ("thi xa ", UnitKind.DISTRICT), ("xa ", UnitKind.COMMUNE),
          ("phuong ", UnitKind.COMMUNE), ("thi tran ", UnitKind.COMMUNE)]


def issuer_name(text: str) -> tuple[str, str]:
    """("UBND tỉnh Đắk Nông") → ("Đắk Nông", province)."""
    name = collapse(text)
    words = name.split(" ")
    folded = fold(name)
    m = ISSUER_PREFIX.match(folded)
    if m and m.group(1) in {"ubnd", "uy ban nhan dan", "hdnd"}:
        skip = len(m.group(0).split())
        words, folded = words[skip:], fold(" ".join(words[skip:]))
    for prefix, kind in LEVELS:
        if folded.startswith(prefix):
            return " ".join(words[len(prefix.split()):]), kind
    return " ".join(words), guess_kind(name)


def find_issuer(text: str | None) -> tuple[Unit | None, str, str]:
    """The unit a document's issuer line names, if it exists: (unit, name, kind)."""
    if not text:
        return None, "", ""
    name, kind = issuer_name(text)
    candidates = [u for u in Unit.objects.filter(kind=kind) if fold(u.name) == fold(name)]
    if not candidates:
        hit = UnitResolver(None).resolve(name)
        if hit.unit is not None and hit.unit.kind == kind and hit.method in {"exact", "alias"}:
            candidates = [hit.unit]
    return (candidates[0] if candidates else None), name, kind


def resolve_issuer(text: str | None, *, actor, report: LoadReport) -> Unit:
    if not text:
        raise ServiceError("Tài liệu không ghi cơ quan ban hành; hãy chọn đơn vị ban hành.")
    unit, name, kind = find_issuer(text)
    if unit is not None:
        return unit
    unit = unit_create(actor=actor, name=name, kind=kind, verified=False, note=f"Tạo khi nạp: {text}")
    report.units_created.append(unit.name)
    return unit


def plan_years(doc: dict, date_year: int | None) -> tuple[int, int]:
    title = (doc.get("document") or {}).get("title") or ""
    span = re.search(r"(20\d\d)\s*[-–]\s*(20\d\d)", title)
    if span:
        return int(span.group(1)), int(span.group(2))
    single = re.findall(r"năm\s+(20\d\d)", title, re.I)
    if single:
        return int(single[-1]), int(single[-1])
    target_years = [int(c["year"][:4]) for t in doc["tables"] for c in t.get("columns") or []
                    if c.get("key") == "target" and str(c.get("year") or "")[:4].isdigit()]
    if target_years:
        return min(target_years), max(target_years)
    if date_year:
        return date_year, date_year
    raise ServiceError("Không xác định được năm của kế hoạch (tiêu đề, cột mục tiêu và ngày ban hành đều trống).")


def parse_date(text: str | None) -> tuple[dt.date | None, str]:
    if not text:
        return None, ""
    try:
        return dt.date.fromisoformat(text), text
    except ValueError:
        return None, text


def names_date(doc: dict) -> dt.date | None:
    """The day at which a document's agency names are read (the upload preview uses it too,
    so that it shows what loading will do)."""
    date, date_text = parse_date((doc.get("document") or {}).get("date"))
    try:
        first_year, _ = plan_years(doc, int(date_text[:4]) if date_text[:4].isdigit() else None)
    except ServiceError:
        return date
    return resolution_date(date, date_text, first_year)


def resolution_date(date: dt.date | None, date_text: str, first_year: int) -> dt.date:
    """The issue date, else its month ("2025-09"), else the first day of the plan's first year."""
    if date:
        return date
    month = re.fullmatch(r"(\d{4})-(\d{2})", date_text or "")
    if month and 1 <= int(month.group(2)) <= 12:
        return dt.date(int(month.group(1)), int(month.group(2)), 1)
    return dt.date(first_year, 1, 1)


def reference_agencies_load(*, actor, issuer: Unit) -> int:
    """A province seen for the first time gets its standard departments and bodies from the
    bundled roster (a district its standard offices), so that "Sở Nội vụ" in its plan is that
    province's real department and not a new unverified unit."""
    from chiso.core import roster
    from chiso.units.reference import agencies_load

    if issuer.children.exists():
        return 0
    if issuer.kind == UnitKind.PROVINCE and roster.find_province(issuer.name) is not None:
        templates = roster.agencies_for(issuer.name)
    elif issuer.kind == UnitKind.DISTRICT:
        templates = roster.district_offices_for(issuer.name)
    else:
        return 0
    return agencies_load(actor=actor, owner=issuer, templates=templates)


class PlanLoader:
    def __init__(self, doc: dict, *, actor, source: SourceDocument | None, issuer: Unit | None,
                 unit_overrides: dict | None = None):
        self.doc, self.actor, self.source, self.issuer = doc, actor, source, issuer
        # folded agency name → the Unit a person chose for it, or NEW_UNIT to create one
        self.unit_overrides = unit_overrides or {}
        self.report = LoadReport()

    def run(self) -> LoadReport:
        report = self.report
        report.warnings += validate_document(self.doc)
        units = [t for t in self.doc["tables"] if t.get("kind") == "unit_results"]
        if units:  # results by unit are those units' published results, not a plan's rows
            if len(units) == len(self.doc["tables"]):
                raise ServiceError("Tài liệu này là bảng kết quả theo đơn vị (xếp hạng), không phải kế hoạch: "
                                   "hãy nạp thành kết quả của các đơn vị.")
            self.doc = {**self.doc, "tables": [t for t in self.doc["tables"] if t.get("kind") != "unit_results"]}
            report.warnings.append(f"Bỏ qua {len(units)} bảng kết quả theo đơn vị (không thuộc kế hoạch).")
        digest = content_hash(self.doc)
        existing = Plan.objects.filter(content_hash=digest).first()
        if existing is not None:
            report.plan, report.existing = existing, True
            return report
        meta = self.doc.get("document") or {}
        issuer = self.issuer or resolve_issuer(meta.get("issuer"), actor=self.actor, report=report)
        date, date_text = parse_date(meta.get("date"))
        year_hint = int(date_text[:4]) if date_text[:4].isdigit() else None
        first_year, last_year = plan_years(self.doc, year_hint)
        self.plan = services.plan_create(
            actor=self.actor, issuer=issuer, number=meta.get("number") or "", date=date, date_text=date_text,
            title=collapse(meta.get("title")) or f"Kế hoạch năm {first_year}",
            first_year=first_year, last_year=last_year, source=self.source, content_hash=digest,
        )
        report.plan = self.plan
        report.reference_units = reference_agencies_load(actor=self.actor, issuer=issuer)
        self.resolver = UnitResolver(issuer, at=resolution_date(date, date_text, first_year))
        self.known_names = self.resolver.known_names()
        self.created_units: dict[str, Unit] = {}
        for position, table in enumerate(self.doc["tables"]):
            self.load_table(position, table)
        return report

    # -- tables and items -------------------------------------------------------------
    def load_table(self, position: int, data: dict) -> None:
        columns = data.get("columns") or []
        base_years = [int(str(c["year"])[-4:]) for c in columns
                      if c.get("key") in {"achieved", "appraised"} and str(c.get("year") or "")[-4:].isdigit()]
        ref_year = max(base_years) if base_years else self.plan.first_year - 1
        version = version_for(data["index"], ref_year)
        table = services.plan_table_create(
            actor=self.actor, plan=self.plan, position=position, index=data["index"],
            caption=collapse(data.get("caption")), version=version, columns=columns,
            printed_total=data.get("total") or [],
        )
        criteria = {c.code: c for c in Criterion.objects.filter(version=version)} if version else {}
        items: dict[str, PlanItem] = {}
        last_coded: PlanItem | None = None
        sums: dict[tuple[str, str], list] = {}
        printed = [collapse(r.get("code")).rstrip(".") or None for r in data["rows"]]
        canonical = canonical_codes(printed)
        for r_i, row in enumerate(data["rows"]):
            item = self.load_item(table, r_i, row, criteria, items, last_coded, canonical[r_i] or "")
            if item.code:
                items[item.code] = item
                last_coded = item
            for value in row.get("values") or []:
                key = (value["key"], str(value.get("year") or ""))
                low, high = value_pair(value["value"], "")
                sums.setdefault(key, []).append((item.code, item.name, low if high is None else None))
        services.plan_table_warnings_set(actor=self.actor, table=table, warnings=self.check_sums(data, sums))
        self.report.warnings += table.warnings
        if version is not None:
            self.record_scores(table, version, list(items.values()))

    def load_item(self, table, position, row, criteria, items, last_coded, code: str) -> PlanItem:
        printed = collapse(row.get("code")).rstrip(".")
        name = collapse(row.get("name"))
        criterion, status = None, MatchStatus.NO_FRAMEWORK
        if table.version is not None:
            if not code:
                status = MatchStatus.NO_CODE
            elif code in criteria and (not name or agrees(name, criteria[code].name)):
                criterion, status = criteria[code], MatchStatus.MATCHED
            elif (by_name := self.criterion_by_name(name, code, criteria, renumbered=code != printed)) is not None:
                # a table that lists only the criteria that lost points numbers them 1, 2, …
                # under each field: its "2" can be the framework's 1.4
                self.report.warnings.append(f"{index_label(table.index)} {printed or code} “{name[:60]}”: khớp theo tên với "
                                            f"tiêu chí {by_name.code} của {table.version.label}")
                criterion, status, code = by_name, MatchStatus.MATCHED, by_name.code
            elif code not in criteria:
                status = MatchStatus.UNKNOWN_CODE
            else:
                status = MatchStatus.NAME_MISMATCH
                self.report.mismatches.append(
                    f"{index_label(table.index)} {printed or code}: tài liệu ghi '{name[:70]}', bộ chỉ số {table.version.label} "
                    f"ghi '{criteria[code].name[:70]}'"
                )
        parent = None
        if code and "." in code:
            pcode = code.rsplit(".", 1)[0]
            while pcode and pcode not in items:
                pcode = pcode.rsplit(".", 1)[0] if "." in pcode else ""
            parent = items.get(pcode) if pcode else None
        text = {k: collapse(v) for k, v in (row.get("text") or {}).items() if collapse(v)}
        values, max_points, baseline, baseline_year = self.read_values(row.get("values") or [], criterion)
        item = services.plan_item_create(
            actor=self.actor, table=table, position=position, parent=parent, code=code,
            printed_code=printed if printed != code else "", name=name or printed or code, criterion=criterion,
            match_status=status, reason=text.get("reason", ""), note=text.get("note", ""), max_points=max_points,
            baseline=baseline, baseline_year=baseline_year, values=values,
        )
        self.report.items += 1
        self.load_task(item, text)
        return item

    @staticmethod
    def criterion_by_name(name: str, code: str, criteria: dict, *, renumbered: bool) -> Criterion | None:
        """The criterion of the same field and level whose name the row's name matches, when the
        row's number is not the framework's (renumbered) or names no criterion at all."""
        if not name or not code or (code in criteria and not renumbered):
            return None
        field, depth = code.split(".")[0], code.count(".")
        candidates = [c for c in criteria.values() if c.code.split(".")[0] == field and c.code.count(".") == depth]
        scored = sorted(((similarity(name, c.name), c) for c in candidates), key=lambda pair: -pair[0])
        if scored and scored[0][0] >= NAME_AGREEMENT and (len(scored) == 1 or scored[1][0] < scored[0][0]):
            return scored[0][1]
        return None

    @staticmethod
    def read_values(values: list[dict], criterion: Criterion | None):
        """A row's printed numbers, its max points (the framework's when the row prints none) and
        its baseline: the latest score it prints."""
        out: list[ValueInput] = []
        max_points = baseline = None
        baseline_year = ""
        appraised_years = {str(v.get("year") or "") for v in values if v["key"] == "appraised"}
        for value in values:
            low, high = value_pair(value["value"], "")
            year = str(value.get("year") or "")
            out.append(ValueInput(key=value["key"], year=year, value=low, value_high=high))
            if value["key"] == "max_points":
                max_points = low
            elif score_field(value["key"], year, appraised_years) == "score" and high is None and year >= baseline_year:
                baseline, baseline_year = low, year
        if max_points is None and criterion is not None:
            max_points = criterion.max_points
        return out, max_points, baseline, baseline_year

    # -- tasks and agencies -----------------------------------------------------------
    def load_task(self, item: PlanItem, text: dict) -> None:
        if not any(text.get(k) for k in ["tasks", "deadline", "deliverable", *ROLE_KEYS]):
            return
        deadline = parse_deadline(text.get("deadline", ""), context_year=self.plan.first_year) \
            if text.get("deadline") else None
        assignments = [a for role in ROLE_KEYS if text.get(role) for a in self.assignments(role, text[role])]
        services.task_create(
            actor=self.actor, item=item, text=text.get("tasks") or item.name, deliverable=text.get("deliverable", ""),
            deadline_text=text.get("deadline", ""),
            deadline_kind=deadline.kind if deadline else "",
            due_date=deadline.due_date if deadline else None,
            period_start=deadline.period_start if deadline else None,
            period_end=deadline.period_end if deadline else None,
            recurring=bool(deadline and deadline.recurring),
            deadline_flagged=bool(deadline and deadline.flagged),
            assignments=assignments,
        )
        self.report.tasks += 1
        self.report.assignments += len(assignments)
        if deadline and deadline.flagged:
            self.report.warnings.append(f"{item.code or item.name[:40]}: chưa hiểu được thời hạn '{deadline.text}'")

    def assignments(self, column_role: str, cell: str) -> list[AssignmentInput]:
        """The units (or groups) a cell names, in the roles the cell or its column gives them."""
        seen: set[tuple] = set()
        out = []
        mentions = [(role or column_role, mention) for role, part in split_roles(cell)
                    for mention in split_agencies(part, known_names=self.known_names)]
        for position, (role, mention) in enumerate(mentions):
            if mention.group:
                key = ("group", role, mention.group, fold(mention.raw))
                unit = None
            else:
                unit = self.unit_for(mention.name)
                key = ("unit", role, unit.pk)
            if key in seen:
                continue
            seen.add(key)
            out.append(AssignmentInput(role=role, unit=unit, group=mention.group or "", text=collapse(mention.raw),
                                       position=position))
        return out

    def unit_for(self, name: str) -> Unit:
        folded = fold(name)
        if folded in self.created_units:
            return self.created_units[folded]
        chosen = self.unit_overrides.get(folded)
        if isinstance(chosen, Unit):
            return chosen
        hit = self.resolver.resolve(name) if chosen != NEW_UNIT else None
        if hit is not None and hit.unit is not None:
            return hit.unit
        unit = unit_create(actor=self.actor, name=name, kind=guess_kind(name), parent=self.plan.issuer,
                           verified=False, note=f"Tạo khi nạp kế hoạch {self.plan.number or self.plan.title[:60]}")
        self.created_units[folded] = unit
        self.resolver.add(unit)
        self.report.units_created.append(unit.name)
        self.report.unresolved.append(name)
        return unit

    # -- arithmetic checks and scores ---------------------------------------------------
    def check_sums(self, data: dict, sums: dict) -> list[str]:
        totals = {(t["key"], str(t.get("year") or "")): t["value"] for t in data.get("total") or []
                  if not isinstance(t.get("value"), list)}
        warnings = []
        labels = {(c["key"], str(c.get("year") or "")): c.get("label") or c["key"] for c in data.get("columns") or []}
        partial = self.partial_parents(sums.get(("max_points", ""), []), totals.get(("max_points", "")))
        for code in partial:
            where = f"mục {code}" if code else "dòng tổng"
            warnings.append(f"{index_label(data['index'])}: {where} chỉ liệt kê một phần các mục con (tổng điểm tối đa của các "
                            f"mục con nhỏ hơn của mục này): không đối chiếu được tổng.")
        for key, rows in sums.items():
            coded = [(code, name, v) for code, name, v in rows if code]
            total = totals.get(key) if "" not in partial else None
            roots = build(coded)
            for m in sum_mismatches(roots, Decimal(str(total)) if total is not None else None):
                if m.code in partial:
                    continue
                what = labels.get(key, " ".join(filter(None, key)))
                warnings.append(f"{index_label(data['index'])}: {m.describe(what)}")
        return warnings

    @staticmethod
    def partial_parents(max_rows: list, total) -> set[str]:
        """Parents (and "" for the total) whose listed children's max points fall short of their
        own: a table of only the criteria that lost points, not a misprint."""
        coded = [(code, name, v) for code, name, v in max_rows if code]
        roots = build(coded)
        out = {m.code for m in sum_mismatches(roots, Decimal(str(total)) if total is not None else None)
               if m.computed < m.printed}
        return out

    def record_scores(self, table: PlanTable, version, items: list[PlanItem]) -> None:
        """Past results and targets of matched rows become the issuer's scores, never overwriting."""
        fills: dict[int, list[ScoreFill]] = {}
        for item in items:
            if item.criterion is None:
                continue
            values = list(item.values.all())
            appraised_years = {v.year for v in values if v.key == "appraised"}
            for value in values:
                if value.value_high is not None or not value.year[-4:].isdigit():
                    continue
                field_name = score_field(value.key, value.year, appraised_years)
                if field_name is not None:
                    fills.setdefault(int(value.year[-4:]), []).append(ScoreFill(
                        criterion=item.criterion, field_name=field_name, value=value.value,
                        where=f"{item.code}: điểm {value.year}"))
        appraised_totals = {str(t.get("year") or "") for t in table.printed_total if t.get("key") == "appraised"}
        totals: dict[int, Decimal] = {}
        for total in table.printed_total:
            year_text = str(total.get("year") or "")
            if score_field(total.get("key"), year_text, appraised_totals) == "score" and year_text[-4:].isdigit() \
                    and not isinstance(total.get("value"), list):
                totals[int(year_text[-4:])] = Decimal(str(total["value"]))
        source = f"Kế hoạch {self.plan.number or self.plan.title[:100]}"
        for year in sorted(set(fills) | set(totals)):
            filled = scores_fill(actor=self.actor, unit=self.plan.issuer, version=version, year=year,
                                 fills=fills.get(year, []), printed_total=totals.get(year), source=source)
            self.report.scores += filled.filled
            self.report.warnings += [f"{fill.where} đã có {existing}, kế hoạch ghi {fill.value} — giữ điểm đã có"
                                     for fill, existing in filled.kept]
            self.report.warnings += filled.refused
