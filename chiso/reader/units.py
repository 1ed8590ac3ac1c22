"""Results tables whose rows are units (`unit_results`): the published ranking of a province's
departments, districts or communes, or the ministry's table of provinces.

A table is of this kind when its descriptive column names units ("Cơ quan, đơn vị", "Tên đơn
vị", "Huyện, thị xã, thành phố", "Tỉnh, thành phố") instead of criteria, or when its rows are
ranked ("Xếp hạng" as the first column). Its value columns then have their own vocabulary:
appraised and survey points, self-assessment, total, index %, rank, and the points of each
field (a column scoped to a `criterion`), each with the maximum its header prints
("Điểm thẩm định (tối đa 61,5)").
"""
from __future__ import annotations

import re

from .headers import Column, year_of
from .numbers import parse_number
from .textutil import clean, key

# the descriptive column of a units table
UNIT_NAME_LABELS = ("ten don vi", "don vi", "co quan don vi", "co quan", "ten co quan", "ten co quan don vi",
                    "dia phuong", "ten dia phuong", "don vi hanh chinh", "so ban nganh", "cac so ban nganh",
                    "co quan chuyen mon", "tinh thanh pho", "ten tinh thanh pho", "tinh", "ten tinh",
                    "huyen thi xa thanh pho", "huyen", "ten huyen", "xa phuong thi tran", "ten xa phuong thi tran",
                    "xa", "ten xa", "phuong xa", "don vi dia phuong", "co quan don vi dia phuong",
                    "so nganh", "ten so ban nganh", "quan huyen", "ubnd cap huyen", "ubnd cap xa")
RANK_LABELS = ("xep hang", "thu hang", "hang", "vi tri", "vi thu", "thu tu xep hang", "xep thu")
_ROLE_WORDS = ("chu tri", "phoi hop", "thuc hien", "theo doi", "tinh diem")

# (key, phrases): the first rule with a phrase in the label wins
_VALUE_RULES: list[tuple[str, tuple[str, ...]]] = [
    ("rank", RANK_LABELS),
    ("grade", ("xep loai", "phan loai", "muc xep loai", "ket qua xep loai", "muc do")),
    ("deducted", ("bi tru", "diem tru", "diem bi mat")),
    ("self_assessed", ("tu danh gia", "tu cham", "tu cham diem")),
    ("survey", ("dieu tra", "xhh", "xa hoi hoc", "khao sat", "lay y kien")),
    ("percent", ("chi so", "ty le", "phan tram")),
    ("total", ("tong diem", "tong cong", "tong so diem", "diem tong", "tong")),
    ("appraised", ("tham dinh", "danh gia", "diem cham", "cham diem", "diem thanh phan danh gia")),
    ("total", ("diem dat duoc", "ket qua", "diem so", "diem dat", "so diem", "diem")),
]
_FIELD_GROUP = ("linh vuc", "tieu chi", "thanh phan", "noi dung", "theo linh vuc", "chi so thanh phan")
_MAX = re.compile(r"(?:t[ốo]i\s*đa|max|thang\s*điểm)\s*:?\s*(\d+(?:[.,]\d+)?)|\(\s*(\d+(?:[.,]\d+)?)\s*(?:điểm|đ)?\s*\)"
                  r"|(\d+(?:[.,]\d+)?)\s*điểm\s*\)?\s*$", re.I)
_FIELD_NUMBER = re.compile(r"^(?:lĩnh vực|linh vuc|lv|tiêu chí|tc)?\s*([IVX]+|\d+)\s*[.):]?(?:\s|$)", re.I)
_ROMAN = {"I": 1, "V": 5, "X": 10}


def is_unit_name_label(label: str) -> bool:
    k = key(label)
    if not k or "don vi tinh" in k or any(f" {w} " in f" {k} " for w in _ROLE_WORDS):
        return False
    return k in UNIT_NAME_LABELS or (len(k.split()) <= 6 and k.startswith(("ten don vi", "ten co quan", "co quan don vi",
                                                                          "don vi ", "cac so", "ten xa", "ten huyen")))


def is_rank_label(label: str) -> bool:
    k = key(label)
    return bool(k) and (k in RANK_LABELS or (len(k.split()) <= 4 and k.startswith(("xep hang", "thu hang"))))


