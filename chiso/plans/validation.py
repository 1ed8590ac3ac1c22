"""Checks a plan-table document before anything is written; messages name the place."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from chiso.common.errors import ServiceError

SCHEMA = "chiso.plan-table/1"
VALUE_KEYS = {"max_points", "achieved", "appraised", "deducted", "target"}
TEXT_KEYS = {"tasks", "reason", "lead", "coordinating", "implementing", "monitoring", "responsible",
             "deadline", "deliverable", "note"}
INDEXES = {"PAR_INDEX", "SIPAS", "PAPI"}


def to_decimal(value, where: str) -> Decimal:
    if isinstance(value, bool):
        raise ServiceError(f"{where}: giá trị '{value}' không phải là số")
    try:
        return Decimal(str(value).replace(",", "."))
    except (InvalidOperation, ValueError):
        raise ServiceError(f"{where}: giá trị '{value}' không phải là số") from None


SCORE_FIELDS = {"achieved": "score", "appraised": "score", "target": "target"}


def score_field(key: str, year: str, appraised_years) -> str | None:
    """Which Score field a plan-table value fills: achieved and appraised values are the score,
    targets the target. An achieved value in a year that also has an appraised one is the unit's
    self-assessment (điểm tự đánh giá beside điểm thẩm định), never the official score."""
    if key == "achieved" and year in appraised_years:
        return "self_score"
    return SCORE_FIELDS.get(key)


def value_pair(value, where: str) -> tuple[Decimal, Decimal | None]:
    """A number, or a [low, high] range."""
    if isinstance(value, (list, tuple)):
        if len(value) != 2:
            raise ServiceError(f"{where}: khoảng giá trị phải có đúng 2 số")
        return to_decimal(value[0], where), to_decimal(value[1], where)
    return to_decimal(value, where), None


def validate_document(doc: object, name: str = "tài liệu") -> list[str]:
    """Raises ServiceError listing every structural problem; returns soft warnings."""
    problems: list[str] = []
    if not isinstance(doc, dict):
        raise ServiceError(f"{name}: không phải một đối tượng JSON chiso.plan-table/1")
    if doc.get("schema") != SCHEMA:
        problems.append(f"schema phải là '{SCHEMA}' (đang là {doc.get('schema')!r})")
    tables = doc.get("tables")
    if not isinstance(tables, list) or not tables:
        problems.append("không có bảng nào (tables trống)")
        tables = []
    document = doc.get("document") or {}
    if not isinstance(document, dict):
        problems.append("document phải là một đối tượng")
    warnings: list[str] = []
    for t_i, table in enumerate(tables):
        where_t = f"tables[{t_i}]"
        if not isinstance(table, dict):
            problems.append(f"{where_t}: không phải một bảng")
            continue
        if table.get("index") not in INDEXES:
            problems.append(f"{where_t}: index '{table.get('index')}' không thuộc {sorted(INDEXES)}")
        rows = table.get("rows")
        if not isinstance(rows, list):
            problems.append(f"{where_t}: thiếu rows")
            continue
        for r_i, row in enumerate(rows):
            where = f"{where_t}.rows[{r_i}]"
            if not isinstance(row, dict):
                problems.append(f"{where}: không phải một dòng")
                continue
            label = f"{where} (STT {row.get('code')})" if row.get("code") else where
            if not str(row.get("name") or "").strip() and not row.get("code"):
                problems.append(f"{label}: dòng không có STT và tên")
            for v_i, value in enumerate(row.get("values") or []):
                if not isinstance(value, dict) or value.get("key") not in VALUE_KEYS:
                    problems.append(f"{label}.values[{v_i}]: khoá '{(value or {}).get('key') if isinstance(value, dict) else value}' không hợp lệ")
                    continue
                try:
                    value_pair(value.get("value"), f"{label}.values[{v_i}]")
                except ServiceError as exc:
                    problems.append(exc.message)
            text = row.get("text") or {}
            if not isinstance(text, dict):
                problems.append(f"{label}: text phải là một đối tượng")
                continue
            unknown = set(text) - TEXT_KEYS
            if unknown:
                warnings.append(f"{label}: bỏ qua cột văn bản không biết {sorted(unknown)}")
    if problems:
        raise ServiceError(f"{name}: {len(problems)} lỗi, không nạp gì", details=problems)
    return warnings
