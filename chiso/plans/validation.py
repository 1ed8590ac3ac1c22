"""Checks a plan-table document before anything is written; messages name the place."""
from __future__ import annotations

from decimal import Decimal

from chiso.common.errors import ServiceError
from chiso.core import plan_table
from chiso.core.numbers import as_decimal


def to_decimal(value, where: str) -> Decimal:
    number = as_decimal(value)
    if number is None:
        raise ServiceError(f"{where}: giá trị '{value}' không phải là số")
    return number


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
    """Raises ServiceError listing every structural problem (through the one schema,
    `chiso.core.plan_table`); returns soft warnings."""
    try:
        parsed = plan_table.parse(doc, name)
    except plan_table.PlanTableError as exc:
        raise ServiceError(f"{name}: {len(exc.problems)} lỗi, không nạp gì", details=exc.problems) from None
    return [f"{where}: bỏ qua cột văn bản không biết" for where in parsed.unknown_text_keys()]