def max_of(label: str) -> float | int | None:
    """The maximum a header prints: "(tối đa 61,5 điểm)", "(61,5)", "64,5 điểm"; never a year."""
    text = clean(label)
    for m in _MAX.finditer(text):
        raw = next(g for g in m.groups() if g)
        if re.fullmatch(r"(19|20)\d\d", raw):
            continue
        v = parse_number(raw)
        if v is not None and 0 < v <= 1000:
            return int(v) if v == int(v) else v
    return None


def _field_number(label: str) -> str | None:
    m = _FIELD_NUMBER.match(clean(label))
    if not m:
        return None
    raw = m.group(1).upper()
    if raw.isdigit():
        return raw
    total, prev = 0, 0
    for ch in reversed(raw):
        v = _ROMAN.get(ch, 0)
        total = total - v if v < prev else total + v
        prev = max(prev, v)
    return str(total) if total else None


def _rule(k: str) -> str | None:
    for name, phrases in _VALUE_RULES:
        if any(f" {p} " in f" {k} " for p in phrases):
            return name
    return None


def classify_columns(columns: list[Column]) -> bool:
    """Retype the columns of a units table in place; False when the table is not one."""
    labeled = [c for c in columns if c.label]
    if len(labeled) < 3:
        return False
    first = labeled[0]
    rank_first = first.kind != "name" and is_rank_label(first.label)
    rest = labeled[1:] if (first.kind == "code" or rank_first) else labeled
    cand = rest[0]
    # the units' names stand where a criteria table has its criteria: first after the number
    unit_col = cand if cand.kind != "value" and is_unit_name_label(cand.path[-1]) else None
    if unit_col is None and not (rank_first and cand.kind in ("skip", "name", "text")):
        return False
    unit_col = unit_col or cand
    if rank_first:
        first.kind, first.key, first.rank = "code", "code", True
    unit_col.kind, unit_col.key = "name", "name"
    fields = 0
    scored = 0
    for c in columns:
        if c is unit_col or c.kind == "code" or not c.path:
            continue
        leaf = c.path[-1]
        k = key(leaf)
        parents = " ".join(key(p) for p in c.path[:-1])
        name = _rule(k)
        if name is None and k in ("stt", "tt"):
            c.kind, c.key = "code", "code"
            continue
        if name in (None, "total") and (any(p in parents for p in _FIELD_GROUP) or _field_number(leaf)
                                       or (name is None and max_of(leaf) is not None)):
            fields += 1
            c.kind, c.key = "value", "score"
            c.criterion = _field_number(leaf) or str(fields)
        elif name == "grade":
            c.kind, c.key, c.year = "text", "grade", None
        elif name == "rank":
            c.kind, c.key = "value", "rank"
        elif name is not None:
            c.kind, c.key = "value", name
        elif key(leaf) in ("ghi chu",) or c.kind == "text":
            c.kind, c.key = "text", "note" if "ghi chu" in k else c.key
            continue
        else:
            c.kind, c.key = "skip", None
            continue
        c.max = max_of(leaf) if c.key not in ("rank", "percent", "grade") else None
        if c.year is None:
            c.year = year_of(" ".join(c.path))
        scored += c.kind == "value"
        c.label = " ".join(c.path[-2:]) if len(c.path) > 1 and (c.key == "score" or name is None) else leaf
    return scored > 0 or rank_first


UNIT_WORDS = ("so ", "ban ", "van phong", "thanh tra", "ubnd", "uy ban", "huyen ", "thi xa ", "thanh pho ", "quan ",
              "xa ", "phuong ", "thi tran ", "tinh ", "cuc ", "chi cuc", "trung tam", "cong an", "bo ", "dai ", "kho bac")


def looks_like_units(names: list[str]) -> bool:
    """Most names are units ("Sở Tư pháp", "Huyện Gio Linh", "Xã Hải Ba")."""
    names = [key(n) + " " for n in names if clean(n)]
    if len(names) < 3:
        return False
    hits = sum(1 for n in names if n.startswith(UNIT_WORDS) and len(n.split()) <= 12)
    return hits * 3 >= len(names) * 2
