"""Display helpers: Vietnamese number and date formats."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import template
from django.utils.safestring import mark_safe

from chiso.core.tree import fmt

register = template.Library()


@register.filter
def points(value) -> str:
    """Decimal comma, no trailing zeros; empty for None: 12.9050 → "12,905"."""
    if value is None or value == "":
        return ""
    try:
        return fmt(Decimal(str(value)))
    except Exception:
        return str(value)


@register.filter
def signed(value) -> str:
    if value is None:
        return ""
    text = points(value)
    return text if text.startswith("-") or text == "0" else f"+{text}"


@register.filter
def vndate(value) -> str:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.strftime("%d/%m/%Y")
    return ""


@register.filter
def percent(value, digits: int = 1) -> str:
    if value is None:
        return ""
    return f"{float(value) * 100:.{digits}f}".replace(".", ",") + "%"


@register.filter
def svg(value) -> str:
    """Marks a chart produced by chiso.core.svg (which escapes its labels) as safe."""
    return mark_safe(value)


@register.simple_tag
def bar_width(value, maximum) -> str:
    if not maximum:
        return "0"
    return f"{min(100.0, float(value) * 100 / float(maximum)):.1f}"
