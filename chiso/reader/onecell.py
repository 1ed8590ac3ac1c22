"""The one-cell-per-line layout: a table printed as a column of paragraphs.

Web pages and some PDF extractions print each table cell as its own line, row after
row, and print nothing for an empty cell. The header labels come first (e.g. "STT",
"Lĩnh vực/Tiêu chí", "Điểm …", "Chủ trì", …), then for each row: its number, its
name, its numeric cells, then its text cells. Which text line belongs to which text
column is inferred from cues (titles such as "Giám đốc …" open a lead cell, time
words a deadline, "Điều tra XHH" a note) with a small dynamic programme.
"""
from __future__ import annotations

import re

from . import codes
from .headers import classify, is_group_role_label
from .interpret import is_total
from .layout import build_layout
from .model import Cell, Table
from .numbers import PLACEHOLDERS, parse_value
from .textutil import fold, key

_NUMBERING = re.compile(r"^\(\s*\d+\s*\)$")
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


def assign(kinds: list[str], lines: list[str]) -> list[list[str]]:
    """Split text lines, in order, into one (possibly empty) run per text column (O(columns × lines²))."""
    if len(lines) > 400 and kinds:  # a runaway cell: keep the DP small, the head stays in the first column
        head, tail = lines[:-400], lines[-400:]
        parts = assign(kinds, tail)
        parts[0] = head + parts[0]
        return parts
    m, k = len(lines), len(kinds)
    feats = [_features(x) for x in lines]
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
            gain = base + 1.0 + _first_score(kind, feats[i])
            for j in range(i + 1, m + 1):
                if j > i + 1:
                    gain += _next_score(kind, feats[i], feats[j - 1])
                if gain > nxt[j]:
                    nxt[j], nback[j] = gain, i
    out, j = [], m
    for c in range(k, 0, -1):
        i = back[c][j]
        out.insert(0, lines[i:j])
        j = i
    return out


def is_header_start(lines: list[str], i: int) -> bool:
    if key(lines[i]).replace(" ", "") not in ("stt", "tt", "sott", "sothutu"):
        return False
    ahead = lines[i + 1:i + 5]
    hits = sum(1 for x in ahead if len(x) < 100 and classify(x).kind in ("name", "value", "text", "role"))
    return hits >= 2


def _leaves(labels: list[str]) -> list[list[str]]:
    """Header labels in reading order -> leaf paths, folding role groups over their sub-labels."""
    kinds = [classify(x) for x in labels]
    specific = [i for i, lab in enumerate(kinds) if lab.kind == "role" and lab.key in ("lead", "coordinating")
                and len(lab.roles) == 1]
    paths: list[list[str]] = []
    used: set[int] = set()
    for i, x in enumerate(labels):
        if i in used:
            continue
        subs = [s for s in specific if s > i and s not in used]
        if is_group_role_label(x) and len(subs) >= 2:  # a group has several sub-columns
            for s in subs:
                paths.append([x, labels[s]])
                used.add(s)
            continue
        lab = kinds[i]
        if lab.kind == "value" and not lab.year:
            years = []
            for s in range(i + 1, len(labels)):
                if kinds[s].kind == "year":
                    years.append(s)
                else:
                    break
            if years:
                for s in years:
                    paths.append([x, labels[s]])
                    used.add(s)
                continue
        paths.append([x])
    return paths


class _Seq:
    """Which numbers may start a row next (successors of the last number of each kind)."""

    def __init__(self):
        self.last: dict[str, str] = {}

    def plausible(self, code: str) -> bool:
        k = codes.kind(code)
        prev = self.last.get(k)
        if prev is None:
            return codes.first_of_kind(code) or k == "arabic"
        if codes.is_successor(prev, code):
            return True
        return codes.first_of_kind(code) and k in ("roman", "lower")

    def add(self, code: str) -> None:
        k = codes.kind(code)
        self.last[k] = code
        if k == "letter":
            self.last.pop("roman", None)
        if k in ("letter", "roman"):
            self.last.pop("arabic", None)  # a new section may restart its numbering


def _starts_row(lines: list[str], j: int, seq: _Seq) -> bool:
    """Whether a number line opens the next row (a code followed by a name) rather than being a value."""
    code = codes.normalize(lines[j])
    if code is None or not seq.plausible(code) or j + 1 >= len(lines):
        return False
    nxt = lines[j + 1]
    if parse_value(nxt) is not None or codes.normalize(nxt) is not None or nxt.strip().lower() in PLACEHOLDERS:
        return False
    # a new row prints its own numbers after its name; a value followed by task text does not
    return j + 2 < len(lines) and (parse_value(lines[j + 2]) is not None or lines[j + 2].strip().lower() in PLACEHOLDERS)


