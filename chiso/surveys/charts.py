"""Charts of survey results: chiso.core.svg's bars, without a style attribute (the pages' CSP forbids
inline styles; the `chart` class sizes them in the stylesheets)."""
from __future__ import annotations

import re

from chiso.core.svg import bar_chart, line_chart

INLINE_STYLE = re.compile(r'\sstyle="[^"]*"')
MAX_BARS = 40


def without_inline_style(svg: str) -> str:
    return INLINE_STYLE.sub("", svg)


def percent_bars(rows, title: str) -> str:
    """Horizontal bars of indexes in % (label, value), at most MAX_BARS."""
    rows = [(label, value, 100) for label, value in rows if value is not None][:MAX_BARS]
    if not rows:
        return ""
    return without_inline_style(bar_chart(rows, title=title, value_label="%", label_width=300))


def trend(name: str, points, title: str, unit: str = "") -> str:
    """A line over years, when there are at least two."""
    if len(points) < 2:
        return ""
    return without_inline_style(line_chart([(name, points)], title=title, unit=unit))


def result_charts(results) -> dict[str, str]:
    return {
        "elements": percent_bars([(e.name, c.value) for e, c in results.elements], "Chỉ số hài lòng theo yếu tố (%)"),
        "units": percent_bars([(r.cu.unit.name, r.result.overall.value) for r in results.units if r.shown],
                              "Chỉ số chung theo đơn vị (%)"),
    }
