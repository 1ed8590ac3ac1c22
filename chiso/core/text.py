"""Text normalization shared by search, matching and the reader. Pure Python."""
from __future__ import annotations

import re
import unicodedata

_WS = re.compile(r"\s+")


def collapse(s: object) -> str:
    """Whitespace collapsed to single spaces and stripped; None becomes ''."""
    if s is None:
        return ""
    return _WS.sub(" ", unicodedata.normalize("NFC", str(s))).strip()


def fold(s: object) -> str:
    """Lowercase, without Vietnamese diacritics (đ → d), whitespace collapsed.

    "Bộ phận Một cửa" and "bo phan mot cua" fold to the same string, which is
    what search and name matching compare.
    """
    text = collapse(s).lower().replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
