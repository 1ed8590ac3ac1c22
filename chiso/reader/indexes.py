"""Which governance index a heading, caption or title is about."""
from __future__ import annotations

import re

from .textutil import key

INDEXES = ("PAR_INDEX", "SIPAS", "PAPI")

_PATTERNS = [
    ("PAR_INDEX", re.compile(r"\bpar\s*index\b|\bchi so cai cach hanh chinh\b|\bchi so cchc\b|\bpar\b")),
    ("SIPAS", re.compile(r"\bsipas\b|\bchi so hai long\b(?! ve)|\bsu hai long cua nguoi dan\b")),
    ("PAPI", re.compile(r"\bpapi\b|\bhieu qua quan tri va hanh chinh cong\b")),
]


def indexes_in(text: str) -> list[tuple[int, str]]:
    k = key(text)
    found = []
    for name, pat in _PATTERNS:
        m = pat.search(k)
        if m:
            found.append((m.start(), name))
    return sorted(found)


def first_index(text: str) -> str | None:
    found = indexes_in(text)
    return found[0][1] if found else None


def heading_index(name: str) -> str | None:
    """The index a heading row names ("CHỈ SỐ PAR INDEX", "Chỉ số hài lòng (SIPAS)"), else None.

    Only short headings that begin with "Chỉ số" or are the index's own name count:
    "Kết quả Chỉ số hài lòng (SIPAS)" is a PAR INDEX criterion, not a heading.
    """
    k = key(name)
    if not k or len(k.split()) > 30:
        return None
    found = indexes_in(name)
    if len(found) != 1:
        return None
    if k.startswith("chi so") or k.split()[0] in ("par", "sipas", "papi") or k.startswith("bo chi so"):
        return found[0][1]
    # "CẢI CÁCH HÀNH CHÍNH (PAR INDEX)": a short heading naming the index by its acronym
    if (len(k.split()) <= 12 and re.search(r"\b(par index|sipas|papi)\b", k)
            and not k.startswith(("ket qua", "tieu chi", "diem", "ty le", "muc do"))):
        return found[0][1]
    return None


def guess_from_rows(rows: list[tuple[str | None, str]]) -> str | None:
    """The index whose bundled criteria names the rows' (code, name) pairs match best, if any do."""
    from .frameworks import criteria_names

    names = criteria_names()
    if not names or not rows:
        return None
    scores = {}
    for index, known in names.items():
        hits = sum(1 for code, name in rows if key(name) in known)
        scores[index] = hits
    best = max(scores, key=scores.get)
    if scores[best] >= max(2, len(rows) // 5):
        return best
    return None
