"""Words a PDF broke inside a narrow cell: "Điể" / "m" / "tối" / "đa" is "Điểm tối đa".

A PDF keeps no trace of why a line ended. When a column is too narrow for a word, the word is
cut wherever the line is full ("Phòn" / "g", "12," / "90" / "45"). Vietnamese words are single
syllables, so two fragments belong together exactly when they make one syllable that is not
two words: one vowel group, at most one tone mark, an initial and a final consonant that
Vietnamese allows. Numbers cut the same way are joined when both sides are digits.
"""
from __future__ import annotations

import re
import unicodedata

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_INITIALS = ("ngh", "ng", "gh", "gi", "kh", "nh", "ph", "qu", "th", "tr", "ch", "b", "c", "d", "g", "h", "k", "l",
             "m", "n", "p", "r", "s", "t", "v", "x")
_FINALS = ("ch", "ng", "nh", "c", "m", "n", "p", "t", "")
_CLUSTERS = {"a", "e", "i", "o", "u", "y", "ai", "ao", "au", "ay", "eo", "eu", "ia", "ie", "ieu", "iu", "oa", "oai",
             "oay", "oe", "oi", "oo", "ua", "uay", "ue", "ui", "uo", "uoi", "uou", "uu", "uy", "uya", "uye", "uyu",
             "ye", "yeu", "oao", "oeo", "uao", "uai", "uau", "ueu", "uey"}
_LETTERS = re.compile(r"^[^\W\d_]+$")
_DIGITS = re.compile(r"^[\d.,]+$")


def _fold(s: str) -> tuple[str, int]:
    d = unicodedata.normalize("NFD", s.lower())
    tones = sum(1 for ch in d if ch in _TONES)
    base = "".join(ch for ch in d if not unicodedata.combining(ch)).replace("đ", "d")
    return base, tones


def is_syllable(word: str) -> bool:
    if not _LETTERS.match(word):
        return False
    base, tones = _fold(word)
    if tones > 1 or not base.isascii():
        return False
    for ini in _INITIALS + ("",):
        if not base.startswith(ini):
            continue
        rest = base[len(ini):]
        for fin in _FINALS:
            if fin and not rest.endswith(fin):
                continue
            vowels = rest[: len(rest) - len(fin)] if fin else rest
            if vowels in _CLUSTERS:
                return True
    return False


def broken(left: str, right: str) -> bool:
    """Whether `left` (a line's last word) and `right` (the next line's first) are one word cut."""
    if not left or not right:
        return False
    if _DIGITS.match(left) and _DIGITS.match(right):
        return True
    if not (_LETTERS.match(left) and _LETTERS.match(right)):
        return False
    return is_syllable(left + right) and not (is_syllable(left) and is_syllable(right) and len(right) > 2
                                              and right[:1].isalpha() and _fold(right)[0][:1] not in "aeiouy")


def rejoin(lines: list[str]) -> str:
    """A cell's lines as text: a word cut at a line end joined back, other lines kept apart."""
    out = ""
    for line in lines:
        line = _inner(line.replace("\ufffe", "-"))
        if not out:
            out = line
            continue
        left = _edge(out.split()[-1], end=True) if out.split() else ""
        right = _edge(line.split()[0], end=False) if line.split() else ""
        if not out.endswith(" ") and broken(left, right):
            out += line.lstrip()
        else:
            out = out.rstrip() + "\n" + line.lstrip()
    return out


_RUN = re.compile(r"[^\W_]+")


def _edge(token: str, *, end: bool) -> str:
    """The letters (or digits) of a token at the line break: "(SIPAS" → "SIPAS", "nh-Kế" → "nh"."""
    if _DIGITS.match(token):
        return token
    runs = _RUN.findall(token)
    if not runs:
        return ""
    run = runs[-1] if end else runs[0]
    if end and not token.endswith(run) or not end and not token.startswith(run):
        return ""
    return run


_TAIL = re.compile(r"(\w+) ([bcdghklmnpqrstvxđ]{1,2})(?=\s|$)")


def _inner(line: str) -> str:
    """A word's last consonants set apart by the PDF's spacing ("bin h", "nghiệ p")."""
    def fix(m):
        return m.group(1) + m.group(2) if is_syllable(m.group(1) + m.group(2)) else m.group(0)
    return _TAIL.sub(fix, line) if " " in line else line
