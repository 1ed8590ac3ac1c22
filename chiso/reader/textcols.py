"""Which text column a line of a one-cell-per-line row belongs to.

Each line gets cue features (a title such as "Giám đốc …" opens a lead cell, an agency
name a coordinating cell, time words a deadline, "Điều tra XHH" a note, bullets and
sentences are tasks); a dynamic programme splits a row's lines, in order, into one run
per text column with the best total score. Lines seen in a column in unambiguous rows of
the same table (every column filled by one line) score higher there ("column memory").
"""
from __future__ import annotations

import re

from .textutil import fold

_BULLET = re.compile(r"^[\-+•–‘'’*]+\s*")
TITLES = ("giam doc", "chanh van phong", "thu truong", "chu tich", "truong ban", "truong phong",
          "pho giam doc", "pho chu tich", "bi thu", "tong giam doc", "vien truong", "chanh an",
          "cuc truong", "chi cuc truong", "hieu truong", "nguoi dung dau", "chanh thanh tra",
          "thu truong cac", "lanh dao")
AGENCIES = ("so ", "cac so", "ubnd", "uy ban", "van phong", "phong ", "cac phong", "ban ", "cac ban",
            "cong an", "cac co quan", "cac don vi", "co quan", "don vi", "bao hiem", "buu dien",
            "trung tam", "cuc ", "chi cuc", "toa an", "vien kiem sat", "hoi ", "mat tran", "ubmttq",
            "hdnd", "thanh tra", "kho bac", "chi nhanh", "cong ty", "dai ", "bao ", "tinh doan",
            "cac xa", "cac huyen", "bo ", "cac bo", "cac nganh", "cac dia phuong", "cac hoi", "cac to chuc",
            "tram ", "cac tram", "cac co so")
_DEADLINE = re.compile(r"^(thuong xuyen|hang nam|hang quy|hang thang|dinh ky|quy [ivx1-4]|thang \d|nam 20\d\d|"
                       r"cham nhat|truoc|hoan thanh|theo thoi han|theo tien do|ngay \d|dot \d|truoc ngay|"
                       r"trong nam|trong quy|trong thang|truoc ngay|truoc thang|ca nam|lien tuc|theo ke hoach|"
                       r"tu thang|tu nam|den thang|den nam|giai doan|\d{1,2}/\d{4}|\d{1,2}/\d{1,2}/\d{4}|"
                       r"nam 20|6 thang|quy |cuoi nam|dau nam|hoan thanh truoc|thuong xuyen trong)")
_VERBS = (" chu tri,", " chu tri ", "don doc", "tong hop", "tham muu", " theo doi", "thuc hien", "trien khai",
          "kiem tra", "bao cao")
_NOTE = ("dieu tra xhh", "dieu tra xa hoi hoc", "khao sat", "xhh", "dieu tra")


def _features(line: str) -> dict:
    bare = _BULLET.sub("", line)
    f = fold(bare)
    words = len(f.split())
    title = f.startswith(TITLES)
    agency = f.startswith(AGENCIES) and words <= 45
    return {
        "bullet": bool(_BULLET.match(line)),
        "sentence": words > 12 and any(v in f for v in _VERBS),
        "title": title,
        "agency": agency and not title,
        "plural": f.startswith("cac "),
        "short": words <= 10,
        "deadline": bool(_DEADLINE.match(f)) and (words <= 12 or bool(re.search(r"\b(20\d\d|thang|quy)\b", f))),
        "note": f.startswith(_NOTE) and words <= 6,
        "words": words,
    }


def _first_score(kind: str, f: dict) -> float:
    """Score of a line opening a cell of this kind."""
    if kind in ("tasks", "reason", "deliverable"):
        return _task_line(f)
    if kind == "name":  # the tail of a criterion's name
        return 0.5 if not (f["bullet"] or f["title"] or f["deadline"] or f["note"]) else -3
    if kind == "coordinating":
        return 3 if (f["agency"] or f["plural"]) else 1 if f["title"] else -3
    if kind == "deadline":
        return 5 if f["deadline"] else -6
    if kind == "note":
        return 5 if f["note"] else 0.5 if (f["short"] and not f["agency"] and not f["title"]) else -6
    # single-agency role columns: lead, implementing, monitoring, responsible
    if f["sentence"] and kind != "responsible":
        return -2
    if f["title"]:
        return 4
    if f["agency"] and not f["plural"]:
        return 2.5
    if f["agency"] or f["plural"]:
        return 1
    return -4


def _next_score(kind: str, first: dict, f: dict) -> float:
    """Score of one more line in a cell of this kind that `first` opened."""
    if kind in ("tasks", "reason", "deliverable"):
        return _task_line(f)
    if kind == "name":
        return -2
    if kind == "coordinating":
        if f["bullet"] and (f["agency"] or f["title"] or f["plural"]):
            return 1
        return -3 if f["words"] > 30 else -1
    if kind in ("deadline", "note"):
        return -5
    return 1.5 if (first["bullet"] and f["bullet"] and (f["title"] or f["agency"])) else -4


