"""Writes of the analysis pages: rules of computed criteria, computed scores, imports of results.

Each is one transaction; problems name their file and line or criterion, in Vietnamese.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import csv
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from chiso.common.errors import ServiceError, require_permission
from chiso.core import rules
from chiso.core.text import fold
from chiso.core.tree import fmt
from chiso.frameworks.models import Criterion
from chiso.frameworks.policies import can_load_national_framework
from chiso.frameworks.selectors import version_for
from chiso.plans.validation import score_field
from chiso.scores import staleness
from chiso.scores.models import Assessment, RawInput, ResultsTable, Score
from chiso.scores.policies import NATIONAL_ONLY, may_replace_national_tables, may_write_results, private_owner
from chiso.scores.services import (ResultLine, ScoreInput, assessment_get_or_create, published_results_save,
                                   raw_inputs_save, results_table_save, scores_save)
from chiso.units.models import Unit, UnitKind

from . import imports

if TYPE_CHECKING:
    from chiso.common.actors import Actor

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
RULES_FILES = {"QĐ 876/QĐ-BNV": DATA_DIR / "frameworks" / "par_index_province_qd876_rules.csv"}
INDEX_NAMES = {"par": "PAR_INDEX", "par_index": "PAR_INDEX", "sipas": "SIPAS", "papi": "PAPI"}


# -- rules of computed criteria ------------------------------------------------------------
def read_rules_csv(path: Path) -> list[tuple[int, str, str, str]]:
    out = []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for line, row in enumerate(csv.DictReader(fh), start=2):
            out.append((line, (row.get("code") or "").strip(), (row.get("rule") or "").strip(),
                        (row.get("inputs") or "").strip()))
    return out


@transaction.atomic
def rules_apply(*, actor: Actor, version, path: Path) -> int:
    """Puts the rules of a rules CSV (code, rule, inputs) on a version's criteria; all or nothing.
    A national version's rules are for national scope; a province's own framework's, for it."""
    owner = version.framework.owner
    require_permission(actor is None or (can_load_national_framework(actor) if owner is None
                                         else may_write_results(actor, owner)),
                       f"Tài khoản không có quyền đặt công thức cho {version.label}.")
    criteria = {c.code: c for c in Criterion.objects.filter(version=version)}
    problems, changes = [], []
    for line, code, text, _inputs in read_rules_csv(path):
        where = f"{path.name}, dòng {line}"
        criterion = criteria.get(code)
        if criterion is None:
            problems.append(f"{where}: mã '{code}' không có trong bộ chỉ số {version.label}")
            continue
        if criterion.children.exists():
            problems.append(f"{where}: tiêu chí {code} có tiêu chí con; chỉ đặt công thức cho tiêu chí lá")
        try:
            rules.parse(text)
        except rules.RuleError as exc:
            problems.append(f"{where}: {exc}")
            continue
        if criterion.rule != text:
            changes.append((criterion, text))
    if problems:
        raise ServiceError(f"Chưa nạp công thức cho {version.label}: có {len(problems)} lỗi.", details=problems)
    for criterion, text in changes:
        criterion.rule = text
        criterion.save(update_fields=["rule"])
    return len(changes)


def bundled_rules_apply(*, actor: Actor = None) -> int:
    """The rules shipped for national versions that are loaded (idempotent)."""
    from chiso.frameworks.models import FrameworkVersion

    changed = 0
    for label, path in RULES_FILES.items():
        for version in FrameworkVersion.objects.filter(label=label, framework__owner__isnull=True):
            changed += rules_apply(actor=actor, version=version, path=path)
    return changed


def rule_descriptions(version) -> dict[str, str]:
    """code → what each input means, from the bundled rules file of the version (if any)."""
    path = RULES_FILES.get(version.label)
    if path is None or not path.exists():
        return {}
    return {code: inputs for _, code, _, inputs in read_rules_csv(path)}


