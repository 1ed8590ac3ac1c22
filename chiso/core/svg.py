"""Server-rendered SVG charts. Pure Python; labels are escaped."""
from __future__ import annotations

from decimal import Decimal
from html import escape
from typing import Sequence

from chiso.core.numbers import format_decimal


def _num(value: Decimal | float, digits: int = 3) -> str:
    return format_decimal(value, digits, trim=True)


def bar_chart(rows: Sequence[tuple[str, Decimal | float, Decimal | float]], *, title: str,
              width: int = 640, bar_height: int = 22, label_width: int = 230,
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
        f'aria-label="{escape(title)}" class="chart chart-bar">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="16" font-size="14" font-weight="bold">{escape(title)}</text>',
    ]
    for i, (label, value, maximum) in enumerate(rows):
        y = top + i * (bar_height + gap)
        full = plot * float(maximum) / scale_max
        part = plot * float(value) / scale_max
        short = _short(label, 32)  # ~6.5 px per character at 12 px: fits label_width
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


PALETTE = ["#0d6efd", "#c0392b", "#198754", "#6f42c1", "#fd7e14", "#20c997", "#6c757d", "#d63384", "#0dcaf0"]


def _short(label: str, size: int = 28) -> str:
    return label if len(label) <= size else label[: size - 1] + "…"


