"""Resolving the agency names documents use to known units. Pure Python.

Names are compared in a normal form: folded (no case, no diacritics), the usual
abbreviations unified both ways (UBND = Ủy ban nhân dân, VP = Văn phòng, KH&ĐT =
Kế hoạch và Đầu tư, …), dashes and punctuation ignored. Then, in order:

1. `exact`: the normal form of an entry's main name; `alias`: of one of its
   aliases. Both are certain (score 100).
2. The same with a level suffix dropped on both sides ("Công an tỉnh Đắk Lắk" /
   "Công an tỉnh", "Văn phòng UBND" / "Văn phòng UBND tỉnh"): `fuzzy`, score 95.
3. `fuzzy`: rapidfuzz similarity of the sorted words (token sort ratio). At or above
   `accept` (90) the best entry is taken; from `suggest` (75) it is only suggested.

A name that two entries share equally well is never taken: it comes back as `none`
with both as suggestions, for a person to choose.
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from .text import fold

ACCEPT = 90
SUGGEST = 75
SUFFIX_SCORE = 95

# Abbreviations written with "&", ",", "-" between their parts; matched on the folded text.
_JOINED = [(re.compile(r"\b" + pattern + r"\b"), short) for pattern, short in [
    (r"tt\s*&\s*tt", "tttt"), (r"kh\s*&\s*dt", "khdt"), (r"kh\s*&\s*cn", "khcn"), (r"ldtb\s*&\s*xh", "ldtbxh"),
    (r"tb\s*&\s*xh", "tbxh"), (r"gd\s*&\s*dt", "gddt"), (r"nn\s*&\s*ptnt", "nnptnt"), (r"tn\s*&\s*mt", "tnmt"),
    (r"nn\s*&\s*mt", "nnmt"), (r"dt\s*&\s*tg", "dttg"), (r"kt\s*&\s*ht", "ktht"), (r"vh\s*&\s*tt", "vhtt"),
    (r"vh\s*[,-]?\s*tt\s*[&,-]\s*dl", "vhttdl"), (r"vh\s*-\s*tt\s*-\s*tt", "vhtttt"), (r"tc\s*-\s*kh", "tckh"),
    (r"pt\s*-\s*th", "ptth"), (r"kt\s*-\s*ht\s*-\s*dt", "kthtdt"), (r"vh\s*-\s*kh\s*-\s*tt", "vhkhtt"),
    (r"tp\s*\.?\s*hcm", "tp hcm"), (r"hdnd\s*-\s*ubnd", "hdnd va ubnd"),
]]
# Long forms → the short form both sides are brought to (after punctuation is gone).
_LONG = [(re.compile(r"\b" + long + r"\b"), short) for long, short in sorted([
    ("uy ban nhan dan", "ubnd"), ("hoi dong nhan dan", "hdnd"), ("dai bieu quoc hoi", "dbqh"),
    ("uy ban mat tran to quoc viet nam", "ubmttq"), ("uy ban mat tran to quoc", "ubmttq"),
    ("uy ban mttq viet nam", "ubmttq"), ("uy ban mttq", "ubmttq"), ("ubmttq viet nam", "ubmttq"),
    ("mat tran to quoc viet nam", "mttq"), ("mat tran to quoc", "mttq"), ("mttq viet nam", "mttq"),
    ("thong tin va truyen thong", "tttt"), ("tt va tt", "tttt"), ("ke hoach va dau tu", "khdt"),
    ("kh va dt", "khdt"), ("lao dong thuong binh va xa hoi", "ldtbxh"), ("lao dong tbxh", "ldtbxh"),
    ("giao duc va dao tao", "gddt"), ("nong nghiep va phat trien nong thon", "nnptnt"),
    ("nong nghiep va ptnt", "nnptnt"), ("tai nguyen va moi truong", "tnmt"), ("khoa hoc va cong nghe", "khcn"),
    ("van hoa the thao va du lich", "vhttdl"), ("van hoa the thao du lich", "vhttdl"),
    ("nong nghiep va moi truong", "nnmt"), ("dan toc va ton giao", "dttg"), ("kinh te va ha tang", "ktht"),
    ("van hoa va thong tin", "vhtt"), ("van hoa thong tin the thao", "vhtttt"),
    ("van hoa thong tin va the thao", "vhtttt"), ("tai chinh ke hoach", "tckh"),
    ("phat thanh va truyen hinh", "ptth"), ("phat thanh truyen hinh", "ptth"), ("bao hiem xa hoi", "bhxh"),
    ("kho bac nha nuoc", "kbnn"), ("cong thong tin dien tu", "cong ttdt"), ("van phong", "vp"),
    ("thanh pho", "tp"), ("ho chi minh", "hcm"), ("tp hcm", "tp hcm"), ("giao thong van tai", "gtvt"),
    ("giao thong va van tai", "gtvt"), ("bo chi huy quan su", "bo chqs"), ("ban chi huy quan su", "ban chqs"),
    ("quan ly du an", "qlda"), ("phuc vu hanh chinh cong", "pvhcc"), ("trung tam", "tt"),
], key=lambda pair: -len(pair[0]))]
# Short form → long form, for fuzzy comparison: a typo inside a long form ("hành chánh")
# must not cost the whole abbreviation.
_EXPAND: dict[str, str] = {}
for _rx, _short in _LONG:
    if " " not in _short:
        _EXPAND.setdefault(_short, _rx.pattern[2:-2])
_PUNCT = re.compile(r"[^\w\s]|_")
_LEVELS = {"tinh", "huyen", "tp", "thi xa", "quan"}
_LEVEL_PREFIX = re.compile(r"^(tinh|tp|huyen|thi xa|quan|xa|phuong|thi tran) (?=\S)")


def normalize(name: str) -> str:
    """The form names are compared in: "Sở KH&ĐT" and "Sở Kế hoạch và Đầu tư" → "so khdt"."""
    text = fold(name).replace("–", "-").replace("—", "-")
    for rx, short in _JOINED:
        text = rx.sub(short, text)
    text = _PUNCT.sub(" ", text.replace("&", " va "))
    text = " ".join(text.split())
    for rx, short in _LONG:
        text = rx.sub(short, text)
    return text


def without_level(norm: str) -> str:
    """The normal form with the level dropped: a leading "tỉnh"/"huyện"…, and from the
    first "tỉnh"/"huyện"/"thành phố" after the head on ("so noi vu tinh dak lak" → "so noi vu")."""
    words = _LEVEL_PREFIX.sub("", norm).split()
    for i, word in enumerate(words[1:], start=1):
        if word in _LEVELS or (word == "thi" and words[i + 1:i + 2] == ["xa"]):
            return " ".join(words[:i])
    return " ".join(words)


def _sorted_words(norm: str) -> str:
    """What fuzzy matching compares: abbreviations spelled out, words sorted."""
    return " ".join(sorted(" ".join(_EXPAND.get(w, w) for w in norm.split()).split()))


@dataclass(frozen=True)
class MatchResult:
    key: Hashable | None
    method: str  # exact, alias, fuzzy, none
    score: float
    suggestions: list[tuple[Hashable, str, float]] = field(default_factory=list)


class NameMatcher:
    """Matches names against entries (key, [name, alias, …]); the first name is the display name."""

    def __init__(self, entries: Iterable[tuple[Hashable, Sequence[str]]], *, accept: float = ACCEPT,
                 suggest: float = SUGGEST):
        self.accept, self.suggest = accept, suggest
        self.display: dict[Hashable, str] = {}
        self._exact: dict[str, list[Hashable]] = defaultdict(list)
        self._alias: dict[str, list[Hashable]] = defaultdict(list)
        self._base: dict[str, list[Hashable]] = defaultdict(list)
        choice_keys: dict[str, list[Hashable]] = defaultdict(list)
        for key, names in entries:
            names = [n for n in ([names] if isinstance(names, str) else names) if n and n.strip()]
            if not names:
                continue
            self.display.setdefault(key, " ".join(names[0].split()))
            for i, name in enumerate(names):
                norm = normalize(name)
                if not norm:
                    continue
                _add(self._exact if i == 0 else self._alias, norm, key)
                base = without_level(norm)
                _add(self._base, base, key)
                _add(choice_keys, _sorted_words(norm), key)
                _add(choice_keys, _sorted_words(base), key)
        self._choices = list(choice_keys)
        self._choice_keys = [choice_keys[c] for c in self._choices]
        self._index: dict[str, list[int]] = defaultdict(list)
        for i, choice in enumerate(self._choices):
            for word in set(choice.split()):
                self._index[word].append(i)
        self._block_max = max(300, len(self._choices) // 20)

    def __len__(self) -> int:
        return len(self.display)

    def match(self, name: str, *, limit: int = 3) -> MatchResult:
        norm = normalize(name or "")
        if not norm:
            return MatchResult(None, "none", 0.0, [])
        for table, method in ((self._exact, "exact"), (self._alias, "alias")):
            keys = table.get(norm)
            if keys:
                return self._decide(keys, method, 100.0, limit)
        keys = self._base.get(without_level(norm))
        if keys:
            return self._decide(keys, "fuzzy", float(SUFFIX_SCORE), limit)
        scores = self._fuzzy(norm, limit)
        suggestions = self._suggestions(scores, limit)
        if suggestions and suggestions[0][2] >= self.accept:
            best = suggestions[0]
            rivals = [s for s in suggestions[1:] if s[2] >= best[2]]
            if not rivals:
                return MatchResult(best[0], "fuzzy", best[2], suggestions)
        return MatchResult(None, "none", suggestions[0][2] if suggestions else 0.0, suggestions)

    def match_many(self, names: Iterable[str], *, limit: int = 3) -> list[MatchResult]:
        cache: dict[str, MatchResult] = {}
        out = []
        for name in names:
            if name not in cache:
                cache[name] = self.match(name, limit=limit)
            out.append(cache[name])
        return out

    # -- internals ------------------------------------------------------------------
    def _decide(self, keys: list[Hashable], method: str, score: float, limit: int) -> MatchResult:
        unique = list(dict.fromkeys(keys))
        if len(unique) == 1:
            return MatchResult(unique[0], method, score, [(unique[0], self.display[unique[0]], score)])
        # the same name for several units: a person must choose
        return MatchResult(None, "none", score, [(k, self.display[k], score) for k in unique[:max(limit, 1)]])

    def _fuzzy(self, norm: str, limit: int) -> dict[Hashable, float]:
        queries = {_sorted_words(norm), _sorted_words(without_level(norm))}
        candidates = self._candidates(" ".join(queries).split())
        pool = self._choices if candidates is None else {i: self._choices[i] for i in candidates}
        best: dict[Hashable, float] = {}
        for query in queries:
            hits = process.extract(query, pool, scorer=fuzz.ratio, processor=None,
                                   score_cutoff=self.suggest, limit=max(limit * 4, 8))
            for _choice, score, index in hits:
                for key in self._choice_keys[index]:
                    if score > best.get(key, -1):
                        best[key] = float(score)
        return best

    def _candidates(self, words: list[str]) -> set[int] | None:
        """Choices sharing a not-too-common word with the query; None: compare with all."""
        found: set[int] = set()
        for word in set(words):
            ids = self._index.get(word)
            if ids and len(ids) <= self._block_max:
                found.update(ids)
        return found or None

    def _suggestions(self, scores: dict[Hashable, float], limit: int) -> list[tuple[Hashable, str, float]]:
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], self.display[kv[0]]))
        return [(k, self.display[k], round(s, 1)) for k, s in ranked[:limit]]


def _add(table: dict[str, list], norm: str, key: Hashable) -> None:
    if key not in table[norm]:
        table[norm].append(key)
