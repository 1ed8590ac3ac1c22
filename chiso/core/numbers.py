"""Vietnamese numbers: the one parser and the one formatter. Pure Python, exact (Decimal).

Vietnamese writes a decimal comma and groups thousands with dots: "12,5", "1.234,5",
"2.543.815". Documents and people also write the English way ("12.5", "1,234.5"), and points
are printed with up to four decimals ("1,4741", "12.905"). So a number is read by these rules:

    no separator             "125"         → 125
    one separator, either    "12,5" "12.5" → 12.5     the decimal separator
                             "12.905"      → 12.905   (not 12905: see below)
    one kind, repeated       "2.543.815"   → 2543815  thousands: every group after the first
                             "1,234,567"   → 1234567  has exactly three digits, else no number
    both kinds               "1.234,5"     → 1234.5   the last one is the decimal separator,
                             "1,234.5"     → 1234.5   once; the other groups thousands by three

The ambiguous case is one separator followed by three digits: "1.234" is 1,234 (a score with
three decimals), never one thousand two hundred thirty-four, because chiso reads points far
more often than counts, and a count of thousands always has a second group ("1.234.567") or a
decimal part ("1.234,5") that settles it. That is why `format_decimal` groups thousands only
when asked (for counts, `grouping=True`), and why a grouped integer from 1.000 to 999.999
does not read back as itself; everything else `format_decimal` writes reads back exactly.

Counts (of dossiers, of people) are whole numbers, so `parse_count` reads every separator as
grouping thousands: "1.234" and "1,234" are 1234 there; "12,5" is no count.

Around the digits: surrounding and inner spaces (also no-break and thin spaces) are ignored
("1 234,5"); a sign is "-", "+", "−" (minus) or "–" (en dash, as typed by word processors).
Nothing else is a number: no exponent, no "_", no digits of other scripts, no leading or
trailing separator (",5", "5,"), no infinity or NaN. Callers strip units ("%", "điểm") and
placeholders ("-", "x") themselves, as each knows its own.
"""
from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation

_SPACES = re.compile(r"[\s\u00a0\u2009\u202f]+")
_SHAPE = re.compile(r"([-+\u2212\u2013]?)([0-9]+(?:[.,][0-9]+)*)")
MAX_DIGITS = 60  # longer runs of digits are no score or count a person wrote


def parse_decimal(text: str) -> Decimal | None:
    """The number `text` writes, by the rules above; None when it writes no number."""
    if not isinstance(text, str):
        return None
    m = _SHAPE.fullmatch(_SPACES.sub("", text))
    if m is None:
        return None
    sign, body = m.groups()
    plain = _plain(body)
    if plain is None or len(plain) > MAX_DIGITS + 1:
        return None
    value = Decimal(plain)
    return -value if sign in ("-", "\u2212", "\u2013") else value


def _plain(body: str) -> str | None:
    """The digits of `body` with "." as the only (decimal) separator, or None."""
    seps = [c for c in body if c in ".,"]
    if not seps:
        return body
    if len(seps) == 1:
        return body.replace(",", ".")
    if len(set(seps)) == 1:
        groups = body.split(seps[0])
        return "".join(groups) if all(len(g) == 3 for g in groups[1:]) else None
    last = max(body.rfind("."), body.rfind(","))
    whole, frac = body[:last], body[last + 1:]
    point = body[last]  # the decimal separator; the other kind groups thousands
    if point in whole:
        return None
    groups = whole.split("." if point == "," else ",")
    return "".join(groups) + "." + frac if all(len(g) == 3 for g in groups[1:]) else None


def parse_count(text: str) -> int | None:
    """A whole number, its thousands grouped by dots, commas or spaces ("1.234" → 1234); None
    for anything else, a decimal part included."""
    if not isinstance(text, str):
        return None
    m = re.fullmatch(r"([-+\u2212\u2013]?)([0-9]{1,3}(?:[.,]?[0-9]{3})*)", _SPACES.sub("", text))
    if m is None or len(set(re.findall(r"[.,]", m.group(2)))) > 1 or len(m.group(2)) > MAX_DIGITS:
        return None  # no count, or one that mixes dots and commas
    value = int(re.sub(r"[.,]", "", m.group(2)))
    return -value if m.group(1) in ("-", "\u2212", "\u2013") else value


def as_decimal(value) -> Decimal | None:
    """A number from a document or a form: int, Decimal, float (by its shortest repr, so 0.1 is
    Decimal("0.1")) or text by the rules above; None for anything else (bools, lists, NaN, ∞)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, float):
        try:
            result = Decimal(repr(value))
        except InvalidOperation:
            return None
        return result if result.is_finite() else None
    if isinstance(value, str):
        return parse_decimal(value)
    return None


def format_decimal(value, places: int | None = None, *, grouping: bool = False, trim: bool | None = None) -> str:
    """Vietnamese: decimal comma, no trailing zeros ("12,905"); with `places`, rounded half up to
    that many decimals, zeros kept ("85,0") unless `trim`; with `grouping`, thousands grouped by
    dots ("101.835")."""
    number = as_decimal(value)
    if number is None:
        raise ValueError(f"not a number: {value!r}")
    if places is not None:
        digits = max(number.adjusted(), 0) + places + 2  # enough precision for any magnitude
        number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP, context=Context(prec=digits))
    text = format(number, "f")
    sign = "-" if text.startswith("-") else ""
    whole, _, frac = text.lstrip("-").partition(".")
    if trim or (trim is None and places is None):
        frac = frac.rstrip("0")
    if grouping:
        whole = f"{int(whole):,}".replace(",", ".")
    if sign and not whole.strip("0.") and not frac.strip("0"):
        sign = ""  # no "-0"
    return sign + whole + ("," + frac if frac else "")
