"""Chart labels: a field's upper-case name in sentence case, keeping the acronyms upper case."""
from __future__ import annotations

import re

ACRONYMS = {"cchc", "tthc", "qppl", "vbqppl", "kt-xh", "ktxh", "sncl", "nsnn", "ngnn", "cqcm", "đvhc", "hđnd", "ubnd",
            "xhh", "pakn", "sipas", "papi", "cbccvc", "lgsp", "ndxp", "cntt"}


def sentence(name: str) -> str:
    """"TÁC ĐỘNG CỦA CCHC ĐẾN NGƯỜI DÂN" → "Tác động của CCHC đến người dân"."""
    text = name.strip()
    if text != text.upper():
        return text[:1].upper() + text[1:]
    words = re.split(r"(\s+|[(),;])", text.lower())
    out = [w.upper() if w.strip("().,;") in ACRONYMS else w for w in words]
    joined = "".join(out)
    return joined[:1].upper() + joined[1:]


def chart_label(code: str, name: str) -> str:
    return f"{code}. {sentence(name)}"
