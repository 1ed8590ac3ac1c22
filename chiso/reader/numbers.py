"""Parsing printed scores: ranges, signs, units and placeholders around the numbers that
chiso.core.numbers reads."""
from __future__ import annotations

import re

from chiso.core.numbers import parse_decimal

_UNUM = r"\d+(?:[.,]\d+)*"
_NUM = rf"[-+−–]?\s*{_UNUM}"
_SINGLE = re.compile(rf"^\(?({_NUM})\)?\s*(%|điểm|đ)?$", re.I)
_RANGE = re.compile(rf"^(?:từ\s+)?({_NUM})\s*(?:%|điểm)?\s*(?:-|–|—|đến|~|÷)\s*({_UNUM})\s*(%|điểm)?$", re.I)
_CMP = re.compile(rf"^(?:≥|>=|>|≤|<=|<|trên|dưới|từ|đạt|tối thiểu|tối đa)\s*({_NUM})\s*(%|điểm)?(?:\s*trở lên)?$", re.I)
PLACEHOLDERS = {"", "-", "–", "—", "x", "/", "//", "...", "…", "n/a", "k", "0/", "(*)", "*"}


def parse_number(token: str) -> float | None:
    """One number as printed, by the rules of chiso.core.numbers: '1,4741' -> 1.4741,
    '12.905' -> 12.905, '2.543.815' -> 2543815. A float, as the reading (JSON) carries it."""
    value = parse_decimal(token)
    return None if value is None else float(value)


def parse_value(text: str):
    """A value cell: a number, a [low, high] range, or None when empty/not numeric."""
    t = " ".join(str(text or "").split()).strip().rstrip(".;")
    if t.lower() in PLACEHOLDERS:
        return None
    m = _SINGLE.match(t)
    if m:
        return _tidy(parse_number(m.group(1)))
    m = _RANGE.match(t)
    if m:
        low, high = parse_number(m.group(1)), parse_number(m.group(2))
        if low is not None and high is not None:
            return [_tidy(low), _tidy(high)]
    m = _CMP.match(t)
    if m:
        return _tidy(parse_number(m.group(1)))
    return None


_LEAD = re.compile(rf"^({_NUM})\s*(?:điểm|đ)?\s*[(:;/]|^({_NUM})\s+(?:điểm|đ)\b", re.I)


def parse_value_lenient(text: str):
    """A value cell that adds words after its number ("-0,5 (chưa đạt)", "1,5 điểm/2"), or whose
    number a narrow PDF cell cut into pieces ("12,90 45")."""
    v = parse_value(text)
    if v is not None:
        return v
    raw = str(text or "").strip()
    if re.fullmatch(r"[-+−–]?\d[\d.,]*(?:\s\d{1,2})+", raw):  # "0,2 5": the PDF's spacing inside a number
        return parse_value(raw.replace(" ", ""))
    m = _LEAD.match(" ".join(str(text or "").split()))
    if m:
        return _tidy(parse_number(m.group(1) or m.group(2)))
    return None


def is_numeric(text: str) -> bool:
    return parse_value(text) is not None


def _tidy(v: float | None):
    if v is None:
        return None
    v = round(v, 6)
    if v == int(v) and abs(v) < 1e15:
        return int(v)
    return v


def is_large_integer(v) -> bool:
    return isinstance(v, (int, float)) and abs(v) >= 1000
