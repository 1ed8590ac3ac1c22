"""Server-rendered SVG charts. Pure Python; labels are escaped."""
from __future__ import annotations

from decimal import Decimal
from html import escape
from typing import Sequence


def _num(value: Decimal | float, digits: int = 3) -> str:
    text = f"{float(value):.{digits}f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def bar_chart(rows: Sequence[tuple[str, Decimal | float, Decimal | float]], *, title: str,
              width: int = 640, bar_height: int = 22, label_width: int = 220,
              value_label: str = "điểm") -> str:
    """Horizontal bars of `value` against `maximum` per row: (label, value, maximum).

    The whole bar is the maximum; the dark part is the value (e.g. points lost).
    """
    gap = 8
    top = 28
    height = top + len(rows) * (bar_height + gap) + 8
    plot = width - label_width - 70
    scale_max = max((float(m) for _, _, m in rows), default=1.0) or 1.0
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" class="chart" style="max-width:100%;height:auto">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="16" font-size="14" font-weight="bold">{escape(title)}</text>',
    ]
    for i, (label, value, maximum) in enumerate(rows):
        y = top + i * (bar_height + gap)
        full = plot * float(maximum) / scale_max
        part = plot * float(value) / scale_max
        short = label if len(label) <= 34 else label[:33] + "…"
        parts.append(
            f'<g><title>{escape(label)}: {_num(value)} / {_num(maximum)} {escape(value_label)}</title>'
            f'<text x="{label_width - 6}" y="{y + bar_height * 0.7:.1f}" font-size="12" text-anchor="end">{escape(short)}</text>'
            f'<rect x="{label_width}" y="{y}" width="{full:.1f}" height="{bar_height}" fill="#e9ecef"/>'
            f'<rect x="{label_width}" y="{y}" width="{part:.1f}" height="{bar_height}" fill="#c0392b"/>'
            f'<text x="{label_width + full + 6:.1f}" y="{y + bar_height * 0.7:.1f}" font-size="12">'
            f"{_num(value)} / {_num(maximum)}</text></g>"
        )
    parts.append("</svg>")
    return "".join(parts)
