"""Sample sizes, Wilson intervals, the configurable index formula and its aggregation."""
from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from chiso.core.survey_math import (MIN_CELL, Formula, FormulaError, aggregate, mean_interval, parse_formula, percent,
                                    sample_size, wilson)


@pytest.mark.parametrize("population, margin, expected", [
    (0, "0.05", 0),
    (1, "0.05", 1),
    (100, "0.05", 80),        # 100 / 1.25
    (1000, "0.05", 286),      # 1000 / 3.5 = 285.7 → 286
    (10_000, "0.05", 385),    # 10000 / 26 = 384.6 → 385
    (1_000_000, "0.05", 400),  # tends to 1/e² = 400
    (1000, "0.03", 527),      # 1000 / 1.9 = 526.3 → 527
])
def test_sample_size(population, margin, expected):
    assert sample_size(population, Decimal(margin)) == expected


def test_sample_size_refuses_nonsense():
    with pytest.raises(ValueError):
        sample_size(-1)
    with pytest.raises(ValueError):
        sample_size(10, Decimal("0"))
    with pytest.raises(ValueError):
        sample_size(10, Decimal("1.5"))


@given(st.integers(min_value=1, max_value=10**7), st.sampled_from(["0.01", "0.03", "0.05", "0.1"]))
def test_sample_size_never_exceeds_population_nor_the_limit(population, margin):
    n = sample_size(population, Decimal(margin))
    assert 1 <= n <= population
    assert n <= int(1 / Decimal(margin) ** 2) + 1


def test_wilson_known_values():
    low, high = wilson(8, 10)
    assert (round(low, 4), round(high, 4)) == (0.4902, 0.9433)
    assert wilson(0, 10)[0] == 0.0 and wilson(10, 10)[1] == 1.0
    assert wilson(0, 0) == (0.0, 1.0)


@given(st.integers(min_value=1, max_value=5000), st.data())
def test_wilson_contains_the_share(n, data):
    k = data.draw(st.integers(min_value=0, max_value=n))
    low, high = wilson(k, n)
    assert 0 <= low <= k / n <= high <= 1


def test_percent_rounds_half_up():
    assert percent(0.83025) == Decimal("83.03")
    assert percent(None) is None


def test_mean_interval():
    assert mean_interval([1.0], 1.0) == (0.0, 1.0)
    low, high = mean_interval([1.0, 0.0] * 50, 0.5)
    assert round(low, 3) == 0.402 and round(high, 3) == 0.598


def test_parse_formula_defaults_and_errors():
    f = parse_formula(None, 5)
    assert f.method == "top_share" and f.favourable == {4, 5}
    assert parse_formula(None, 3).favourable == {3}
    with pytest.raises(FormulaError, match="ngoài thang đo"):
        parse_formula({"favourable": [6]}, 5)
    with pytest.raises(FormulaError, match="không có"):
        parse_formula({"method": "median"}, 5)
    with pytest.raises(FormulaError, match="không phải là số"):
        parse_formula({"weights": {"E1": "nhiều"}}, 5)
    with pytest.raises(FormulaError, match="bằng 0"):
        parse_formula({"weights": {"E1": 0}}, 5)


ITEMS = {"a1": "A", "a2": "A", "b1": "B"}


def test_item_element_overall_by_hand():
    responses = [
        ("u1", {"a1": 5, "a2": 4, "b1": 1}),   # A: 2/2, B: 0/1
        ("u1", {"a1": 3, "a2": 4, "b1": 5}),   # A: 1/2, B: 1/1
        ("u2", {"a1": 4, "b1": 2, "x": "text"}),  # A: 1/1 (a2 unanswered), B: 0/1
    ]
    res = aggregate(responses, items=ITEMS, levels=5, formula=Formula())
    total = res[None]
    assert total.respondents == 3
    assert total.items["a1"].n == 3 and total.items["a1"].value == Decimal("66.67")
    assert total.items["a2"].n == 2 and total.items["a2"].value == Decimal("100.00")
    assert total.items["b1"].value == Decimal("33.33")
    # element A = mean of item shares (66.67 + 100) / 2; overall = mean of elements
    assert total.elements["A"].value == Decimal("83.33")
    assert total.elements["A"].n == 3
    assert total.overall.value == Decimal("58.33")
    assert res["u1"].respondents == 2 and res["u2"].items["a2"].n == 0
    assert res["u2"].items["a2"].value is None
    low, high = total.items["a1"].low, total.items["a1"].high
    assert low < total.items["a1"].value < high


def test_weights_and_mean_scale():
    responses = [("u", {"a1": 5, "a2": 5, "b1": 1})]
    weighted = aggregate(responses, items=ITEMS, levels=5, formula=parse_formula({"weights": {"A": 3, "B": 1}}, 5))
    assert weighted[None].overall.value == Decimal("75.00")
    mean = aggregate([("u", {"a1": 3, "a2": 5, "b1": 1})], items=ITEMS, levels=5,
                     formula=parse_formula({"method": "mean_scale"}, 5))
    assert mean[None].items["a1"].value == Decimal("50.00")
    assert mean[None].elements["A"].value == Decimal("75.00")


def test_out_of_scale_and_non_integer_answers_are_ignored():
    res = aggregate([("u", {"a1": 7, "a2": "5", "b1": True})], items=ITEMS, levels=5, formula=Formula())
    assert res[None].items["a1"].n == 0 and res[None].items["a2"].n == 0 and res[None].items["b1"].n == 0
    assert res[None].overall.value is None


def test_small_cells_are_marked_not_shown():
    res = aggregate([("u", {"a1": 5})] * (MIN_CELL - 1), items=ITEMS, levels=5, formula=Formula())
    assert not res["u"].items["a1"].shown
    res = aggregate([("u", {"a1": 5})] * MIN_CELL, items=ITEMS, levels=5, formula=Formula())
    assert res["u"].items["a1"].shown


@given(st.lists(st.tuples(st.sampled_from(["u1", "u2"]),
                          st.fixed_dictionaries({}, optional={q: st.integers(1, 5) for q in ITEMS})), max_size=60))
def test_values_stay_within_their_intervals(responses):
    res = aggregate(responses, items=ITEMS, levels=5, formula=Formula())
    for group in res.values():
        for cell in [*group.items.values(), *group.elements.values(), group.overall]:
            if cell.value is not None:
                assert Decimal(0) <= cell.low <= cell.value <= cell.high <= Decimal(100)


def test_encoded_levels_aggregate_like_answers():
    from chiso.core.survey_math import aggregate_encoded, encode_levels

    assert encode_levels({"a1": 5, "b1": 9, "a2": "4"}, ["a1", "a2", "b1"], 5) == "500"
    responses = [("u1", {"a1": 5, "a2": 4, "b1": 1})] * 3 + [("u2", {"a1": 2})]
    direct = aggregate(responses, items=ITEMS, levels=5, formula=Formula())
    encoded = aggregate_encoded([(g, encode_levels(a, list(ITEMS), 5)) for g, a in responses], items=ITEMS, levels=5,
                                formula=Formula())
    assert direct == encoded
    assert encoded["u1"].respondents == 3 and encoded[None].items["a1"].n == 4
