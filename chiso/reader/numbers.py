"""Parsing printed scores: decimal comma or point, ranges, signs, placeholders."""
from __future__ import annotations

import re

_UNUM = r"\d+(?:[.,]\d+)*"
_NUM = rf"[-+−–]?\s*{_UNUM}"
_SINGLE = re.compile(rf"^\(?({_NUM})\)?\s*(%|điểm|đ)?$", re.I)
_RANGE = re.compile(rf"^(?:từ\s+)?({_NUM})\s*(?:%|điểm)?\s*(?:-|–|—|đến|~|÷)\s*({_UNUM})\s*(%|điểm)?$", re.I)
_CMP = re.compile(rf"^(?:≥|>=|>|≤|<=|<|trên|dưới|từ|đạt|tối thiểu|tối đa)\s*({_NUM})\s*(%|điểm)?(?:\s*trở lên)?$", re.I)
PLACEHOLDERS = {"", "-", "–", "—", "x", "/", "//", "...", "…", "n/a", "k", "0/", "(*)", "*"}


def parse_number(token: str) -> float | None:
    """One number as printed: '1,4741' -> 1.4741, '12.905' -> 12.905, '2.543.815' -> 2543815."""
    t = token.strip().replace(" ", "").replace("−", "-").replace("–", "-")
    if not t:
        return None
    sign = -1.0 if t.startswith("-") else 1.0
    t = t.lstrip("+-")
    if not t or not t[0].isdigit():
        return None
    seps = [c for c in t if c in ".,"]
    if not seps:
        body = t
    elif len(seps) == 1:
        body = t.replace(",", ".")
    elif len(set(seps)) == 1:
        parts = t.split(seps[0])
        if all(len(p) == 3 for p in parts[1:]):
            body = "".join(parts)  # thousands separators
        else:
            return None
    else:
        # '1.234,5' or '1,234.5': the last separator is the decimal one
        last = max(t.rfind("."), t.rfind(","))
        body = t[:last].replace(".", "").replace(",", "") + "." + t[last + 1:]
    try:
        return sign * float(body)
    except ValueError:
        return None


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
