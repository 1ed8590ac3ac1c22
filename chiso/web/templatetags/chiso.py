"""Display helpers: Vietnamese number and date formats."""
from __future__ import annotations

import datetime as dt
import re

from django import template
from django.utils.safestring import mark_safe

from chiso.core.numbers import as_decimal, format_decimal

register = template.Library()


@register.filter
def points(value) -> str:
    """Decimal comma, no trailing zeros; empty for None: 12.9050 → "12,905"."""
    if value is None or value == "":
        return ""
    number = as_decimal(value)
    return str(value) if number is None else format_decimal(number)


@register.filter
def signed(value) -> str:
    if value is None:
        return ""
    text = points(value)
    return text if text.startswith("-") or text == "0" else f"+{text}"


@register.filter
def vndate(value) -> str:
    """dd/mm/yyyy; a partial ISO date as printed in a document ("2025-09") as "09/2025"."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, str):
        if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value):
            return f"{m[3]}/{m[2]}/{m[1]}"
        if m := re.fullmatch(r"(\d{4})-(\d{2})", value):
            return f"{m[2]}/{m[1]}"
        return value
    return ""


INDEX_NAMES = {"PAR_INDEX": "Chỉ số PAR INDEX", "SIPAS": "Chỉ số SIPAS", "PAPI": "Chỉ số PAPI"}


@register.filter
def index_name(code) -> str:
    """PAR_INDEX → "Chỉ số PAR INDEX": the index codes of the plan-table format, as people say them."""
    return INDEX_NAMES.get(code, str(code or "").replace("_", " "))


@register.filter
def percent(value, digits: int = 1) -> str:
    if value is None:
        return ""
    return format_decimal(as_decimal(value) * 100, digits) + "%"


@register.filter
def svg(value) -> str:
    """Marks a chart produced by chiso.core.svg (which escapes its labels) as safe, in a box
    that scrolls sideways on a phone rather than shrinking the chart's text below 10 px."""
    return mark_safe(f'<div class="chart-scroll">{value}</div>')


@register.simple_tag
def bar_width(value, maximum) -> str:
    if not maximum:
        return "0"
    return f"{min(100.0, float(value) * 100 / float(maximum)):.1f}"


@register.filter(is_safe=True)
def clip(value, length) -> str:
    """Like truncatechars for the long texts of big tables: a plain slice of the (NFC) text with
    "…", instead of Django's character-by-character walk (which cost the plan page ~15 ms)."""
    text, length = str(value), int(length)
    if len(text) <= length:
        return text
    return text[: max(0, length - 1)].rstrip() + "…"