def radar_chart(axes: Sequence[str], series: Sequence[tuple[str, Sequence[float | Decimal | None]]], *,
                title: str, size: int = 460, maximum: float = 1.0) -> str:
    """A radar (spider) chart: one axis per label, one polygon per series.

    Values are shares of `maximum` (e.g. a field's score over its max); a missing
    value sits at the centre. Rings mark 25 %, 50 %, 75 % and 100 %.
    """
    import math

    n = max(len(axes), 3)
    pad = 110  # room for the axis labels left and right
    width = size + 2 * pad
    cx, cy = width / 2, size / 2 + 12
    radius = size / 2 - 50
    legend_h = 18 * len(series)
    height = size + 24 + legend_h

    def point(i: int, share: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * i / n
        return cx + radius * share * math.cos(angle), cy + radius * share * math.sin(angle)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" class="chart chart-radar" font-family="sans-serif">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="16" font-size="14" font-weight="bold">{escape(title)}</text>',
    ]
    for ring in (0.25, 0.5, 0.75, 1.0):
        pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, ring) for i in range(n)))
        parts.append(f'<polygon points="{pts}" fill="none" stroke="#ced4da" stroke-width="1"/>')
        x, y = point(0, ring)
        parts.append(f'<text x="{x + 3:.1f}" y="{y - 2:.1f}" font-size="11" fill="#6c757d">{int(ring * 100)}%</text>')
    for i, label in enumerate(axes):
        x, y = point(i, 1.0)
        lx, ly = point(i, 1.13)
        anchor = "middle" if abs(lx - cx) < 10 else ("start" if lx > cx else "end")
        parts.append(f'<line x1="{cx:.1f}" y1="{cy:.1f}" x2="{x:.1f}" y2="{y:.1f}" stroke="#dee2e6"/>')
        parts.append(f'<text x="{lx:.1f}" y="{ly + 4:.1f}" font-size="11" text-anchor="{anchor}">'
                     f"<title>{escape(label)}</title>{escape(_short(label, 26))}</text>")
    for s_i, (name, values) in enumerate(series):
        color = PALETTE[s_i % len(PALETTE)]
        shares = [0.0 if v is None else max(0.0, min(1.2, float(v) / maximum)) for v in values]
        pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, s) for i, s in enumerate(shares)))
        parts.append(f'<polygon points="{pts}" fill="{color}" fill-opacity="0.15" stroke="{color}" stroke-width="2"/>')
        for i, (share, v) in enumerate(zip(shares, values)):
            x, y = point(i, share)
            label = axes[i] if i < len(axes) else ""
            value = "—" if v is None else _num(float(v) * 100 / maximum, 1) + "%"
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{color}">'
                         f"<title>{escape(name)} · {escape(label)}: {value}</title></circle>")
        ly = size + 20 + 18 * s_i
        parts.append(f'<rect x="10" y="{ly - 10}" width="12" height="12" fill="{color}"/>'
                     f'<text x="28" y="{ly}" font-size="12">{escape(name)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def line_chart(series: Sequence[tuple[str, Sequence[tuple[int, float | Decimal | None]]]], *, title: str,
               marks: Sequence[tuple[int, str]] = (), y_min: float | None = None, y_max: float | None = None,
               width: int = 680, height: int = 320, unit: str = "") -> str:
    """Lines over years, one per series; a missing value breaks its line.

    `marks` are (year, label) drawn as a dashed vertical line before that year, e.g. a
    change of framework version ("QĐ 876/QĐ-BNV"), where figures stop being comparable.
    """
    years = sorted({y for _, points in series for y, _ in points} | {y for y, _ in marks})
    values = [float(v) for _, points in series for _, v in points if v is not None]
    # a margin around the values so that a single year or a flat line is not drawn on an axis of
    # a few hundredths; kept within 0–100 when the values are shares in %
    pad = max((max(values) - min(values)) * 0.1, 2.0) if values else 0.0
    lo = y_min if y_min is not None else (min(values) - pad if values else 0.0)
    hi = y_max if y_max is not None else (max(values) + pad if values else 1.0)
    if values and y_min is None and min(values) >= 0:
        lo = max(lo, 0.0)
    if values and y_max is None and unit == "%" and max(values) <= 100:
        hi = min(hi, 100.0)
    if hi <= lo:
        hi = lo + 1.0
    left, right, top = 56, 16, 30
    legend_h = 18 * ((len(series) + 2) // 3)
    bottom = 28 + legend_h
    plot_w, plot_h = width - left - right, height - top - bottom
    first, last = (years[0], years[-1]) if years else (0, 1)
    span = max(last - first, 1)

    def x_of(year: float) -> float:
        return left + plot_w * (year - first) / span if len(years) > 1 else left + plot_w / 2

    def y_of(value: float) -> float:
        return top + plot_h * (1 - (value - lo) / (hi - lo))

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" class="chart chart-line" font-family="sans-serif">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="16" font-size="14" font-weight="bold">{escape(title)}</text>',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="#adb5bd"/>',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="#adb5bd"/>',
    ]
    for k in range(5):
        value = lo + (hi - lo) * k / 4
        y = y_of(value)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#f1f3f5"/>'
                     f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end">{_num(value, 1)}{escape(unit)}</text>')
    for year in years:
        parts.append(f'<text x="{x_of(year):.1f}" y="{top + plot_h + 16}" font-size="11" text-anchor="middle">{year}</text>')
    for year, label in marks:
        x = x_of(year - 0.5) if len(years) > 1 else x_of(year)
        parts.append(f'<g class="framework-change"><line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{top + plot_h}" '
                     f'stroke="#fd7e14" stroke-width="1.5" stroke-dasharray="5,4"/>'
                     f'<text x="{x + 4:.1f}" y="{top + 10}" font-size="11" fill="#b35c00">{escape(_short(label, 30))}</text>'
                     f"<title>Đổi bộ chỉ số từ năm {year}: {escape(label)}</title></g>")
    for s_i, (name, points) in enumerate(series):
        color = PALETTE[s_i % len(PALETTE)]
        run: list[str] = []
        segments: list[list[str]] = []
        for year, value in sorted(points, key=lambda p: p[0]):
            if value is None:
                if run:
                    segments.append(run)
                run = []
                continue
            run.append(f"{x_of(year):.1f},{y_of(float(value)):.1f}")
            parts.append(f'<circle cx="{x_of(year):.1f}" cy="{y_of(float(value)):.1f}" r="3" fill="{color}">'
                         f"<title>{escape(name)} {year}: {_num(value)}{escape(unit)}</title></circle>")
        if run:
            segments.append(run)
        for seg in segments:
            if len(seg) > 1:
                parts.append(f'<polyline points="{" ".join(seg)}" fill="none" stroke="{color}" stroke-width="2"/>')
        lx = 10 + (s_i % 3) * (width // 3)
        ly = height - legend_h + 12 + 18 * (s_i // 3)
        parts.append(f'<rect x="{lx}" y="{ly - 10}" width="12" height="12" fill="{color}"/>'
                     f'<text x="{lx + 16}" y="{ly}" font-size="12">{escape(_short(name, 34))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def outcome_chart(rows: Sequence[tuple[str, Decimal, Decimal | None, Decimal | None, Decimal | None]], *,
                  title: str, width: int = 640, label_width: int = 230) -> str:
    """A year against its plan, one line per field: (label, max, last year, target, result).

    The pale bar is the maximum, the thin grey bar last year's score, the thick bar the year's
    result (green when it reached the target, red when it fell below last year, blue between),
    the black tick the target."""
    bar, gap, top = 20, 10, 28
    height = top + len(rows) * (bar + gap) + 22
    plot = width - label_width - 90
    scale = max((float(m) for _, m, *_ in rows), default=1.0) or 1.0

    def x(value) -> float:
        return label_width + plot * float(value) / scale

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" class="chart">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="16" font-size="14" font-weight="bold">{escape(title)}</text>',
    ]
    for i, (label, maximum, baseline, target, result) in enumerate(rows):
        y = top + i * (bar + gap)
        tip = [f"{escape(label)}: tối đa {_num(maximum)}"]
        tip += [f"{name} {_num(v)}" for name, v in (("năm trước", baseline), ("mục tiêu", target), ("kết quả", result))
                if v is not None]
        parts.append(f'<g><title>{"; ".join(tip)}</title>'
                     f'<text x="{label_width - 6}" y="{y + bar * 0.7:.1f}" font-size="12" text-anchor="end">'
                     f"{escape(_short(label, 32))}</text>"
                     f'<rect x="{label_width}" y="{y}" width="{x(maximum) - label_width:.1f}" height="{bar}" fill="#e9ecef"/>')
        if baseline is not None:
            parts.append(f'<rect x="{label_width}" y="{y + bar - 5}" width="{x(baseline) - label_width:.1f}" '
                         f'height="5" fill="#6c757d"/>')
        if result is not None:
            colour = ("#198754" if target is not None and result >= target else
                      "#c0392b" if baseline is not None and result < baseline else "#0d6efd")
            parts.append(f'<rect x="{label_width}" y="{y + 3}" width="{x(result) - label_width:.1f}" '
                         f'height="{bar - 10}" fill="{colour}"/>')
        if target is not None:
            parts.append(f'<rect x="{x(target) - 1:.1f}" y="{y - 2}" width="2" height="{bar + 4}" fill="#212529"/>')
        value = _num(result) if result is not None else "—"
        parts.append(f'<text x="{x(maximum) + 6:.1f}" y="{y + bar * 0.7:.1f}" font-size="12">{value} / {_num(maximum)}'
                     "</text></g>")
    legend = height - 6
    parts.append(f'<text x="{label_width}" y="{legend}" font-size="11" fill="#495057">thanh đậm: kết quả · thanh '
                 "mảnh: năm trước · vạch đen: mục tiêu</text></svg>")
    return "".join(parts)


HEAT_BANDS = ((90, "#1e7b4f", "#fff"), (80, "#62b37f", "#000"), (70, "#e7d36b", "#000"), (50, "#f0a35e", "#000"),
              (0, "#d9534f", "#fff"))


def heat_map(rows: Sequence[tuple[str, Sequence[Decimal | None]]], columns: Sequence[tuple[str, str]], *,
             title: str, cell_width: int = 64, row_height: int = 20, label_width: int = 220) -> str:
    """Units × fields: each cell a field's index in % in one of five colour bands (≥ 90, 80, 70, 50, below);
    an empty cell for a field that does not apply (K/AD). `columns` are (short label, full name)."""
    top = 34
    width = label_width + cell_width * len(columns) + 4
    height = top + row_height * len(rows) + 4
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="{escape(title)}" class="chart" font-size="11">', f"<title>{escape(title)}</title>"]
    for j, (short, full) in enumerate(columns):
        x = label_width + j * cell_width + cell_width / 2
        parts.append(f'<text x="{x:.0f}" y="{top - 8}" text-anchor="middle" font-weight="bold">'
                     f'<title>{escape(full)}</title>{escape(short)}</text>')
    for i, (label, values) in enumerate(rows):
        y = top + i * row_height
        parts.append(f'<text x="{label_width - 6}" y="{y + row_height * 0.7:.1f}" text-anchor="end">'
                     f"{escape(_short(label, 34))}</text>")
        for j, value in enumerate(values):
            x = label_width + j * cell_width
            if value is None:
                fill, ink, text = "#f1f3f5", "#6c757d", "K/AD"
            else:
                fill, ink = next((f, k) for bound, f, k in HEAT_BANDS if value >= bound)
                text = _num(value, 2)
            parts.append(f'<rect x="{x}" y="{y}" width="{cell_width - 2}" height="{row_height - 2}" fill="{fill}"/>'
                         f'<text x="{x + cell_width - 6}" y="{y + row_height * 0.68:.1f}" text-anchor="end" '
                         f'fill="{ink}">{text}</text>')
    parts.append("</svg>")
    return "".join(parts)