# -- computed scores -------------------------------------------------------------------------
@dataclass
class Computed:
    criterion: Criterion
    result: rules.Result | None = None
    error: str = ""
    clamped: bool = False

    @property
    def points(self) -> Decimal | None:
        if self.result is None:
            return None
        return min(max(self.result.points, Decimal(0)), self.criterion.max_points)


def previous_inputs(assessment: Assessment) -> dict[tuple[str, str], Decimal]:
    """(criterion code, input name) → value, from the unit's assessment of the year before."""
    rows = RawInput.objects.filter(assessment__unit_id=assessment.unit_id, assessment__year=assessment.year - 1,
                                   assessment__version__framework_id=assessment.version.framework_id)
    return {(code, name): value for code, name, value in rows.values_list("criterion__code", "name", "value")}


def compute(assessment: Assessment) -> list[Computed]:
    """Every rule of the version evaluated on the year's inputs (nothing is written)."""
    criteria = [c for c in Criterion.objects.filter(version_id=assessment.version_id).exclude(rule="")]
    current: dict[int, dict[str, Decimal]] = {}
    for r in RawInput.objects.filter(assessment=assessment):
        current.setdefault(r.criterion_id, {})[r.name] = r.value
    previous = previous_inputs(assessment)
    out = []
    for criterion in criteria:
        prev = {name: v for (code, name), v in previous.items() if code == criterion.code}
        try:
            result = rules.evaluate(criterion.rule, current.get(criterion.pk, {}), previous=prev,
                                    max_points=criterion.max_points)
        except rules.RuleError as exc:
            out.append(Computed(criterion, error=str(exc)))
            continue
        clamped = not (0 <= result.points <= criterion.max_points)
        out.append(Computed(criterion, result, clamped=clamped))
    return out


@transaction.atomic
def computed_scores_apply(*, actor: Actor, assessment: Assessment, inputs: dict[int, dict[str, Decimal | None]] | None = None,
                          version: int | None = None) -> list[Computed]:
    """Saves the year's inputs (criterion id → name → value), then every computable criterion's score.
    `version`: the inputs counter the form showed (a stale form is refused, naming what changed)."""
    require_permission(may_write_results(actor, assessment.unit),
                       f"Tài khoản không có quyền ghi số liệu của {assessment.unit.name}.")
    if version is not None:
        staleness.require_fresh(staleness.locked(assessment), "inputs", version)
    criteria = {c.pk: c for c in Criterion.objects.filter(version_id=assessment.version_id).exclude(rule="")}
    for criterion_id, values in (inputs or {}).items():
        if criterion_id not in criteria:
            raise ServiceError("Tiêu chí không có công thức trong bộ chỉ số này.")
        raw_inputs_save(actor=actor, assessment=assessment, criterion=criteria[criterion_id], values=values)
    results = compute(assessment)
    rows = [ScoreInput(code=c.criterion.code, score=c.points, fields=("score",)) for c in results if c.result]
    scores_save(actor=actor, assessment=assessment, rows=rows, source="Tính theo công thức")
    by_code = {c.criterion.code: c for c in results if c.result}
    for score in Score.objects.filter(assessment=assessment, criterion__code__in=list(by_code)).select_related("criterion"):
        c = by_code[score.criterion.code]
        text = c.result.arithmetic + (f" (giới hạn trong 0–{fmt(c.criterion.max_points)})" if c.clamped else "")
        if score.arithmetic != text:
            score.arithmetic = text
            score.save(update_fields=["arithmetic"])
    return results


# -- imports of results ------------------------------------------------------------------------
@dataclass
class ImportReport:
    assessments: list[Assessment] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    warnings: list[str] = field(default_factory=list)


@transaction.atomic
def results_import_sheet(*, actor: Actor, assessment: Assessment, content: bytes, file_name: str) -> ImportReport:
    require_permission(may_write_results(actor, assessment.unit),  # before the file is read
                       f"Tài khoản không có quyền ghi kết quả của {assessment.unit.name}.")
    rows, total, warnings = imports.read_score_sheet(content, file_name)
    saved = scores_save(actor=actor, assessment=assessment, rows=rows, source=f"Tệp {file_name}"[:255],
                        printed_total=total)
    return ImportReport([assessment], saved.created, saved.updated, warnings)


