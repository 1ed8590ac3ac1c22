"""The heat map of the results page: units × fields, each cell a field's index (server-rendered SVG,
chiso.core.svg.heat_map: one string, whatever the number of units; no inline style under the CSP)."""
from __future__ import annotations

from chiso.core.svg import heat_map


def heat_svg(lines, fields, *, title: str) -> str:
    columns = [(f"LV {f.code}", f"{f.code}. {f.name}") for f in fields]
    rows = [(line.sheet.unit.name, [line.fields[f.code].published_index if f.code in line.fields else None
                                    for f in fields]) for line in lines]
    return heat_map(rows, columns, title=title)
