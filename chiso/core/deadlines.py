"""Reading the "thời gian thực hiện" cell of a plan into a deadline. Pure Python.

The text is always kept verbatim; what is understood is added beside it, and
nothing is guessed: a text whose timing cannot be read, or that needs a year
when neither the text nor the plan gives one, comes back `flagged`.

Choices made here:
- "trước ngày X", "chậm nhất (là) ngày X", "đến (hết) ngày X", "hạn X": the task
  is due **on X at the latest** (X itself still counts). Plans use "trước ngày
  31/12/2025" for "by 31/12/2025"; reading it as 30/12 would only surprise users.
- "trước <a period>" ("trước quý IV/2025", "trước tháng 10/2025"): due the day
  before the period starts.
- A span ("Trong năm 2025", "Quý IV/2024", "6 tháng đầu năm 2025") is due at its end.
- "Bắt đầu từ …" / "Từ …" gives a start and an open end; nothing is due.
- Recurring tasks ("Thường xuyên", "Hằng năm", "Định kỳ") have no due date, unless
  they name a day ("Trước ngày 15/12 hằng năm": due 15/12 of the plan's year); a span
  in the text ("Thường xuyên trong năm 2025"), or for "Hằng năm" the plan's year, is
  kept as the period.
- "Sau khi …" (after an event) is flagged: a year in it is not the deadline.
- "Theo quy định", "Theo thời hạn quy định của Bộ Nội vụ / của Trung ương": kind
  `central`, the deadline is set outside the plan; the authority is kept.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from .text import collapse

KINDS = ("date", "period", "recurring", "central", "unparsed")

UNPARSED_LABEL = "Chưa hiểu được — giữ nguyên văn"


@dataclass(frozen=True)
class Deadline:
    text: str
    kind: str
    due_date: dt.date | None = None
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    recurring: bool = False
    central: bool = False
    flagged: bool = False
    note: str = ""
    frequency: str = ""  # recurring: continuous, yearly, half_yearly, quarterly, monthly, weekly, periodic
    authority: str = ""  # central: who sets the deadline ("Trung ương", "Bộ Nội vụ"), empty for "theo quy định"

    def describe_vi(self) -> str:
        """A short Vietnamese label for lists and cards."""
        if self.flagged or self.kind == "unparsed":
            return UNPARSED_LABEL if self.text.strip() else "Không ghi thời hạn"
        if self.kind == "central":
            return f"Theo thời hạn của {self.authority}" if self.authority else "Theo thời hạn quy định"
        span = _describe_span(self.period_start, self.period_end)
        if self.kind == "recurring":
            label = FREQUENCY_LABELS.get(self.frequency, "Thường xuyên")
            if self.due_date:
                return f"{label}, hạn {_d(self.due_date)}"
            if span and self.frequency == "yearly":
                return f"{label} ({span[4:] if span.startswith('Năm ') else span})"
            if span and span.startswith("Năm "):
                return f"{label} trong năm {span[4:]}"
            return f"{label} ({span[0].lower() + span[1:]})" if span else label
        if self.kind == "date" and self.due_date:
            return f"Hạn {_d(self.due_date)}"
        if span:
            return span.replace("Năm ", "Trong năm ", 1) if span.startswith("Năm ") else span
        return f"Hạn {_d(self.due_date)}" if self.due_date else UNPARSED_LABEL


FREQUENCY_LABELS = {
    "continuous": "Thường xuyên", "yearly": "Hằng năm", "half_yearly": "6 tháng một lần",
    "quarterly": "Hằng quý", "monthly": "Hằng tháng", "weekly": "Hằng tuần", "periodic": "Định kỳ",
}
ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
HALVES = {(1, 1, 6, 30): "đầu", (7, 1, 12, 31): "cuối"}
ROMAN_OUT = {1: "I", 2: "II", 3: "III", 4: "IV"}


def _d(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _year_end(y: int) -> dt.date:
    return dt.date(y, 12, 31)


def _month_end(y: int, m: int) -> dt.date:
    return (dt.date(y + (m == 12), m % 12 + 1, 1) - dt.timedelta(days=1))


def _describe_span(start: dt.date | None, end: dt.date | None) -> str:
    if start and end:
        if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
            return f"Năm {start.year}" if start.year == end.year else f"Giai đoạn {start.year}-{end.year}"
        if start.year == end.year and (start.month, start.day, end.month, end.day) in HALVES:
            return f"6 tháng {HALVES[(start.month, start.day, end.month, end.day)]} năm {start.year}"
        if start.day == 1 and end == _month_end(end.year, end.month) and start.year == end.year:
            if start.month % 3 == 1 and end.month % 3 == 0:
                q1, q2 = (start.month + 2) // 3, end.month // 3
                qs = ROMAN_OUT[q1] if q1 == q2 else f"{ROMAN_OUT[q1]}-{ROMAN_OUT[q2]}"
                return f"Quý {qs}/{start.year}"
            if start.month == end.month:
                return f"Tháng {start.month}/{start.year}"
            return f"Tháng {start.month}-{end.month}/{start.year}"
        return f"Từ {_d(start)} đến {_d(end)}"
    if start:
        return f"Từ {_d(start)}"
    if end:
        return f"Đến {_d(end)}"
    return ""


# --- folding that keeps positions: one output character per input character -----
def fold_aligned(text: str) -> str:
    """Like `fold`, but one output character per input character (offsets stay valid);
    whitespace is not collapsed, dashes – and — become -."""
    return "".join(_fold_char(ch) for ch in text)


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    if ch.isspace():
        return " "
    if ch in "–—":
        return "-"
    low = ch.lower()
    low = "d" if low == "đ" else low
    base = "".join(c for c in unicodedata.normalize("NFD", low) if unicodedata.category(c) != "Mn")
    return base if len(base) == 1 else (low if len(low) == 1 else ch)


YEAR = r"((?:19|20)\d\d)"
Q = r"(iv|iii|ii|i|[1-4])"
SEP = r"\s*(?:-|–|—|đến|den|và|va|,)\s*"
# Each pattern: (name, regex). Matched in this order; a match blanks its span.
PATTERNS = [
    ("month_range", re.compile(r"\bthang\s*(\d{1,2})" + SEP + r"(?:thang\s*)?(\d{1,2})\s*(?:/|nam|\s)\s*" + YEAR + r"\b")),
    ("full_date", re.compile(r"\bngay\s*(\d{1,2})\s*thang\s*(\d{1,2})\s*(?:nam\s*)?(\d{4})\b")),
    ("num_date", re.compile(r"(?<![\d/.-])(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4}|\d{2})(?![\d/])")),
    ("num_date", re.compile(r"(?<![\d/.-])(\d{1,2})[.-](\d{1,2})[.-](\d{4})(?![\d/.-])")),
    ("day_month", re.compile(r"\bngay\s*(\d{1,2})\s*thang\s*(\d{1,2})\b(?!\s*[/.-]?\s*\d)")),
    ("month_year", re.compile(r"\bthang\s*(\d{1,2})\s*(?:/|-|nam|\s)\s*" + YEAR + r"\b")),
    ("quarter", re.compile(r"\bquy\s*" + Q + r"\b(?:" + SEP + r"(?:quy\s*)?" + Q + r"\b)?(?:\s*(?:/|-|nam|\s)\s*" + YEAR + r"\b)?")),
    ("bare_month_year", re.compile(r"(?<![\d/.-])(\d{1,2})\s*/\s*" + YEAR + r"(?![\d/])")),
    ("day_month_num", re.compile(r"(?<![\d/.-])(\d{1,2})\s*/\s*(\d{1,2})(?![\d/])")),
    ("half", re.compile(r"\b(6|sau)\s*thang\s*(dau|cuoi)\s*(?:nam\s*)?(?:" + YEAR + r"\b)?")),
    ("month", re.compile(r"\bthang\s*(\d{1,2})(?:" + SEP + r"(?:thang\s*)?(\d{1,2}))?\b(?!\s*[/.]?\s*\d)")),
    ("year_range", re.compile(r"\b" + YEAR + r"\s*(?:-|–|—|đến|den)\s*" + YEAR + r"\b")),
    ("year", re.compile(r"\b" + YEAR + r"\b")),
]
RECURRING = [
    ("continuous", re.compile(r"\b(thuong xuyen|lien tuc)\b")),
    ("yearly", re.compile(r"\b(hang|moi) nam\b")),
    ("half_yearly", re.compile(r"\b(hang|moi) 6 thang\b|\b6 thang (mot|1) lan\b|\bdinh ky 6 thang\b")),
    ("quarterly", re.compile(r"\b(hang|moi) quy\b")),
    ("monthly", re.compile(r"\b(hang|moi) thang\b")),
    ("weekly", re.compile(r"\b(hang|moi) tuan\b")),
    ("periodic", re.compile(r"\bdinh ky\b")),
]
CENTRAL = re.compile(
    r"\btheo\s+(?:(?:thoi han|thoi gian|lo trinh|tien do|ke hoach)\s+)?(?:quy dinh|yeu cau|huong dan|chi dao)"
    r"(?:\s+(?:cua|tai)\s+([^,;.()]+))?")
CENTRAL_AUTHORITIES = re.compile(r"^(trung uong|bo |chinh phu|thu tuong|quoc hoi|van phong chinh phu|ban chi dao)")
# Cue words just before a time expression.
CUE_BEFORE = re.compile(r"\b(truoc|cham nhat(?: la)?(?: vao)?|den het|den|han|trong|tu|bat dau(?: tu)?|ke tu)"
                        r"\s*(?:(?:ngay|nam|giai doan)\s*)?$")
OPEN_END = re.compile(r"(?:\bva\s+)?\b(?:cac|nhung) nam (?:tiep theo|sau)\b|\btro di\b")
AFTER_EVENT = re.compile(r"^\s*sau\b|\bsau khi\b")
OPENING = {"tu", "bat dau", "bat dau tu", "ke tu"}
FILLER = re.compile(
    r"\b(hoan thanh|thuc hien|trong|nam|ngay|truoc|cham nhat|la|den|het|tu|bat dau|ke tu|vao|thoi gian|han|xong|"
    r"thoi han|dam bao|quy|thang|giai doan|nhat la)\b")


@dataclass
class _Hit:
    name: str
    start: int
    end: int
    first: dt.date | None = None
    last: dt.date | None = None
    point: bool = False
    needs_year: bool = False
    cue: str = ""
    ranged: bool = False  # the match itself is a from-to range ("quý III-IV", "2023-2025")


def _safe_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _span(name: str, g: tuple, year: int | None) -> tuple[dt.date | None, dt.date | None, bool, bool]:
    """(first, last, point, needs_year) for one match."""
    def yr(s: str | None) -> int | None:
        if not s:
            return year
        v = int(s)
        return v + 2000 if v < 100 else v

    if name in {"full_date", "num_date"}:
        y = yr(g[2])
        day = _safe_date(y, int(g[1]), int(g[0])) if y else None
        return day, day, True, False
    if name in {"day_month", "day_month_num"}:
        if year is None:
            return None, None, True, True
        day = _safe_date(year, int(g[1]), int(g[0]))
        return day, day, True, False
    if name in {"month_year", "bare_month_year", "month_range", "month"}:
        m1 = int(g[0])
        m2 = int(g[1]) if name in {"month_range", "month"} and g[1] else m1
        y = yr(g[-1]) if name != "month" else year
        if y is None:
            return None, None, False, True
        if not (1 <= m1 <= m2 <= 12):
            return None, None, False, False
        return dt.date(y, m1, 1), _month_end(y, m2), False, False
    if name == "quarter":
        q1 = ROMAN[g[0]]
        q2 = ROMAN[g[1]] if g[1] else q1
        y = yr(g[2])
        if y is None:
            return None, None, False, True
        if q2 < q1:
            return None, None, False, False
        return dt.date(y, 3 * q1 - 2, 1), _month_end(y, 3 * q2), False, False
    if name == "half":
        y = yr(g[2])
        if y is None:
            return None, None, False, True
        return (dt.date(y, 1, 1), dt.date(y, 6, 30), False, False) if g[1] == "dau" else \
            (dt.date(y, 7, 1), dt.date(y, 12, 31), False, False)
    if name == "year_range":
        a, b = int(g[0]), int(g[1])
        if b < a:
            return None, None, False, False
        return dt.date(a, 1, 1), _year_end(b), False, False
    if name == "year":
        y = int(g[0])
        return dt.date(y, 1, 1), _year_end(y), False, False
    return None, None, False, False


def _clean_note(text: str) -> str:
    note = re.sub(r"\s+", " ", text).strip(" ,;.:-–—()")
    if not note:
        return ""
    rest = re.sub(r"[\W\d_]+", " ", FILLER.sub(" ", fold_aligned(note))).strip()
    return note if rest else ""


def parse_deadline(text: str, *, context_year: int | None = None) -> Deadline:
    """Reads a "thời gian thực hiện" cell. Never raises; see the module doc for the choices."""
    original = "" if text is None else str(text)
    clean = collapse(original)
    if not clean:
        return Deadline(text=original, kind="unparsed")
    folded = fold_aligned(clean)
    work = folded
    consumed = [False] * len(clean)

    def blank(a: int, b: int) -> None:
        nonlocal work
        work = work[:a] + " " * (b - a) + work[b:]
        for i in range(a, b):
            consumed[i] = True

    frequency = ""
    for freq, rx in RECURRING:
        for m in rx.finditer(work):
            frequency = frequency or freq
            blank(m.start(), m.end())

    authority, central = "", False
    m = CENTRAL.search(work)
    if m:
        central = True
        if m.group(1):
            authority = clean[m.start(1):m.end(1)].strip()
            if fold_aligned(authority).startswith("trung uong"):
                authority = "Trung ương"
        blank(m.start(), m.end())

    open_end = False
    for m in OPEN_END.finditer(work):
        open_end = True
        blank(m.start(), m.end())

    hits: list[_Hit] = []
    for name, rx in PATTERNS:
        for m in rx.finditer(work):
            first, last, point, needs_year = _span(name, m.groups(), context_year)
            ranged = name in {"month_range", "year_range"} or (name in {"quarter", "month"} and bool(m.group(2)))
            hits.append(_Hit(name, m.start(), m.end(), first, last, point, needs_year, ranged=ranged))
        for h in hits:
            if h.name == name:
                blank(h.start, h.end)
    hits.sort(key=lambda h: h.start)
    for h in hits:
        cue = CUE_BEFORE.search(work[:h.start].rstrip() + " ")
        if cue and cue.end() >= len(work[:h.start].rstrip()):
            h.cue = cue.group(1)
            blank(cue.start(), h.start)

    note = _clean_note("".join(ch if not consumed[i] else " " for i, ch in enumerate(clean)))

    def unparsed() -> Deadline:
        return Deadline(text=original, kind="unparsed", flagged=True, note=note)

    if frequency:
        # "Trước 30/6 hằng năm" without the plan's year: still yearly, the day stays in the text
        hits = [h for h in hits if not h.needs_year]
    if any(h.needs_year or h.first is None for h in hits):
        # the text needs a year that neither it nor the plan gives, or names an impossible
        # date (31/02): reading the rest would be a guess
        return unparsed()
    if AFTER_EVENT.search(folded) and not frequency and not central:
        return unparsed()  # "Sau khi có kết quả Chỉ số năm 2024": due after an event, not in 2024

    due = start = end = None
    points = [h for h in hits if h.point]
    spans = [h for h in hits if not h.point]
    if points:
        if len(points) >= 2 and points[0].cue in OPENING:
            start, end = points[0].first, points[-1].last
        due = max(p.last for p in points)
    if spans:
        opening = spans[0].cue in OPENING or open_end
        if opening and len(spans) == 1 and not spans[0].ranged:
            start = spans[0].first
        elif opening:
            start, end = spans[0].first, spans[-1].last
        elif spans[0].cue == "truoc" and not points:
            due = spans[0].first - dt.timedelta(days=1)
        else:
            start, end = min(s.first for s in spans), max(s.last for s in spans)
    if start is not None and end is not None and start > end:
        return unparsed()  # "từ 2026 đến 2025": contradictory, not guessed
    if frequency == "yearly" and start is None and context_year:
        start, end = dt.date(context_year, 1, 1), _year_end(context_year)

    if frequency:
        # a day in a recurring text ("trước ngày 15/12 hằng năm") is this plan year's occurrence
        return Deadline(original, "recurring", due, start, end, True, central, False, note, frequency, authority)
    if central and due is None and start is None:
        return Deadline(original, "central", None, None, None, False, True, False, note, "", authority)
    if due is None and start is not None and end is not None:
        due = end
    if due is not None and (start is None or end is None or due != end or points and not spans and start is None):
        return Deadline(original, "date", due, start, end, False, central, False, note, "", authority)
    if due is not None or start is not None:
        return Deadline(original, "period", due, start, end, False, central, False, note, "", authority)
    return unparsed()