def _year(text) -> int | None:
    digits = str(text or "")[-4:]
    return int(digits) if digits.isdigit() else None


@transaction.atomic
def results_import_document(*, actor: Actor, unit: Unit, document: dict, file_name: str) -> ImportReport:
    """Scores (achieved/appraised), targets and reasons of a plan-table document's tables.

    Each value column with a year goes to the unit's assessment of that year; a
    deducted value that disagrees with appraised − max is reported, not used.
    """
    require_permission(may_write_results(actor, unit), f"Tài khoản không có quyền ghi kết quả của {unit.name}.")
    report = ImportReport()
    problems: list[str] = []
    batches: dict[tuple[int, int], tuple[Assessment, dict[str, ScoreInput]]] = {}
    for t_i, table in enumerate(imports.document_tables(document, file_name), start=1):
        years = [_year(c.get("year")) for c in table["columns"] if c.get("key") in {"achieved", "appraised"}]
        ref_year = max([y for y in years if y] or [0]) or None
        version = version_for(table.get("index") or "", ref_year) if ref_year else None
        if version is None:
            report.warnings.append(f"{file_name}, bảng {t_i} ({table.get('index')}): chưa có bộ chỉ số áp dụng cho "
                                   f"năm {ref_year or '?'} — bỏ qua bảng này")
            continue
        results_table = any(c.get("key") in {"appraised", "deducted"} for c in table["columns"])
        totals = {(v.get("key"), str(v.get("year") or "")): v.get("value") for v in table.get("total") or []}
        for r_i, row in enumerate(table.get("rows") or [], start=1):
            where = f"{file_name}, bảng {t_i}, dòng {r_i}"
            code = str(row.get("code") or "").strip()
            values = {(v.get("key"), str(v.get("year") or "")): v.get("value") for v in row.get("values") or []}
            if not code or not any(k in {"achieved", "appraised", "target"} for k, _ in values):
                continue
            text = row.get("text") or {}
            maximum = values.get(("max_points", ""))
            appraised_years = {y for k, y in values if k == "appraised"}
            for (key, year_text), value in values.items():
                year = _year(year_text)
                if key not in {"achieved", "appraised", "target"} or year is None or isinstance(value, list):
                    continue
                try:
                    target_version = version if version.covers(year) else version_for(table["index"], year)
                    if target_version is None:
                        raise ServiceError(f"không có bộ chỉ số {table['index']} cho năm {year}")
                    key_a = (target_version.pk, year)
                    if key_a not in batches:
                        batches[key_a] = (assessment_get_or_create(actor=actor, unit=unit, version=target_version,
                                                                   year=year, source=file_name), {})
                except ServiceError as exc:
                    problems.append(f"{where}: {exc.message}")
                    continue
                rows = batches[key_a][1]
                row_in = rows.setdefault(code, ScoreInput(code=code, where=where, fields=()))
                field_name = score_field(key, year_text, appraised_years)
                setattr(row_in, field_name, Decimal(str(value)))
                row_in.fields = tuple(sorted(set(row_in.fields) | {field_name}))
                if field_name == "score":
                    if maximum is not None:
                        row_in.max_points = Decimal(str(maximum))
                    if text.get("reason"):
                        row_in.reason, row_in.fields = text["reason"], (*row_in.fields, "reason")
                    if results_table and text.get("tasks"):
                        row_in.remedy, row_in.fields = text["tasks"], (*row_in.fields, "remedy")
                    deducted = values.get(("deducted", year_text)) or values.get(("deducted", ""))
                    if deducted is not None and maximum is not None and not isinstance(deducted, list):
                        expected = Decimal(str(value)) - Decimal(str(maximum))
                        if abs(abs(Decimal(str(deducted))) - abs(expected)) > Decimal("0.00001"):
                            report.warnings.append(f"{where}: điểm bị trừ in {deducted}, nhưng điểm thẩm định − "
                                                   f"điểm tối đa = {fmt(expected)}")
        appraised_totals = {y for k, y in totals if k == "appraised"}
        for (key, year_text), value in totals.items():
            year = _year(year_text)
            if (score_field(key, year_text, appraised_totals) == "score"
                    and year and (version.pk, year) in batches):
                batches[(version.pk, year)][0].pending_total = Decimal(str(value))
    if problems:
        raise ServiceError(f"Chưa nạp kết quả từ {file_name}: có {len(problems)} lỗi.", details=problems)
    for assessment, rows in batches.values():
        try:
            saved = scores_save(actor=actor, assessment=assessment, rows=list(rows.values()),
                                source=f"Tài liệu {file_name}"[:255],
                                printed_total=getattr(assessment, "pending_total", None))
        except ServiceError as exc:
            problems += exc.details or [exc.message]
            continue
        report.assessments.append(assessment)
        report.created += saved.created
        report.updated += saved.updated
    if problems:
        raise ServiceError(f"Chưa nạp kết quả từ {file_name}: có {len(problems)} lỗi.", details=problems)
    return report


