"""The numbering outline of a criteria table: which row is a field, which a criterion under it.

Plans number their rows "1" / "1.1" / "1.1.1"; others number the fields with roman numerals
(I, II, … VIII) and the criteria 1, 2, … under each, restarting in every field. Both are read
into the same outline, and into canonical dotted codes ("VIII" → "8", its "1" → "8.1") so that
rows can be matched to a framework's criteria.
"""
from __future__ import annotations

_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def is_roman(code: str | None) -> bool:
    """I … XXXIX: a field's number. C, D, L are more likely section letters (A, B, C, D)."""
    return bool(code) and set(code.upper()) <= set("IVX")


def roman_value(code: str) -> int:
    total, previous = 0, 0
    for ch in reversed(code.upper()):
        value = _ROMAN_VALUES[ch]
        total = total - value if value < previous else total + value
        previous = max(previous, value)
    return total


def uses_roman_fields(codes: list[str | None]) -> bool:
    """Roman numerals for the fields with arabic numbers among them."""
    present = [c for c in codes if c]
    return any(is_roman(c) for c in present) and any(c[0].isdigit() for c in present)


def outline(codes: list[str | None]) -> tuple[list[int], dict[int, list[int]]]:
    """(top-level positions, parent position → child positions) of the numbered codes.

    Letters (SIPAS sections "A", "B") and empty codes are left out.
    """
    roman = uses_roman_fields(codes)
    tops: list[int] = []
    children: dict[int, list[int]] = {}
    stack: list[tuple[int, int]] = []  # (depth, position)
    for i, code in enumerate(codes):
        if not code:
            continue
        if roman and is_roman(code):
            depth = 0
        elif code[0].isdigit():
            depth = code.count(".") + (1 if roman else 0)
        else:
            continue
        while stack and stack[-1][0] >= depth:
            stack.pop()
        if depth == 0:
            tops.append(i)
        elif stack and stack[-1][0] == depth - 1 and _continues(codes[stack[-1][1]], code):
            children.setdefault(stack[-1][1], []).append(i)
        stack.append((depth, i))
    return tops, children


def _continues(parent: str, child: str) -> bool:
    """A dotted child carries its parent's number ("1.3" under "1"); a bare one sits under a roman field."""
    if "." not in child:
        return is_roman(parent)
    return child.rsplit(".", 1)[0] == parent


def canonical_codes(codes: list[str | None]) -> list[str | None]:
    """Dotted codes for a roman-numbered table ("VIII" → "8", "1" under it → "8.1",
    "1.2" under that → "8.1.2"); other tables' codes unchanged."""
    if not uses_roman_fields(codes):
        return list(codes)
    tops, children = outline(codes)
    out: list[str | None] = list(codes)

    def walk(position: int, canonical: str) -> None:
        out[position] = canonical
        for child in children.get(position, []):
            walk(child, f"{canonical}.{codes[child].rsplit('.', 1)[-1]}")

    for top in tops:
        walk(top, str(roman_value(codes[top])))
    return out
