"""Cell text cleaning and Vietnamese folding. Pure standard library."""
from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_BOLD = re.compile(r"\*\*|__")
_ITALIC = re.compile(r"(?:(?<=\s)|^)\*(?=\S)|(?<=\S)\*(?=\s|$)")


def collapse(s: object) -> str:
    if s is None:
        return ""
    text = str(s)
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return " ".join(text.split())


def clean(s: object) -> str:
    """Markup (HTML tags, entities, ** and * emphasis) removed, whitespace collapsed."""
    if s is None:
        return ""
    text = str(s)
    if "<" in text:
        text = _TAG.sub(" ", text)
    if "&" in text:
        text = html.unescape(text)
    if "*" in text or "__" in text:
        text = _BOLD.sub(" ", text)
        text = _ITALIC.sub("", text)
    text = text.replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "")
    return collapse(text)


def fold(s: object) -> str:
    """Lowercase, no diacritics (đ -> d), whitespace collapsed; other non-ASCII letters are dropped."""
    return _fold(collapse(s))


@lru_cache(maxsize=8192)
def _fold(text: str) -> str:
    text = text.lower().replace("đ", "d")
    if text.isascii():
        return text
    return unicodedata.normalize("NFD", text).encode("ascii", "ignore").decode("ascii")


_KEYCHARS = re.compile(r"[^a-z0-9]+")


def key(s: object) -> str:
    """Folded text with every non-alphanumeric run turned into one space."""
    return _KEYCHARS.sub(" ", fold(s)).strip()


def join_text(a: str, b: str) -> str:
    a, b = a.strip(), b.strip()
    if not a:
        return b
    if not b:
        return a
    return a + " " + b


def is_upper_text(s: str) -> bool:
    letters = [c for c in s if c.isalpha()]
    return len(letters) >= 3 and sum(c.isupper() for c in letters) / len(letters) > 0.85
