"""Row numbers ("STT"): normalization, kinds and succession."""
from __future__ import annotations

import re

_ARABIC = re.compile(r"^\d+(?:\s*\.\s*\d+)*\s*\.?$")
_ROMAN = re.compile(r"^(?=[IVXL])(L?X{0,3})(IX|IV|V?I{0,3})\s*[.)]?$")
_LETTER = re.compile(r"^([A-ZĐ])\s*[.)]?$")
_LOWER = re.compile(r"^([a-zđ])\s*[.)]$")
_LEADING = re.compile(r"^\s*((?:\d+\s*\.\s*)+\d*|[IVXL]+\s*[.)]|[A-Z]\s*[.)])\s+(?=\S)")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50}


def normalize(text: str) -> str | None:
    """'1.1.' -> '1.1', '8.1. 1' -> '8.1.1', 'II.' -> 'II', 'A' -> 'A'; None when not a code."""
    t = " ".join(str(text or "").replace("\u00a0", " ").split()).strip()
    t = t.strip("*").strip()
    if not t:
        return None
    if _ARABIC.match(t):
        return ".".join(p for p in re.split(r"\s*\.\s*", t) if p)
    m = _ROMAN.match(t)
    if m and (m.group(1) or m.group(2)):
        return t.rstrip(".) ").strip()
    m = _LETTER.match(t)
    if m:
        return m.group(1)
    m = _LOWER.match(t)
    if m:
        return m.group(1)
    return None


def kind(code: str | None) -> str | None:
    if not code:
        return None
    if code[0].isdigit():
        return "arabic"
    if _ROMAN.match(code):
        return "roman"
    if code.isupper():
        return "letter"
    return "lower"


def roman_value(code: str) -> int:
    total, prev = 0, 0
    for ch in reversed(code):
        v = _ROMAN_VALUES.get(ch, 0)
        total = total - v if v < prev else total + v
        prev = max(prev, v)
    return total


def split_leading_code(text: str) -> tuple[str | None, str]:
    """'1.1. Thực hiện …' -> ('1.1', 'Thực hiện …'); no code -> (None, text)."""
    m = _LEADING.match(text or "")
    if not m:
        return None, text
    code = normalize(m.group(1))
    if code is None:
        return None, text
    return code, text[m.end():]


def is_successor(prev: str | None, cur: str) -> bool:
    """Whether `cur` can follow `prev` in a criteria tree (child, sibling or a higher level's next)."""
    if prev is None:
        return True
    k = kind(cur)
    if k != kind(prev):
        return False
    if k == "arabic":
        p = [int(x) for x in prev.split(".")]
        c = [int(x) for x in cur.split(".")]
        if c == p + [1]:
            return True
        for depth in range(len(p), 0, -1):
            if c == p[: depth - 1] + [p[depth - 1] + 1]:
                return True
        return False
    if k == "roman":
        return roman_value(cur) == roman_value(prev) + 1
    return ord(cur) == ord(prev) + 1


def first_of_kind(code: str) -> bool:
    return code in ("1", "I", "A", "a")