_PROSE_HEADING = re.compile(r"^([IVX]+|\d+)\.\s+[A-ZĐÀ-Ỹ][A-ZĐÀ-Ỹ ,]{6,}$")


def _stop(line: str) -> bool:
    """Lines that end a one-cell table: the next appendix, the signature block, closing prose."""
    f = fold(line)
    return (f.startswith(("phu luc", "noi nhan", "tm. ", "kt. ", "tm ", "kt ", "tren day la", "tren day ", "ghi chu:"))
            or f in ("chu tich", "giam doc", "pho chu tich") or bool(_PROSE_HEADING.match(line.strip())))


def parse(lines: list[str], wheres: list[str], start: int) -> tuple[Table, int]:
    """Read one table from `lines[start]` (its "STT" label); returns it and the index after it."""
    j, labels, numbering = start, [], 0
    while j < len(lines):
        t = lines[j]
        if _NUMBERING.match(t):
            numbering += 1
            j += 1
            continue
        if numbering or (j > start and codes.normalize(t) is not None) or len(t) > 100:
            break
        lab = classify(t)
        if j > start and lab.kind not in ("code", "name", "value", "text", "role", "year"):
            break
        labels.append(t)
        j += 1
    paths = _leaves(labels)
    header = [Cell(p[0]) for p in paths]
    sub = [Cell(p[-1]) if len(p) > 1 else Cell(p[0], covered_v=True) for p in paths]
    two_rows = any(len(p) > 1 for p in paths)
    block = [header, sub] if two_rows else [header]
    layout = build_layout(block, 0)
    rows: list[list[Cell]] = list(block)
    row_where: list[str] = [wheres[start]] * len(block)
    if layout is None:
        return Table(rows, wheres[start], row_where), j
    cols = layout.columns
    code_i = next((c.index for c in cols if c.kind == "code"), None)
    name_i = next((c.index for c in cols if c.kind == "name"), None)
    value_i = [c.index for c in cols if c.kind == "value"]
    text_cols = [c for c in cols if c.kind == "text"]
    seq = _Seq()
    current: list[str] | None = None
    orphans: list[str] = []
    width = len(paths)

    def flush():
        if current is None:
            return
        cells = [Cell() for _ in range(width)]
        head, body = current[0], current[1:]
        if code_i is not None:
            cells[code_i] = Cell(head)
        k = 0
        if name_i is not None and body and not (parse_value(body[0]) is not None and value_i):
            cells[name_i] = Cell(body[0])
            k = 1
        elif is_total(head) and name_i is not None:
            cells[name_i] = Cell(head)
            if code_i is not None:
                cells[code_i] = Cell()
        for vi in value_i:
            if k < len(body) and (parse_value(body[k]) is not None or body[k].strip().lower() in PLACEHOLDERS):
                cells[vi] = Cell(body[k] if parse_value(body[k]) is not None else "")
                k += 1
        rest = body[k:]
        if rest and text_cols:
            for col, run in zip(text_cols, assign([c.key for c in text_cols], rest)):
                cells[col.index] = Cell(" ".join(run))
        rows.append(cells)

    while j < len(lines):
        t = lines[j]
        if _stop(t) or is_header_start(lines, j):
            break
        code = codes.normalize(t)
        if (code is not None and seq.plausible(code)) or is_total(t):
            flush()
            if code is not None:
                seq.add(code)
            current = [t]
            row_where.append(wheres[j])
            # the name and the numbers belong to the row whatever they look like
            j += 1
            take = (1 if name_i is not None else 0)
            while take and j < len(lines) and not _stop(lines[j]):
                current.append(lines[j])
                j += 1
                take -= 1
            while (j < len(lines) and (parse_value(lines[j]) is not None or lines[j].strip().lower() in PLACEHOLDERS)
                   and len(current) - 1 < (1 if name_i is not None else 0) + len(value_i)
                   and not _starts_row(lines, j, seq)):
                current.append(lines[j])
                j += 1
            continue
        if current is not None:
            current.append(t)
        else:
            orphans.append(wheres[j])
        j += 1
    flush()
    table = Table(rows, wheres[start], row_where)
    if orphans:
        table.notes.append(f"{len(orphans)} dòng sau tiêu đề bảng ({orphans[0]}) không thuộc dòng số thứ tự nào; đã bỏ qua.")
    return table, j
