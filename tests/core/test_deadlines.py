"""Reading "thời gian thực hiện" cells (pure Python, no Django)."""
import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chiso.core.deadlines import KINDS, Deadline, parse_deadline

GOLDEN = Path(__file__).resolve().parents[2] / "chiso" / "data" / "demo" / "golden"
D = dt.date


def golden_deadlines() -> list[tuple[str, int | None]]:
    """Every deadline text of the golden readings, with the plan's year as context."""
    out = []
    for path in sorted(GOLDEN.glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        year = int(doc["document"]["date"][:4]) if doc["document"].get("date") else None
        for table in doc["tables"]:
            for row in table["rows"]:
                text = (row.get("text") or {}).get("deadline")
                if text:
                    out.append((text, year))
    return out


def test_every_golden_deadline_is_understood(capsys):
    texts = golden_deadlines()
    assert len(texts) >= 100
    flagged = [t for t, year in texts if parse_deadline(t, context_year=year).flagged]
    with capsys.disabled():
        print(f"\n[deadlines] golden texts: {len(texts)} ({len(set(texts))} distinct), flagged: {len(flagged)}")
    assert flagged == []


def _check(text, year, kind, due=None, start=None, end=None, recurring=False, central=False, note="", label=None):
    d = parse_deadline(text, context_year=year)
    assert d.text == text
    assert (d.kind, d.due_date, d.period_start, d.period_end) == (kind, due, start, end)
    assert (d.recurring, d.central, d.flagged, d.note) == (recurring, central, False, note)
    if label is not None:
        assert d.describe_vi() == label
    return d


# "trước ngày X" is read as due on X (X still counts): see chiso.core.deadlines.
@pytest.mark.parametrize("text", [
    "Chậm nhất là ngày 31/12/2025",
    "Hoàn thành trước ngày 31/12/2025",
    "Hạn 31/12/2025",
    "ngày 31 tháng 12 năm 2025",
    "31-12-2025",
    "Trước ngày 31.12.2025",
    "Đến hết ngày 31/12/25",
])
def test_by_a_day(text):
    _check(text, None, "date", due=D(2025, 12, 31), label="Hạn 31/12/2025")


def test_by_a_day_with_the_activity_kept_as_note():
    _check("Hoàn thành kiểm tra, ban hành Thông báo kết luận kiểm tra trước ngày 31/12/2025", 2025, "date",
           due=D(2025, 12, 31), note="Hoàn thành kiểm tra, ban hành Thông báo kết luận kiểm tra")


def test_two_digit_days_and_months():
    _check("Trước ngày 05/03/2025", None, "date", due=D(2025, 3, 5))
    _check("ngày 5 tháng 3 năm 2025", None, "date", due=D(2025, 3, 5))
    _check("Trước 5/3/2025", None, "date", due=D(2025, 3, 5))


def test_day_without_year_uses_the_plan_year_or_is_flagged():
    _check("31/12", 2025, "date", due=D(2025, 12, 31))
    _check("Trước 15/11", 2024, "date", due=D(2024, 11, 15), label="Hạn 15/11/2024")
    for text in ["31/12", "Trước 15/11", "Quý III-IV", "Tháng 10", "6 tháng đầu năm"]:
        d = parse_deadline(text, context_year=None)
        assert d.flagged and d.kind == "unparsed" and d.due_date is None and d.text == text
        assert d.describe_vi() == "Chưa hiểu được — giữ nguyên văn"


@pytest.mark.parametrize("text", ["Trong năm 2025", "Năm 2025", "Hoàn thành trong năm 2025"])
def test_within_a_year(text):
    _check(text, None, "period", due=D(2025, 12, 31), start=D(2025, 1, 1), end=D(2025, 12, 31), label="Trong năm 2025")


@pytest.mark.parametrize("text,year,start,end,label", [
    ("Quý IV năm 2024", None, D(2024, 10, 1), D(2024, 12, 31), "Quý IV/2024"),
    ("Quý IV/2024", None, D(2024, 10, 1), D(2024, 12, 31), "Quý IV/2024"),
    ("Quý 4/2024", None, D(2024, 10, 1), D(2024, 12, 31), "Quý IV/2024"),
    ("Quý III-IV", 2025, D(2025, 7, 1), D(2025, 12, 31), "6 tháng cuối năm 2025"),
    ("Quý I, II năm 2025", None, D(2025, 1, 1), D(2025, 6, 30), "6 tháng đầu năm 2025"),
    ("6 tháng đầu năm 2025", None, D(2025, 1, 1), D(2025, 6, 30), "6 tháng đầu năm 2025"),
    ("Tháng 10/2025", None, D(2025, 10, 1), D(2025, 10, 31), "Tháng 10/2025"),
    ("Tháng 10 năm 2025", None, D(2025, 10, 1), D(2025, 10, 31), "Tháng 10/2025"),
    ("Tháng 2", 2024, D(2024, 2, 1), D(2024, 2, 29), "Tháng 2/2024"),
    ("Tháng 10 - 12/2025", None, D(2025, 10, 1), D(2025, 12, 31), "Quý IV/2025"),
    ("Năm 2024-2025", None, D(2024, 1, 1), D(2025, 12, 31), "Giai đoạn 2024-2025"),
    ("Giai đoạn 2023-2025", None, D(2023, 1, 1), D(2025, 12, 31), "Giai đoạn 2023-2025"),
    ("Giai đoạn 2023 - 2025", None, D(2023, 1, 1), D(2025, 12, 31), "Giai đoạn 2023-2025"),
    ("Từ 01/10/2024 đến 15/01/2025", None, D(2024, 10, 1), D(2025, 1, 15), "Từ 01/10/2024 đến 15/01/2025"),
])
def test_within_a_span(text, year, start, end, label):
    _check(text, year, "period", due=end, start=start, end=end, label=label)


def test_open_start():
    _check("Bắt đầu từ quý IV 2024", None, "period", start=D(2024, 10, 1), label="Từ 01/10/2024")
    _check("Từ năm 2024 trở đi", None, "period", start=D(2024, 1, 1))


def test_before_a_period_is_due_the_day_before_it_starts():
    _check("Trước quý IV/2025", None, "date", due=D(2025, 9, 30))


def test_recurring():
    _check("Thường xuyên", 2024, "recurring", recurring=True, label="Thường xuyên")
    _check("Thường xuyên trong năm 2025", None, "recurring", start=D(2025, 1, 1), end=D(2025, 12, 31),
           recurring=True, label="Thường xuyên trong năm 2025")
    _check("Thường xuyên, nhất là tập trung vào trước các đợt bầu cử", 2025, "recurring", recurring=True,
           note="nhất là tập trung vào trước các đợt bầu cử", label="Thường xuyên")
    for text in ["Hằng năm", "Hàng năm"]:
        d = _check(text, None, "recurring", recurring=True, label="Hằng năm")
        assert d.frequency == "yearly"
        _check(text, 2025, "recurring", start=D(2025, 1, 1), end=D(2025, 12, 31), recurring=True,
               label="Hằng năm (2025)")
    assert parse_deadline("Định kỳ hằng quý", context_year=None).frequency == "quarterly"
    _check("Trước ngày 15/12 hằng năm", 2025, "recurring", due=D(2025, 12, 15), start=D(2025, 1, 1),
           end=D(2025, 12, 31), recurring=True, label="Hằng năm, hạn 15/12/2025")
    _check("Trước ngày 15/12 hằng năm", None, "recurring", recurring=True, label="Hằng năm")


def test_central_and_regulated():
    d = _check("Theo thời hạn quy định của Trung ương", 2025, "central", central=True,
               label="Theo thời hạn của Trung ương")
    assert d.authority == "Trung ương"
    d = _check("Theo thời hạn quy định của Bộ Nội vụ", 2025, "central", central=True,
               label="Theo thời hạn của Bộ Nội vụ")
    assert d.authority == "Bộ Nội vụ"
    _check("Theo quy định", None, "central", central=True, label="Theo thời hạn quy định")


@pytest.mark.parametrize("text", ["Sau khi có hướng dẫn", "31/02/2025", "Sau khi có kết quả Chỉ số năm 2024", "Ngay khi có yêu cầu", "xyz", "Tháng 13/2025"])
def test_not_understood_is_flagged_and_kept(text):
    d = parse_deadline(text, context_year=2025)
    assert d.flagged and d.kind == "unparsed" and d.text == text
    assert (d.due_date, d.period_start, d.period_end) == (None, None, None)


def test_empty_is_not_flagged():
    d = parse_deadline("  ", context_year=2025)
    assert d.kind == "unparsed" and not d.flagged


def test_frozen():
    d = parse_deadline("Năm 2025", context_year=None)
    assert isinstance(d, Deadline)
    with pytest.raises(AttributeError):
        d.kind = "date"  # type: ignore[misc]


def _valid(d: Deadline):
    assert d.kind in KINDS
    for day in (d.due_date, d.period_start, d.period_end):
        assert day is None or (isinstance(day, dt.date) and 1900 <= day.year <= 2100)
    if d.period_start and d.period_end:
        assert d.period_start <= d.period_end
    if d.flagged:
        assert d.kind == "unparsed" and d.due_date is None and d.period_start is None
    if d.kind == "recurring":
        assert d.recurring
    if d.kind == "central":
        assert d.central
    if d.kind == "date":
        assert d.due_date is not None
    assert isinstance(d.describe_vi(), str) and d.describe_vi()


WORDS = ["ngày", "tháng", "năm", "quý", "trước", "từ", "đến", "Thường xuyên", "Hằng năm", "theo quy định", "IV",
         "III", "-", "/", ",", "31", "12", "2025", "2024", "6 tháng đầu", "giai đoạn", "của Bộ", "bắt đầu"]


@settings(max_examples=400, deadline=None)
@given(st.text(), st.one_of(st.none(), st.integers(1990, 2060)))
def test_never_raises_on_arbitrary_text(text, year):
    d = parse_deadline(text, context_year=year)
    assert d.text == text
    _valid(d)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(WORDS), st.integers(0, 40).map(str), st.integers(1890, 2110).map(str)),
                max_size=8).map(" ".join), st.one_of(st.none(), st.integers(1990, 2060)))
def test_never_raises_on_deadline_like_text(text, year):
    _valid(parse_deadline(text, context_year=year))