def _task_line(f: dict) -> float:
    if f["title"]:
        return -3
    if f["note"]:
        return -4
    if f["deadline"]:
        return -2
    if f["agency"] and f["short"] and not f["bullet"]:
        return -1.5
    return 1


class Memory:
    """Which column each exact line text was found in, in the table's unambiguous rows."""

    def __init__(self):
        self.seen: dict[str, dict[int, int]] = {}

    def learn(self, runs: list[list[str]]) -> None:
        for c, run in enumerate(runs):
            for line in run:
                counts = self.seen.setdefault(fold(line), {})
                counts[c] = counts.get(c, 0) + 1

    def bonus(self, line_key: str, c: int) -> float:
        counts = self.seen.get(line_key)
        if not counts:
            return 0.0
        here, best = counts.get(c, 0), max(counts.values())
        if here == best and here > 0 and list(counts.values()).count(best) == 1:
            return 2.0
        return -1.0 if here == 0 else 0.0


def is_unambiguous(kinds: list[str], lines: list[str], runs: list[list[str]]) -> bool:
    """Every column got exactly one line: nothing was left to guess."""
    return len(lines) == len(kinds) and all(len(r) == 1 for r in runs)


def assign(kinds: list[str], lines: list[str], memory: Memory | None = None, *, marked: bool = False) -> list[list[str]]:
    """Split text lines, in order, into one (possibly empty) run per text column (O(columns × lines²)).

    `marked`: every cell printed a line, an empty one as "" (a lone tab): each column then takes
    at least one line, and a "" line is a whole (empty) cell."""
    if len(lines) > 400 and kinds:  # a runaway cell: keep the DP small, the head stays in the first column
        head, tail = lines[:-400], lines[-400:]
        parts = assign(kinds, tail, memory, marked=marked)
        parts[0] = head + parts[0]
        return parts
    if marked:
        return _assign_marked(kinds, lines, memory)
    m, k = len(lines), len(kinds)
    feats = [_features(x) for x in lines]
    keys = [fold(x) for x in lines] if memory else []
    neg = float("-inf")
    best = [[neg] * (m + 1) for _ in range(k + 1)]
    back = [[0] * (m + 1) for _ in range(k + 1)]
    best[0][0] = 0.0
    for c in range(k):
        kind = kinds[c]
        row, nxt, nback = best[c], best[c + 1], back[c + 1]
        for i in range(m + 1):
            base = row[i]
            if base == neg:
                continue
            if base > nxt[i]:  # the column left empty
                nxt[i], nback[i] = base, i
            if i == m:
                continue
            gain = base + 1.0 + _first_score(kind, feats[i]) + (memory.bonus(keys[i], c) if memory else 0.0)
            for j in range(i + 1, m + 1):
                if j > i + 1:
                    gain += _next_score(kind, feats[i], feats[j - 1])
                    if memory:
                        gain += memory.bonus(keys[j - 1], c)
                if gain > nxt[j]:
                    nxt[j], nback[j] = gain, i
    out, j = [], m
    for c in range(k, 0, -1):
        i = back[c][j]
        out.insert(0, lines[i:j])
        j = i
    return out


def _assign_marked(kinds: list[str], lines: list[str], memory: Memory | None) -> list[list[str]]:
    """`assign` when every cell printed at least one line and empty cells print "" lines."""
    m, k = len(lines), len(kinds)
    if m < k or not k:
        return assign(kinds, [x for x in lines if x], memory) if k else []
    feats = [_features(x) if x else None for x in lines]
    neg = float("-inf")
    best = [[neg] * (m + 1) for _ in range(k + 1)]
    back = [[0] * (m + 1) for _ in range(k + 1)]
    best[0][0] = 0.0
    for c in range(k):
        kind = kinds[c]
        for i in range(m):
            base = best[c][i]
            if base == neg:
                continue
            if not lines[i]:  # an empty cell: this column, one line
                if base > best[c + 1][i + 1]:
                    best[c + 1][i + 1], back[c + 1][i + 1] = base, i
                continue
            gain = base + 1.0 + _first_score(kind, feats[i])
            for j in range(i + 1, m + 1):
                if j > i + 1:
                    if not lines[j - 1]:
                        break
                    gain += _next_score(kind, feats[i], feats[j - 1])
                if gain > best[c + 1][j]:
                    best[c + 1][j], back[c + 1][j] = gain, i
    if best[k][m] == neg:
        return assign(kinds, [x for x in lines if x], memory)
    out, j = [], m
    for c in range(k, 0, -1):
        i = back[c][j]
        out.insert(0, [x for x in lines[i:j] if x])
        j = i
    return out
