"""Splitting an agency cell ("cơ quan chủ trì / phối hợp") into mentions. Pure Python.

"Giám đốc các Sở: Nội vụ, Kế hoạch và Đầu tư; UBND cấp huyện và các đơn vị có liên quan"
gives Sở Nội vụ, Sở Kế hoạch và Đầu tư (titles dropped, the list expanded), and two
group phrases. A group phrase ("các sở, ban, ngành", "UBND cấp xã", "các đơn vị có
liên quan", or any piece that starts with "các"/"những", names a level without a
proper name, …) stays a group: it is never made into a unit.

Cuts are made at ";", at "- " bullets, at ",", " - " and " và " only where what
follows starts a new body (a head word such as Sở, Phòng, UBND, Trung tâm, a job
title, or "các …"), and never inside a protected span: a known unit name or alias
(`known_names`), a standard compound ("Kế hoạch và Đầu tư", "Văn hóa, Thể thao và Du
lịch", "HĐND và UBND", …) or a parenthesis. So "Sở Văn hóa, Thể thao và Du lịch",
"Trung tâm Văn hóa – Thông tin - Thể thao" and "Văn phòng HĐND và UBND huyện" stay whole.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from .deadlines import fold_aligned
from .text import collapse, fold

GROUPS: dict[str, str] = {
    "departments": "Các sở, ban, ngành",
    "district_committees": "UBND cấp huyện",
    "commune_committees": "UBND cấp xã",
    "all_agencies": "Các cơ quan, đơn vị, địa phương",
    "related": "Các cơ quan, đơn vị có liên quan",
    "vertical_agencies": "Các cơ quan ngành dọc",
    "district_offices": "Các cơ quan chuyên môn thuộc UBND huyện",
    "press": "Các cơ quan báo chí",
    "associations": "Các tổ chức hội, đoàn thể",
    "other": "Nhóm cơ quan, đơn vị khác",
}

# (pattern on the folded piece, punctuation removed, "uy ban nhan dan" → "ubnd"), in order
_GROUP_RULES = [(key, re.compile(rx)) for key, rx in [
    ("vertical_agencies", r"\bnganh doc\b"),
    ("press", r"^(cac )?(co quan )?bao chi\b"),
    ("related", r"^(cac|nhung) .*\blien quan$"),
    ("departments", r"^cac (so( ban)?( nganh)?|ban nganh|co quan chuyen mon (cap tinh|thuoc ubnd tinh)|"
                    r"so ban nganh thuoc tinh)( tinh)?$"),
    ("district_offices", r"^cac (co quan chuyen mon|phong ban nganh|phong ban|phong|co quan|don vi)"
                         r"( (thuoc|cua|truc thuoc) ubnd huyen| cap huyen)$|^cac phong ban( nganh)?( huyen)?$"),
    ("district_committees", r"^ubnd (cap huyen|cac huyen( thi xa)?( thanh pho| tp)?|cac huyen tp|huyen thi xa tp)$"),
    ("commune_committees", r"^ubnd (cap xa|cac xa( phuong)?( thi tran)?|xa phuong thi tran|xa thi tran)$"),
    ("all_agencies", r"^cac (co quan|don vi|dia phuong)( (co quan|don vi|dia phuong|phuong))*$"),
    ("associations", r"^(cac )?(to chuc hoi|hoi doan the|to chuc chinh tri xa hoi|doan the|cac hoi)\b"),
]]
_GENERAL_GROUP = re.compile(
    r"^(cac|nhung) |\bcac\b|\blien quan\b|\bcap (huyen|xa|tinh)\b|"
    r"^ubnd( (huyen|xa|phuong|thi tran|tinh|tp|thi xa)){2,}$")

# Words a body's name starts with (folded; the piece must start with a capital letter).
_HEADS = (
    "so", "phong", "van phong", "vp", "ban", "ubnd", "uy ban", "hdnd", "hoi dong", "thanh tra", "cong an",
    "bao hiem", "bhxh", "trung tam", "cong ty", "tong cong ty", "chi nhanh", "bao", "dai", "cong thong tin",
    "buu dien", "bo", "cuc", "chi cuc", "hoi", "lien doan", "doan", "tinh doan", "huyen doan", "truong",
    "benh vien", "kho bac", "ngan hang", "vien", "toa an", "quy", "mat tran", "mttq", "ubmttq", "tram", "doi",
    "hat", "dien luc", "tinh uy", "huyen uy", "dang uy", "thuong truc", "bo chi huy", "ban chi huy", "to cong tac",
    "hoi lien hiep", "lien minh", "chi cuc thue", "cuc thue", "kbnn", "ttdt", "tttt",
)
# Job titles in front of a body's name, and how much of them to drop (folded).
_TITLES = [
    ("pho chanh van phong ", "pho chanh "), ("chanh van phong ", "chanh "), ("pho chanh thanh tra ", "pho chanh "),
    ("chanh thanh tra ", "chanh "), ("pho giam doc ", None), ("giam doc ", None), ("pho chu tich ", None),
    ("chu tich ", None), ("thu truong ", None), ("nguoi dung dau ", None), ("lanh dao ", None),
    ("chi huy truong ", None), ("tong bien tap ", None), ("bi thu ", None), ("chanh an ", None),
    ("vien truong ", None), ("cuc truong ", None), ("chi cuc truong ", None), ("pho truong phong ", "pho truong "),
    ("truong phong ", "truong "), ("pho truong ban ", "pho truong "), ("truong ban ", "truong "),
    ("tong giam doc ", None), ("hieu truong ", None),
]
_TRUONG = re.compile(r"^(phó )?trưởng\s+(?=\S)", re.IGNORECASE)  # "Trưởng Công an huyện" (not "Trường …")
# Standard compounds with "và", "," or "-" inside a body's name.
COMPOUNDS = (
    "Kế hoạch và Đầu tư", "Thông tin và Truyền thông", "Khoa học và Công nghệ", "Giáo dục và Đào tạo",
    "Tài nguyên và Môi trường", "Nông nghiệp và Phát triển nông thôn", "Nông nghiệp và Môi trường",
    "Lao động - Thương binh và Xã hội", "Văn hóa, Thể thao và Du lịch", "Văn hóa và Thông tin",
    "Văn hóa, Khoa học và Thông tin", "Văn hóa và Thể thao", "Kinh tế và Hạ tầng", "Kinh tế, Hạ tầng và Đô thị",
    "Tài chính - Kế hoạch", "Dân tộc và Tôn giáo", "HĐND và UBND", "Hội đồng nhân dân và Ủy ban nhân dân",
    "Đoàn ĐBQH và HĐND", "Đoàn đại biểu Quốc hội và Hội đồng nhân dân", "Văn hóa - Thông tin - Thể thao",
    "Phát thanh và Truyền hình", "Phát thanh - Truyền hình", "Xúc tiến đầu tư và Hỗ trợ doanh nghiệp",
    "Xúc tiến Thương mại và Đầu tư", "cấp nước và Phát triển đô thị", "Giao thông - Vận tải",
    "Cựu chiến binh", "Bà Rịa - Vũng Tàu", "Thừa Thiên - Huế",
)
_NOT_AGENCY = re.compile(r"^(dieu tra( xhh| xa hoi hoc)?|xhh|ghi chu)$")
_LIST = re.compile(r"^(cac|nhung)\s+(so|phong|ban|trung tam|chi cuc|cuc)\s*(:\s*)?")


@dataclass(frozen=True)
class Mention:
    raw: str  # the piece as written
    name: str  # cleaned: no bullet, job title or trailing punctuation; "các Sở: A" expanded to "Sở A"
    group: str | None = None  # a GROUPS key when the piece is a group phrase, not one body
    detail: str = ""  # a parenthesis after the name: "Văn phòng UBND tỉnh (Trung tâm Xúc tiến …)"

    @property
    def label(self) -> str:
        return GROUPS[self.group] if self.group and self.group != "other" else self.name


def is_ministry_name(name: str) -> bool:
    """Bộ Nội vụ, Bộ Tư pháp — a ministry; not "Bộ phận Một cửa" or "Bộ Chỉ huy Quân sự tỉnh"."""
    folded = fold(name)
    return folded.startswith("bo ") and not folded.startswith(("bo phan", "bo chi huy")) and len(folded.split()) >= 2


def group_of(name: str) -> str | None:
    """The GROUPS key of a group phrase ("các sở, ban, ngành" → "departments"), else None."""
    key = " ".join(re.sub(r"[^\w\s]|_", " ", fold(name)).split())
    key = key.replace("uy ban nhan dan", "ubnd").replace("thanh pho", "tp")
    if not key:
        return None
    for group, rx in _GROUP_RULES:
        if rx.search(key):
            return group
    if _GENERAL_GROUP.search(key):
        return "other"
    return None


def _starts_body(orig: str, folded: str, known_starts: bool = False) -> bool:
    """Whether the text after a separator begins a new body or group."""
    orig, folded = orig.lstrip(" -+•‘’'\""), folded.lstrip(" -+•‘’'\"")
    if not folded:
        return False
    if known_starts or folded.startswith(("cac ", "nhung ")):
        return True
    if any(folded.startswith(t) for t, _ in _TITLES) or _TRUONG.match(orig):
        return True
    return orig[0].isupper() and any(folded == h or folded.startswith(h + " ") for h in _HEADS)


@lru_cache(maxsize=65536)
def _needle(name: str) -> str:
    return fold_aligned(collapse(name))


_COMPOUND_NEEDLES = tuple(_needle(c) for c in COMPOUNDS)
_INNER_SEPARATOR = re.compile(r"[,;\-–—]| và ")


@lru_cache(maxsize=16)
def _prepare(names: tuple[str, ...]) -> tuple[frozenset[str], tuple[str, ...]]:
    """(folded known names, folded needles of those with a separator inside), cached per list."""
    known = frozenset(fold(n) for n in names if n and n.strip())
    # only names with a separator inside need protecting
    needles = {_needle(n) for n in names if n and _INNER_SEPARATOR.search(n)}
    return known, tuple(sorted(needles | set(_COMPOUND_NEEDLES), key=len, reverse=True))


class _Text:
    """The cell, its aligned fold, and the spans where no cut may be made."""

    def __init__(self, text: str, needles: Iterable[str]):
        self.s = text
        self.f = fold_aligned(text)
        self.blocked = [False] * len(text)
        self.known_at: set[int] = set()
        for m in re.finditer(r"\([^()]*\)", self.f):
            self._block(m.start(), m.end())
        for needle in needles:
            if len(needle) < 3:
                continue
            start = self.f.find(needle)
            while start != -1:
                end = start + len(needle)
                if (start == 0 or not self.f[start - 1].isalnum()) and (end == len(self.f) or not self.f[end].isalnum()):
                    self.known_at.add(start)
                    self._block(start, end)
                start = self.f.find(needle, start + 1)

    def _block(self, a: int, b: int) -> None:
        for i in range(a + 1, b):  # the first character stays free: a cut may come right before the name
            self.blocked[i] = True

    def cuts(self, a: int, b: int, pattern: re.Pattern, *, always: bool = False, need_left=None) -> list[tuple[int, int]]:
        """Split [a, b) at the separators that match `pattern` and are allowed."""
        pieces, start = [], a
        for m in pattern.finditer(self.f, a, b):
            if any(self.blocked[i] for i in range(m.start(), m.end())):
                continue
            right = m.end()
            ok = always or _starts_body(self.s[right:b], self.f[right:b], self._known_starts(right, b))
            if ok and need_left is not None:
                ok = need_left(self.s[start:m.start()])
            if ok and self.s[start:m.start()].strip():
                pieces.append((start, m.start()))
                start = right
        pieces.append((start, b))
        return [(x, y) for x, y in pieces if self.s[x:y].strip(" -+•.,;:")]

    def _known_starts(self, i: int, b: int) -> bool:
        while i < b and self.s[i] in " -+•":
            i += 1
        return i in self.known_at


_SEMI = re.compile(r";")
_BULLET = re.compile(r"(?:(?<=\s)|^)[-+•]\s+")
_DASH = re.compile(r"\s+-\s+")
_COMMA = re.compile(r",\s*")
_AND = re.compile(r"\s+va\s+")


def _plausible(piece: str, known: set[str]) -> bool:
    name, _ = _clean(piece)
    folded = fold(name)
    return bool(folded) and (folded in known or group_of(name) is not None or _starts_body(name, fold_aligned(name)))


def _clean(piece: str) -> tuple[str, str]:
    """(name, detail): bullets, job title, trailing punctuation and a final parenthesis removed."""
    name = collapse(piece).strip(" -+•‘’'\"").rstrip(" .;,:").strip()
    detail = ""
    m = re.search(r"\s*\(([^()]*)\)\s*$", name)
    if m and m.start() > 0:
        name, detail = name[:m.start()].rstrip(" .;,:"), collapse(m.group(1))
    folded = fold_aligned(name)
    for title, drop in _TITLES:
        if folded.startswith(title):
            name = name[len(drop if drop else title):].lstrip()
            break
    else:
        m = _TRUONG.match(name)
        if m:
            name = name[m.end():]
    if name[:1].islower() and not fold(name).startswith(("cac ", "nhung ")) and fold(name).split(" ")[0] in _HEAD_WORDS:
        name = name[0].upper() + name[1:]  # "sở Y tế" after a title
    return name, detail


_HEAD_WORDS = {h.split(" ")[0] for h in _HEADS}


def _expand_list(raw: str, text: _Text, a: int, b: int, known: set[str]) -> list[Mention] | None:
    """ "Giám đốc các Sở: Nội vụ, Kế hoạch và Đầu tư" → Sở Nội vụ, Sở Kế hoạch và Đầu tư."""
    name, _ = _clean(raw)
    m = _LIST.match(fold_aligned(name)) if name else None
    if not m or not (m.group(3) or (m.group(2) in {"so", "phong"} and name[m.end():m.end() + 1].isupper())):
        return None  # "các Sở: A, B" or "các Sở Nội vụ, Tư pháp"; not "các sở, ban, ngành"
    idx = text.s[a:b].find(name)
    if idx < 0:
        return None
    offset = a + idx
    head = name[m.start(2):m.end(2)]
    head = head[0].upper() + head[1:]
    items_at = offset + m.end()
    mentions = []
    for x, y in text.cuts(items_at, offset + len(name), _COMMA, always=True):
        for x2, y2 in text.cuts(x, y, _AND, always=True):
            item = collapse(text.s[x2:y2]).strip(" .;,:")
            if item:
                mentions.append(Mention(raw=collapse(raw), name=f"{head} {item}", group=None))
    return mentions or None


def split_agencies(text: str, *, known_names: Iterable[str] = ()) -> list[Mention]:
    """The mentions of one agency cell, in the order written (see the module doc)."""
    cell = collapse(text).replace("\u2018", "").replace("\u2019", "")
    if not cell:
        return []
    known, needles = _prepare(tuple(known_names))
    t = _Text(cell, needles)
    n = len(cell)
    pieces: list[tuple[int, int]] = []
    for a, b in t.cuts(0, n, _SEMI, always=True):
        for a2, b2 in t.cuts(a, b, _BULLET):
            pieces.extend(t.cuts(a2, b2, _DASH))
    mentions: list[Mention] = []
    list_head = ""  # "các Sở: A; B": B continues the list
    for a, b in pieces:
        expanded = _expand_list(t.s[a:b], t, a, b, known)
        if expanded:
            mentions.extend(expanded)
            list_head = expanded[-1].name.split(" ")[0]
            continue
        piece = collapse(t.s[a:b]).strip(" -+•.;,")
        if list_head and piece[:1].isupper() and fold(piece) not in known and group_of(piece) is None \
                and not _starts_body(piece, fold_aligned(piece)):
            for x, y in t.cuts(a, b, _COMMA, always=True):
                for x2, y2 in t.cuts(x, y, _AND, always=True):
                    item = collapse(t.s[x2:y2]).strip(" -+•.;,:")
                    if item:
                        mentions.append(Mention(raw=piece, name=f"{list_head} {item}"))
            continue
        list_head = ""
        for a2, b2 in t.cuts(a, b, _COMMA):
            for a3, b3 in t.cuts(a2, b2, _AND, need_left=lambda left: _plausible(left, known)):
                raw = collapse(t.s[a3:b3]).strip(" ;,")
                name, detail = _clean(raw)
                if not name or _NOT_AGENCY.match(fold(name)) or not re.search(r"\w", name):
                    continue
                group = None if fold(name) in known else group_of(name)
                if group is None and name[:1].islower():
                    group = "other"  # no proper name: "tổ chức Hội", "đơn vị sự nghiệp"
                if group == "other" and fold(name).startswith(("to chuc hoi", "hoi doan the")):
                    group = "associations"
                mentions.append(Mention(raw=raw.lstrip(" -+•").rstrip(" .;,"), name=name, group=group, detail=detail))
    return mentions


# -- roles written inside a cell ------------------------------------------------------------
ROLE_WORDS = {"chủ trì": "lead", "phối hợp": "coordinating", "theo dõi": "monitoring"}
_ROLE_RX = "chủ trì|phối hợp|theo dõi"
_LABEL = re.compile(rf"(?:(?:cơ quan|đơn vị)\s+)?({_ROLE_RX})\s*:\s*", re.IGNORECASE)
_PAREN_ROLE = re.compile(rf"\(\s*({_ROLE_RX})\s*\)", re.IGNORECASE)
_POSTFIX = re.compile(rf"^(?P<who>[^,;:()]{{3,120}}?)\s+(?P<role>{_ROLE_RX})(?P<rest>\W.*)?$", re.IGNORECASE | re.DOTALL)
_REST = re.compile(rf"^\W*(?P<role>{_ROLE_RX})\s*(?:với|cùng)?\s*:?\s*(?P<who>.+)$", re.IGNORECASE | re.DOTALL)


def _role(word: str) -> str:
    return ROLE_WORDS[collapse(word).lower()]


def _strip(text: str) -> str:
    return text.strip(" ;,.-–+•\n")


def split_roles(cell: str) -> list[tuple[str | None, str]]:
    """A cell that names roles itself, as (role, text) parts; None is the column's own role.

    "Chủ trì: Sở Tư pháp. Phối hợp: Các sở, ban, ngành", "Sở Nội vụ chủ trì, phối hợp với
    UBND các huyện", "Sở A (chủ trì); Sở B, Sở C (phối hợp)". A cell without role words is
    one part with role None.
    """
    text = collapse(cell)
    if not text:
        return []
    labels = list(_LABEL.finditer(text))
    if labels:
        parts: list[tuple[str | None, str]] = []
        if head := _strip(text[:labels[0].start()]):
            parts.append((None, head))
        for m, nxt in zip(labels, [*labels[1:], None]):
            if segment := _strip(text[m.end():nxt.start() if nxt else len(text)]):
                parts.append((_role(m.group(1)), segment))
        return parts
    markers = list(_PAREN_ROLE.finditer(text))
    if markers:
        parts, start = [], 0
        for m in markers:  # a marker names the role of what precedes it, back to the previous one
            if segment := _strip(text[start:m.start()]):
                parts.append((_role(m.group(1)), segment))
            start = m.end()
        if tail := _strip(text[start:]):
            parts.append((None, tail))
        return parts
    m = _POSTFIX.match(text)
    if m and m.group("who")[:1].isupper():
        parts = [(_role(m.group("role")), _strip(m.group("who")))]
        rest = _strip(m.group("rest") or "")
        if rest and (r := _REST.match(rest)):
            parts.append((_role(r.group("role")), _strip(r.group("who"))))
        elif rest and rest[:1].isupper():
            parts.extend(split_roles(rest))
        return parts
    return [(None, text)]
