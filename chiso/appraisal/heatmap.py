"""The heat map of the results page: units × fields, each cell a field's index in one of five colour
bands (classes in chiso.css; the CSP allows no inline style)."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from chiso.core.internal_index import IndexResult

BANDS = ((Decimal(90), "heat-4"), (Decimal(80), "heat-3"), (Decimal(70), "heat-2"), (Decimal(50), "heat-1"),
         (Decimal(0), "heat-0"))


def band(result: IndexResult | None) -> str:
    if result is None or result.index is None:
        return "heat-na"
    value = result.published_index
    return next(css for bound, css in BANDS if value >= bound)


@dataclass
class HeatCell:
    code: str
    result: IndexResult | None
    css: str


def heat_rows(lines, fields) -> list[tuple[object, list[HeatCell]]]:
    return [(line, [HeatCell(f.code, line.fields.get(f.code), band(line.fields.get(f.code))) for f in fields])
            for line in lines]