def province_named(name: str) -> Unit | None:
    """The province a results table names ("TP. Hồ Chí Minh", "Thừa Thiên Huế")."""
    def bare(text: str) -> str:
        folded = fold(text)
        for prefix in ("tp. ", "tp ", "thanh pho ", "tinh "):
            if folded.startswith(prefix):
                return folded[len(prefix):]
        return folded

    wanted = bare(name)
    candidates = [u for u in Unit.objects.filter(kind=UnitKind.PROVINCE) if bare(u.name) == wanted]
    return candidates[0] if len(candidates) == 1 else None


@transaction.atomic
def results_table_import(*, actor: Actor, index: str, year: int, content: bytes, file_name: str, private: bool = False,
                         name: str = "", version: int | None = None) -> ResultsTable:
    """A results table from a file as a new version: the national one (national scope only), or
    with `private` the actor's province's own table `name`, for its projections."""
    owner = None
    if private:
        owner = private_owner(actor)
        require_permission(owner is not None, "Tài khoản không thuộc tỉnh nào: không giữ được bảng riêng.")
        require_permission(may_write_results(actor, owner), f"Tài khoản không giữ bảng riêng của {owner.name}.")
    else:  # refused before the file is read
        require_permission(may_replace_national_tables(actor), NATIONAL_ONLY)
    lines = imports.read_results_table(content, file_name)
    for line in lines:
        line.unit = province_named(line.unit_name)
    return results_table_save(actor=actor, index=index, year=year, lines=lines, owner=owner, name=name,
                              version=version, source=f"Nhập từ tệp {file_name}")


@transaction.atomic
def bundled_published_results_load(*, actor: Actor = None) -> int:
    """The few published figures that public sources state (chiso/data/results), idempotent."""
    path = DATA_DIR / "results" / "published_results.csv"
    groups: dict[tuple[str, int], list[ResultLine]] = {}
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for line, row in enumerate(csv.DictReader(fh), start=2):
            index = INDEX_NAMES.get(row["index"].strip().lower())
            if index is None:
                continue
            total = Decimal(row["score"]) if row["score"].strip() else None
            rank = int(row["rank"]) if row["rank"].strip() else None
            groups.setdefault((index, int(row["year"])), []).append(
                ResultLine(row["province"].strip(), total, rank, f"{path.name}, dòng {line}",
                           province_named(row["province"]), row.get("source_url") or "", row.get("note") or ""))
    count = 0
    for (index, year), lines in groups.items():
        count += published_results_save(actor=actor, index=index, year=year, lines=lines,
                                        source="Số liệu công bố trên báo chí, cổng thông tin")
    return count
