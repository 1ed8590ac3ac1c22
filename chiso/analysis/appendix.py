"""The plan's appendix and deduction table as data: rows the exports write and the
chiso.plan-table/1 document they should read back as (the plan's own data)."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from chiso.core.gap import GapInput, analyse
from chiso.core.tree import fmt
from chiso.plans.models import AssignmentRole, Plan, PlanItem, PlanTable
from chiso.plans.selectors import leaf_methods, plan_tables
from chiso.scores.models import Score

INDEX_LABELS = {"PAR_INDEX": "Chỉ số cải cách hành chính (PAR INDEX)", "SIPAS": "Chỉ số hài lòng (SIPAS)",
                "PAPI": "Chỉ số PAPI"}


@dataclass
class Line:
    code: str
    name: str
    level: int
    values: list[Decimal | None]  # in the order of the table's value columns
    text: dict[str, str]


@dataclass
class Sheet:
    """One exported table: its caption, value columns, text columns and rows."""

    index: str
    caption: str
    columns: list[dict]  # chiso.plan-table/1 value columns: key, year, label
    texts: list[tuple[str, str]]  # (text key, header label)
    lines: list[Line] = field(default_factory=list)
    total: list[dict] = field(default_factory=list)
    kind: str = "appendix"  # or "deductions"

    def document_table(self) -> dict:
        rows = []
        for line in self.lines:
            values = [{"key": c["key"], **({"year": c["year"]} if c.get("year") else {}), "value": float(v)}
                      for c, v in zip(self.columns, line.values) if v is not None]
            rows.append({"code": line.code or None, "name": line.name, "values": values,
                         "text": {k: v for k, v in line.text.items() if v}})
        table = {"index": self.index, "caption": self.caption,
                 "columns": [{k: c[k] for k in ("key", "year", "label") if c.get(k)} for c in self.columns],
                 "rows": rows}
        if self.total:
            table["total"] = self.total
        return table


def role_text(item: PlanItem, role: str) -> str:
    names: list[str] = []
    for task in item.tasks.all():
        for a in task.assignments.all():
            if a.role == role and a.text not in names:
                names.append(a.text)
    return "; ".join(names)


def tasks_text(item: PlanItem) -> str:
    return "\n".join(t.text for t in item.tasks.all() if t.text and t.text != item.name)


def joined(values) -> str:
    return "; ".join(dict.fromkeys(v for v in values if v))


# Every text column a plan's row can hold, in the order the appendix prints them, with the
# header the reader recognises. The tasks, lead, coordinating and deadline columns are always
# printed (a plan written in chiso fills them); the others only when some row of the table has one.
APPENDIX_TEXTS = [("tasks", "Nhiệm vụ, giải pháp"), ("reason", "Lý do bị trừ điểm"), ("lead", "Cơ quan chủ trì"),
                  ("coordinating", "Cơ quan phối hợp"), ("implementing", "Cơ quan thực hiện"),
                  ("monitoring", "Cơ quan theo dõi"), ("responsible", "Trách nhiệm thực hiện"),
                  ("deadline", "Thời gian thực hiện"), ("deliverable", "Sản phẩm"), ("note", "Ghi chú")]
ALWAYS_PRINTED = {"tasks", "lead", "coordinating", "deadline"}


def item_texts(item: PlanItem) -> dict[str, str]:
    tasks = list(item.tasks.all())
    out = {"tasks": tasks_text(item), "reason": item.reason, "note": item.note,
           "deadline": joined(t.deadline_text for t in tasks), "deliverable": joined(t.deliverable for t in tasks)}
    for role in (AssignmentRole.LEAD, AssignmentRole.COORDINATING, AssignmentRole.IMPLEMENTING,
                 AssignmentRole.MONITORING, AssignmentRole.RESPONSIBLE):
        out[str(role)] = role_text(item, role)
    return out


def value_years(table: PlanTable) -> tuple[str, list[str]]:
    base = [str(c.get("year") or "") for c in table.columns if c.get("key") in {"achieved", "appraised"}]
    targets = [str(c.get("year") or "") for c in table.columns if c.get("key") == "target"]
    return (max(base) if base else ""), targets


def appendix_sheet(table: PlanTable, number: int) -> Sheet:
    base_year, target_years = value_years(table)
    has_values = bool(table.columns)
    columns = []
    if has_values:
        columns.append({"key": "max_points", "label": "Điểm tối đa"})
        if base_year:
            columns.append({"key": "achieved", "year": base_year, "label": f"Điểm đạt được năm {base_year}"})
        columns += [{"key": "target", "year": y, "label": f"Mục tiêu năm {y}"} for y in target_years]
    caption = table.caption or f"PHỤ LỤC {number:02d} NHIỆM VỤ, GIẢI PHÁP NÂNG CAO {INDEX_LABELS.get(table.index, table.index)}"
    rows = []
    for item in table.items.all():
        targets = {v.year: v.value for v in item.values.all() if v.key == "target" and v.value_high is None}
        values = [item.max_points] if has_values else []
        if base_year:
            values.append(item.baseline if item.baseline_year == base_year else None)
        values += [targets.get(y) for y in target_years]
        # the code as the plan prints it: a row the framework renumbered keeps its own number
        rows.append(Line(item.display_code, item.name, item.level, values if has_values else [], item_texts(item)))
    used = {k for line in rows for k, v in line.text.items() if v}
    texts = [(k, label) for k, label in APPENDIX_TEXTS if k in ALWAYS_PRINTED or k in used]
    sheet = Sheet(table.index, caption, columns, texts, rows)
    printed = {(t.get("key"), str(t.get("year") or "")): t.get("value") for t in table.printed_total}
    for c in columns:
        value = printed.get((c["key"], c.get("year", "")))
        if value is not None and not isinstance(value, list):
            sheet.total.append({"key": c["key"], **({"year": c["year"]} if c.get("year") else {}), "value": value})
    return sheet


def deduction_sheet(table: PlanTable, scores: dict[int, Score]) -> Sheet | None:
    """Criteria that lost points in the table's baseline year, with reason, remedy and who does it."""
    base_year, _ = value_years(table)
    if not base_year:
        return None
    methods = leaf_methods(table.version_id) if table.version_id else {}
    items = list(table.items.all())
    by_code = {i.code: i for i in items if i.code}
    gap = analyse([GapInput(i.code, i.name, i.max_points, i.baseline, methods.get(i.criterion_id, ""))
                   for i in items if i.code])
    columns = [{"key": "max_points", "label": "Điểm tối đa"},
               {"key": "appraised", "year": base_year, "label": f"Điểm thẩm định năm {base_year}"},
               {"key": "deducted", "year": base_year, "label": "Điểm bị trừ"}]
    texts = [("reason", "Lý do bị trừ điểm"), ("tasks", "Biện pháp khắc phục"), ("responsible", "Trách nhiệm thực hiện"),
             ("deadline", "Thời gian thực hiện"), ("deliverable", "Sản phẩm")]
    sheet = Sheet(table.index, f"BẢNG ĐIỂM BỊ TRỪ NĂM {base_year} VÀ BIỆN PHÁP KHẮC PHỤC", columns, texts,
                  kind="deductions")
    for line in sorted(gap.criteria, key=lambda g: [int(p) if p.isdigit() else p for p in g.code.split(".")]):
        item = by_code[line.code]
        score = scores.get(item.criterion_id) if item.criterion_id else None
        tasks = list(item.tasks.all())
        sheet.lines.append(Line(item.display_code, item.name, item.level, [line.max_points, line.score, line.score - line.max_points], {
            "reason": (score.reason if score and score.reason else item.reason),
            "tasks": (score.remedy if score and score.remedy else tasks_text(item)),
            "responsible": role_text(item, AssignmentRole.LEAD) or role_text(item, AssignmentRole.RESPONSIBLE),
            "deadline": joined(t.deadline_text for t in tasks),
            "deliverable": joined(t.deliverable for t in tasks),
        }))
    return sheet if sheet.lines else None


