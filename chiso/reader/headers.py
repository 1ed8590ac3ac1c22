"""Header vocabulary: which column a header label names, found by words, never by position.

Labels are compared folded (no diacritics, lower case, punctuation as spaces), so
"ĐIỂM TỐI ĐA", "Điểm tối đa" and "diem toi da" are the same label.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .textutil import clean, key

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?:\s*[-–—/]\s*((?:19|20)\d{2}))?(?!\d)")

# (kind, key, phrases). Order matters: the first rule with a matching phrase wins.
_RULES: list[tuple[str, str, tuple[str, ...]]] = [
    ("code", "code", ("stt", "tt", "s tt", "st t", "s t t", "so tt", "so thu tu", "thu tu", "ma so", "ma")),
    ("text", "deadline", ("thoi gian", "thoi han", "tien do", "moc thoi gian", "thoi diem")),
    ("text", "deliverable", ("san pham", "ket qua dau ra", "hinh thuc van ban")),
    ("text", "note", ("ghi chu",)),
    ("text", "reason", ("ly do", "nguyen nhan", "han che ton tai", "ton tai han che", "noi dung bi tru",
                        "noi dung tru diem", "dien giai", "thuyet minh")),
    ("value", "deducted", ("diem bi tru", "so diem bi tru", "diem tru", "diem bi mat", "diem mat",
                           "diem bi giam", "diem giam", "bi tru", "tru diem")),
    ("value", "appraised", ("diem tham dinh", "diem sau tham dinh", "ket qua tham dinh", "tham dinh",
                            "diem bo noi vu cham", "diem danh gia cua bo", "diem chinh thuc")),
    ("value", "max_points", ("diem chuan", "diem toi da", "diem theo bo tieu chi", "thang diem",
                             "diem toi da theo quy dinh", "diem quy dinh", "so diem toi da", "diem so toi da",
                             "diem theo quy dinh", "diem theo thang", "toi da")),
    ("value", "target", ("muc tieu", "chi tieu phan dau", "diem phan dau", "phan dau", "du kien dat",
                         "diem du kien", "diem muc tieu", "chi tieu nam", "ke hoach nam")),
    ("value", "achieved", ("diem dat duoc", "diem dat", "ket qua nam", "diem nam", "diem so nam",
                           "ket qua dat duoc nam", "diem tu danh gia", "tu danh gia", "tu cham", "diem tu cham",
                           "ket qua", "diem so", "diem")),
    ("text", "tasks", ("noi dung thuc hien", "nhiem vu giai phap", "nhiem vu", "giai phap", "bien phap khac phuc",
                       "bien phap", "chi tieu dat duoc", "noi dung cong viec", "hoat dong", "noi dung nhiem vu",
                       "cong viec", "de xuat", "khac phuc", "noi dung")),
    ("name", "name", ("linh vuc", "tieu chi", "chi so thanh phan", "noi dung danh gia", "ten tieu chi",
                      "noi dung tieu chi", "chi so", "tieu chuan", "yeu to", "noi dung chi so", "ten chi so",
                      "chi tieu", "noi dung chi tieu", "tieu chi danh gia", "dich vu")),
]

# Score-like columns that are none of the spec's value keys (differences, ranks, survey parts).
_NOT_A_SCORE = ("chenh lech", "tang giam", "tang/giam", "xep hang", "thu hang", "so sanh", "dieu tra", "xhh",
                "ty le", "trong so", "vi tri")

_ROLES = {
    "lead": ("chu tri",),
    "coordinating": ("phoi hop",),
    "monitoring": ("theo doi", "giam sat", "don doc"),
    "implementing": ("thuc hien",),
    "responsible": ("chi dao", "phu trach", "trach nhiem", "phan cong", "dau moi"),
}
_ROLE_WORDS = ("co quan", "don vi", "trach nhiem", "phan cong", "bo phan", "phong")
# Generic group labels that only sit over role sub-columns.
GROUP_ROLE = ("thuc hien", "co quan thuc hien", "don vi thuc hien", "trach nhiem thuc hien",
              "phan cong thuc hien", "phan cong", "to chuc thuc hien", "co quan don vi thuc hien",
              "trach nhiem", "co quan", "don vi")


def _has(k: str, phrase: str) -> bool:
    return f" {phrase} " in f" {k} "


@dataclass(frozen=True)
class Label:
    kind: str | None  # code | name | value | text | role | None
    key: str | None
    year: str | None = None
    roles: tuple[str, ...] = ()


def year_of(label: str) -> str | None:
    m = _YEAR.search(label or "")
    if not m:
        return None
    return f"{m.group(1)}-{m.group(2)}" if m.group(2) else m.group(1)


def _roles(k: str) -> tuple[str, ...]:
    found = []
    for role, phrases in _ROLES.items():
        if any(_has(k, p) for p in phrases):
            found.append(role)
    if "implementing" in found and any(r in found for r in ("lead", "coordinating", "monitoring")):
        found.remove("implementing")  # "Đơn vị chủ trì thực hiện" is the lead
    return tuple(found)


@lru_cache(maxsize=4096)
def classify(label: str) -> Label:
    """What one header label names, alone (no parent context)."""
    text = clean(label)
    k = key(text)
    year = year_of(text)
    if not k:
        return Label(None, None, year)
    compact = k.replace(" ", "")
    if compact in ("stt", "tt", "sotT".lower(), "sott", "thutu", "so"):
        return Label("code", "code")
    if re.fullmatch(r"\d+|[ivx]+|[a-z]", k) and len(k) <= 4:
        return Label(None, None)  # a numbering cell such as (1) or A
    roles = _roles(k)
    if (any(_has(k, p) for p in _NOT_A_SCORE) and ("diem" in k.split() or len(k.split()) <= 3)
            and not any(_has(k, p) for p in ("diem tham dinh", "diem bi tru", "ghi chu"))):
        return Label(None, None, year)
    for kind, name, phrases in _RULES:
        if kind == "code":
            if k in phrases:
                return Label("code", "code")
            continue
        if any(_has(k, p) for p in phrases):
            # "Cơ quan thực hiện nhiệm vụ" is a role column, not tasks.
            if kind == "text" and name == "tasks" and roles and any(_has(k, w) for w in _ROLE_WORDS):
                break
            if kind == "name" and ("diem" in k.split()):
                continue
            return Label(kind, name, year, roles)
    if roles:
        if len(roles) >= 2:
            return Label("role", "responsible", year, roles)
        return Label("role", roles[0], year, roles)
    if year and len(k.split()) <= 3:
        return Label("year", None, year)
    return Label(None, None, year)


def is_group_role_label(label: str) -> bool:
    if classify(clean(label)).kind in ("text", "value", "name", "code"):  # "Nội dung thực hiện" is the tasks
        return False
    k = key(label)
    return k in GROUP_ROLE or (bool(_roles(k)) and len(k.split()) <= 4 and "thuc hien" in k
                               and not any(_has(k, p) for p in ("chu tri", "phoi hop", "theo doi")))


@dataclass
class Column:
    index: int
    kind: str  # code | name | value | text | skip
    key: str | None
    year: str | None = None
    label: str = ""
    path: list[str] = field(default_factory=list)
    max: float | int | None = None  # results by unit: the maximum the header prints
    criterion: str | None = None  # results by unit: the field a score column is about
    rank: bool = False  # a "Xếp hạng" column that numbers the rows


def classify_path(index: int, path: list[str]) -> Column:
    """A leaf column from its header labels, top to bottom (duplicates from spans removed)."""
    labels = [clean(p) for p in path if clean(p)]
    dedup: list[str] = []
    for p in labels:
        if not dedup or key(dedup[-1]) != key(p):
            dedup.append(p)
    if not dedup:
        return Column(index, "skip", None, None, "", [])
    leaf = classify(dedup[-1])
    parents = [classify(p) for p in dedup[:-1]]
    year = leaf.year
    for p in reversed(parents):
        if year is None and p.year:
            year = p.year
    kind, name = leaf.kind, leaf.key
    if kind in (None, "year"):
        # a leaf such as "Năm 2023" or "Điểm" under "Điểm đạt được": take the parent's meaning
        for p in reversed(parents):
            if p.kind in ("value", "text", "name", "role", "code"):
                kind, name = p.kind, p.key
                break
    elif kind == "value" and name == "achieved" and parents:
        # "Điểm" under "Điểm thẩm định" / "Mục tiêu"
        for p in reversed(parents):
            if p.kind == "value" and p.key != "achieved":
                if key(dedup[-1]) in ("diem", "diem so", "ket qua"):
                    name = p.key
                break
    if kind == "role":
        kind = "text"
    if kind == "year" and not parents:
        # a bare "Năm 2023" column: a year's score; whether achieved or target is settled with the title
        return Column(index, "value", "achieved", year, dedup[-1], dedup)
    if kind is None or kind == "year":
        return Column(index, "skip", None, year, " ".join(dedup), dedup)
    label = dedup[-1]
    if len(dedup) > 1 and (leaf.kind in (None, "year") or (kind == "value" and not leaf.year and year)):
        label = " ".join(dedup[-2:]) if leaf.kind in (None, "year") else dedup[-1]
    return Column(index, kind, name, year if kind == "value" else None, label, dedup)


def header_score(cells: list[str], years: bool = False) -> int:
    """How many cells of a row read as known header labels ("Năm 2023" too when `years`)."""
    n = 0
    kinds = ("code", "name", "value", "text", "role", "year") if years else ("code", "name", "value", "text", "role")
    for c in cells:
        t = clean(c)
        if not t or len(t) > 120:
            continue
        lab = classify(t)
        if lab.kind in kinds:
            n += 1
    return n


def is_label(text: str, years: bool = True) -> bool:
    """Whether a short line reads as a header label: a known column, a unit's name column, a
    rank, or a score column printing its maximum ("Cải cách thể chế (10)")."""
    from . import units

    t = clean(text)
    if not t or len(t) > 120:
        return False
    kinds = ("code", "name", "value", "text", "role", "year") if years else ("code", "name", "value", "text", "role")
    if classify(t).kind in kinds or units.is_unit_name_label(t) or units.is_rank_label(t):
        return True
    # a score column printing its maximum: "Cải cách thể chế (10)", "1. Công tác chỉ đạo (9,5)"
    return units.max_of(t) is not None and not re.fullmatch(r"[\d.,()\s]+", t)
