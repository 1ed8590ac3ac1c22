"""chiso.core.numbers: the one Vietnamese number parser and formatter."""
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chiso.core.numbers import as_decimal, format_decimal, parse_count, parse_decimal


@pytest.mark.parametrize("text, expected", [
    ("125", "125"), ("12,5", "12.5"), ("12.5", "12.5"), ("1,4741", "1.4741"), ("12.905", "12.905"),
    ("2.543.815", "2543815"), ("1,234,567", "1234567"), ("1.234,5", "1234.5"), ("1,234.5", "1234.5"),
    ("1.234.567,89", "1234567.89"), ("-0,5", "-0.5"), ("- 0,25", "-0.25"), ("+0.5", "0.5"), ("−3", "-3"),
    ("–1,5", "-1.5"), (" 1 234,5 ", "1234.5"), ("1\u00a0234,5", "1234.5"), ("0", "0"), ("007", "7"),
])
def test_reads_the_documented_shapes(text, expected):
    assert parse_decimal(text) == D(expected)


@pytest.mark.parametrize("text", [
    "", " ", "-", "abc", "1e5", "1_000", "١٢", ",5", "5,", "5.", "1..2", "1,,2", "1.23.4", "1,234,5",
    "12.34,5", "1.234,5,6", "1,234.567,8", "inf", "NaN", "--1", "1-", "1 2 abc", "9" * 100,
])
def test_refuses_everything_else(text):
    assert parse_decimal(text) is None


@pytest.mark.parametrize("value, expected", [
    (3, D(3)), (D("1.50"), D("1.50")), (0.1, D("0.1")), (1e-05, D("0.00001")), ("1,5", D("1.5")),
    (True, None), (None, None), ([1, 2], None), (float("nan"), None), (float("inf"), None), (D("NaN"), None),
])
def test_as_decimal_takes_what_a_document_carries(value, expected):
    assert as_decimal(value) == expected


@pytest.mark.parametrize("value, kwargs, expected", [
    (D("12.9050"), {}, "12,905"), (D("100"), {}, "100"), (D("1E+2"), {}, "100"), (D("-0.5"), {}, "-0,5"),
    (D("0.000"), {}, "0"), (D("-0"), {}, "0"), (D("0.8504"), {"places": 1}, "0,9"), (D("85"), {"places": 1}, "85,0"),
    (D("-0.04"), {"places": 1}, "0,0"), (101835, {"grouping": True}, "101.835"),
    (D("1234567.5"), {"grouping": True}, "1.234.567,5"), (1.5, {}, "1,5"), ("2,25", {}, "2,25"),
])
def test_formats_with_a_decimal_comma(value, kwargs, expected):
    assert format_decimal(value, **kwargs) == expected


def test_formatting_no_number_is_an_error():
    with pytest.raises(ValueError):
        format_decimal("abc")


finite = st.decimals(allow_nan=False, allow_infinity=False, min_value=D("-1e15"), max_value=D("1e15"), places=6)


@given(finite)
def test_format_then_parse_gives_the_number_back(value):
    assert parse_decimal(format_decimal(value)) == value


@given(finite)
def test_grouped_numbers_read_back_unless_a_lone_thousands_group(value):
    text = format_decimal(value, grouping=True)
    if text.lstrip("-").count(".") == 1 and "," not in text:  # "1.234": documented as 1,234
        assert parse_decimal(text) == value / 1000
    else:
        assert parse_decimal(text) == value


@given(finite, st.integers(min_value=0, max_value=6))
def test_rounded_numbers_read_back_rounded(value, places):
    assert parse_decimal(format_decimal(value, places)) == value.quantize(D(1).scaleb(-places), rounding="ROUND_HALF_UP")


@given(st.text(alphabet="0123456789.,-+ −–x%", max_size=20))
def test_any_text_is_a_number_or_none_never_an_error(text):
    value = parse_decimal(text)
    assert value is None or value.is_finite()


@pytest.mark.parametrize("text, expected", [
    ("1234", 1234), ("1.234", 1234), ("1,234", 1234), ("1 234", 1234), ("2.543.815", 2543815), ("0", 0),
    ("-12", -12), ("12,5", None), ("1.23", None), ("1.234,567", None), ("", None), ("abc", None), ("1.2345", None),
])
def test_counts_read_every_separator_as_thousands(text, expected):
    assert parse_count(text) == expected


@given(st.integers(min_value=-10**12, max_value=10**12))
def test_grouped_counts_read_back(value):
    assert parse_count(format_decimal(value, grouping=True)) == value


def test_rounding_works_at_any_magnitude():
    assert format_decimal(1e30, 4, trim=True) == "1" + "0" * 30
    assert format_decimal(D("1.23456789"), 4, trim=True) == "1,2346"
    assert format_decimal(D("2.50"), 4, trim=True) == "2,5"


@given(st.floats(min_value=-1e50, max_value=1e50), st.integers(min_value=0, max_value=6))
def test_any_finite_float_formats(value, places):
    assert parse_decimal(format_decimal(value, places, trim=True)) is not None
