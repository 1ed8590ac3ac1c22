"""Number parsing and row-number normalization."""
import pytest

from chiso.reader.codes import is_successor, normalize, split_leading_code
from chiso.reader.numbers import parse_number, parse_value, parse_value_lenient


@pytest.mark.parametrize("text, expected", [
    ("1,4741", 1.4741), ("12.905", 12.905), ("9.5", 9.5), ("9,5", 9.5), ("100", 100),
    ("-0,5", -0.5), ("- 0,25", -0.25), ("+0.5", 0.5), ("(0.5)", 0.5), ("90%", 90),
    ("2.543.815", 2543815), ("1.234,5", 1234.5), ("≥ 90", 90), ("0", 0),
])
def test_single_numbers(text, expected):
    assert parse_value(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("89.2 - 93.1", [89.2, 93.1]), ("89,2 – 93,1", [89.2, 93.1]), ("từ 85 đến 90", [85, 90]), ("5,7 – 6,0", [5.7, 6]),
])
def test_ranges(text, expected):
    assert parse_value(text) == expected


@pytest.mark.parametrize("text", ["", "-", "x", "…", "Sở Nội vụ", "Điều tra XHH", "1.2.3.4.5 abc"])
def test_not_values(text):
    assert parse_value(text) is None


def test_lenient_value_cells_keep_the_leading_number():
    assert parse_value_lenient("-0,5 (chưa đạt)") == -0.5
    assert parse_value_lenient("1,5 điểm") == 1.5
    assert parse_value_lenient("Chưa đạt") is None


def test_parse_number_rejects_words():
    assert parse_number("abc") is None
    assert parse_number("") is None


@pytest.mark.parametrize("text, expected", [
    ("1.", "1"), ("1.1.", "1.1"), ("8.1. 1", "8.1.1"), ("8.3. 1.", "8.3.1"), ("1.3.1", "1.3.1"),
    ("I", "I"), ("II.", "II"), ("IV", "IV"), ("A", "A"), ("B.", "B"), ("a)", "a"),
    ("STT", None), ("Tổng", None), ("", None), ("S T T", None),
])
def test_code_normalization(text, expected):
    assert normalize(text) == expected


def test_code_succession():
    assert is_successor("1.3.2", "1.4")
    assert is_successor("1.3.2", "2")
    assert is_successor("1.3", "1.3.1")
    assert not is_successor("1.3", "1.5")
    assert is_successor("I", "II")
    assert is_successor("A", "B")
    assert not is_successor("A", "II")


def test_leading_code_split():
    assert split_leading_code("1.1. Thực hiện kế hoạch") == ("1.1", "Thực hiện kế hoạch")
    assert split_leading_code("II. CHỈ SỐ SIPAS") == ("II", "CHỈ SỐ SIPAS")
    assert split_leading_code("Thực hiện") == (None, "Thực hiện")
