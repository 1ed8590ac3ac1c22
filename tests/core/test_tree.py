"""Criteria tree validation and roll-up checks (pure Python, no Django)."""
import csv
from decimal import Decimal
from pathlib import Path

import pytest

from chiso.core.tree import TreeError, build, fmt, sum_mismatches, validate_framework

DATA = Path(__file__).resolve().parents[2] / "chiso" / "data" / "frameworks"
D = Decimal


def rows_of(name):
    with (DATA / name).open(encoding="utf-8") as fh:
        return [dict(r, max_points=D(r["max_points"])) for r in csv.DictReader(fh)]


def test_qd876_tree_is_valid_and_adds_up_to_100():
    rows = rows_of("par_index_province_qd876.csv")
    roots = validate_framework(rows, D(100))
    assert [r.code for r in roots] == [str(i) for i in range(1, 9)]
    assert sum(r.value for r in roots) == D(100)
    assert len([r for r in rows if r["code"].count(".") == 1]) == 37  # MoHA: 37 criteria


def test_papi_tree_adds_up_to_80():
    roots = validate_framework(rows_of("papi_2018.csv"), D(80))
    assert len(roots) == 8 and sum(len(r.children) for r in roots) == 28


def test_children_not_adding_up_are_refused_with_the_criterion_named():
    rows = [
        {"code": "1", "name": "Lĩnh vực 1", "max_points": D("9.5")},
        {"code": "1.1", "name": "Tiêu chí", "max_points": D("5")},
        {"code": "1.2", "name": "Tiêu chí", "max_points": D("4")},
        {"code": "2", "name": "Lĩnh vực 2", "max_points": D("90.5")},
    ]
    with pytest.raises(TreeError) as exc:
        validate_framework(rows, D(100))
    assert any(p.startswith("1 Lĩnh vực 1") and "9" in p for p in exc.value.problems)


def test_fields_not_adding_up_to_total_are_refused():
    rows = [{"code": "1", "name": "A", "max_points": D(40)}, {"code": "2", "name": "B", "max_points": D(50)}]
    with pytest.raises(TreeError) as exc:
        validate_framework(rows, D(100))
    assert "Tổng điểm" in exc.value.problems[0]


def test_duplicate_and_orphan_codes_are_refused():
    rows = [{"code": "1", "name": "A", "max_points": D(1)}, {"code": "1", "name": "A", "max_points": D(1)},
            {"code": "2.1", "name": "B", "max_points": D(1)}]
    with pytest.raises(TreeError) as exc:
        validate_framework(rows, D(3))
    text = " ".join(exc.value.problems)
    assert "trùng" in text and "2.1" in text


def test_rounding_gap_in_printed_scores_is_reported_not_fixed():
    roots = build([("3", "TTHC", D("12.905")), ("3.1", "a", D("1")), ("3.2", "b", D("3")), ("3.3", "c", D("3")),
                   ("3.4", "d", D("4.9045")), ("3.5", "e", D("1"))])
    (m,) = sum_mismatches(roots)
    assert m.code == "3" and m.printed == D("12.905") and m.computed == D("12.9045")
    assert m.gap == D("0.0005")
    assert "12,905" in m.describe() and "12,9045" in m.describe()


def test_fmt_uses_decimal_comma_without_trailing_zeros():
    assert fmt(D("12.9050")) == "12,905"
    assert fmt(D("100.0000")) == "100"
    assert fmt(D("-0.5")) == "-0,5"