def plan_sheets(plan: Plan, *, deductions: bool = True) -> list[Sheet]:
    tables = plan_tables(plan)
    sheets = [appendix_sheet(t, n) for n, t in enumerate(tables, start=1)]
    if deductions:
        for table in tables:
            base_year, _ = value_years(table)
            scores = {}
            if table.version_id and base_year[-4:].isdigit():
                scores = {s.criterion_id: s for s in Score.objects.filter(
                    assessment__unit_id=plan.issuer_id, assessment__version_id=table.version_id,
                    assessment__year=int(base_year[-4:]))}
            sheet = deduction_sheet(table, scores)
            if sheet is not None:
                sheets.append(sheet)
    return sheets


def plan_document(plan: Plan, sheets: list[Sheet]) -> dict:
    """The exported appendix as chiso.plan-table/1: what reading the .docx back should give."""
    return {
        "schema": "chiso.plan-table/1",
        "document": {"issuer": f"UBND {issuer_kind_name(plan.issuer)}", "number": plan.number or None,
                     "date": plan.date.isoformat() if plan.date else (plan.date_text or None), "title": plan.title},
        "tables": [s.document_table() for s in sheets],
    }


def issuer_kind_name(unit) -> str:
    prefix = {"province": "tỉnh", "district": "huyện", "commune": "xã"}.get(unit.kind, "")
    return f"{prefix} {unit.name}".strip()


def cell_text(value) -> str:
    return "" if value is None else fmt(Decimal(str(value)))
