"""The computed-criterion language: the issue's examples, thresholds, counts, prev(), errors."""
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chiso.core.rules import RuleError, check, evaluate, fmt_number, parse


def test_on_time_dossiers_ratio_times_max():
    r = evaluate("ratio(on_time, received) * max_points", {"on_time": D(101835), "received": D(102337)},
                 max_points=D("1.5"))
    # 101835 / 102337 × 1.5 = 1.4926419…, so 1.4926 at four decimals. The 1.4925 needs the
    # ratio cut to three decimals (0.995 × 1.5), a rule that would give 1.0695, not 1.0696, below.
    assert r.points == D("1.4926") and D("1.49264") <= r.value < D("1.49265")
    assert r.arithmetic == "101.835 / 102.337 × 1,5 = 1,4926"


def test_fully_online_dossiers():
    r = evaluate("online / total * max_points", {"online": D(41940), "total": D(58818)}, max_points=D("1.5"))
    assert r.points == D("1.0696")
    assert r.arithmetic == "41.940 / 58.818 × 1,5 = 1,0696"


@pytest.mark.parametrize("inspected, points", [(5, "0"), (6, "1"), (20, "1")])
def test_threshold_at_least_30_percent_inspected_gives_full_points(inspected, points):
    rule = "if(inspected / units >= 30%, max_points, 0)"
    assert evaluate(rule, {"inspected": D(inspected), "units": D(20)}, max_points=D(1)).points == D(points)


@pytest.mark.parametrize("count, points", [(0, "0"), (1, "1"), (2, "2"), (7, "2")])
def test_count_of_recognised_initiatives(count, points):
    assert evaluate("step(initiatives, 1, 1, 2, 2)", {"initiatives": D(count)}).points == D(points)


def test_higher_than_last_year_uses_prev():
    rule = parse("if(revenue > prev(revenue), max_points, 0)")
    assert rule.inputs == {"revenue"} and rule.previous == {"revenue"}
    up = evaluate(rule, {"revenue": D(120)}, previous={"revenue": D(100)}, max_points=D("1.5"))
    assert up.points == D("1.5") and "100 (năm trước)" in up.arithmetic
    assert evaluate(rule, {"revenue": D(90)}, previous={"revenue": D(100)}, max_points=D("1.5")).points == 0
    with pytest.raises(RuleError, match="năm trước"):
        evaluate(rule, {"revenue": D(90)}, max_points=D(1))


def test_functions_and_precedence():
    assert evaluate("min(1, 2, 0.5) + max(1, 3) * 2", {}).value == D("6.5")
    assert evaluate("clamp(ratio(a, b) * 2, 0, 1)", {"a": D(3), "b": D(2)}).value == 1
    assert evaluate("round(2 / 3, 2) + floor(2 / 3, 2)", {}).value == D("1.33")
    assert evaluate("-(1 - 3) + abs(-1)", {}).value == 3
    assert evaluate("if(a >= 1 and not b > 2 or a == 0, 1, 0)", {"a": D(1), "b": D(1)}).value == 1
    assert evaluate("if(x < 0, 1 / 0, 5)", {"x": D(1)}).value == 5  # only the branch taken runs


@pytest.mark.parametrize("text, position, words", [
    ("ratio(a", 8, "')'"),
    ("1 +", 4, "cần một số"),
    ("foo(1)", 1, "không có hàm 'foo'"),
    ("1 < 2 < 3", 7, "nối tiếp"),
    ("2 $ 3", 3, "'$'"),
    ("", 1, "trống"),
    ("step(1, 2, 3, 4)", 1, "cặp ngưỡng"),
    ("1.2.3", 1, "dấu chấm"),
])
def test_syntax_errors_name_the_position(text, position, words):
    with pytest.raises(RuleError) as e:
        parse(text)
    assert e.value.position == position - 1
    assert f"ký tự thứ {position}" in str(e.value) and words in str(e.value)


def test_evaluation_errors():
    with pytest.raises(RuleError, match="thiếu số liệu 'a'"):
        evaluate("a + 1", {})
    with pytest.raises(RuleError, match="chia cho 0"):
        evaluate("1 / (a - a)", {"a": D(2)})
    with pytest.raises(RuleError, match="mẫu số bằng 0"):
        evaluate("ratio(1, 0)", {})
    with pytest.raises(RuleError, match="điều kiện"):
        evaluate("1 > 0", {})
    assert check("ratio(a, b) * max_points") == [] and check("ratio(") != []


def test_number_format():
    assert fmt_number(D("101835")) == "101.835" and fmt_number(D("1.50")) == "1,5" and fmt_number(D("-2")) == "-2"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=120))
def test_arbitrary_text_raises_only_rule_errors(text):
    try:
        evaluate(text, {"a": D(1), "b": D(0)}, previous={"a": D(2)}, max_points=D(1))
    except RuleError:
        pass


RULE_CHARS = st.sampled_from(list("0123456789.%()+-*/<>=!, ") + ["a", "b", "max_points", "min(", "ratio(", "if(",
                                                                  "step(", "prev(", "and", "or", "not", "round("])


@settings(max_examples=400, deadline=None)
@given(st.lists(RULE_CHARS, max_size=60).map("".join))
def test_rule_like_text_raises_only_rule_errors(text):
    try:
        evaluate(text, {"a": D(3), "b": D(0)}, previous={"a": D(2)}, max_points=D("1.5"))
    except RuleError:
        pass


def test_deep_or_long_rules_are_refused_cleanly():
    for text in ["(" * 500 + "1" + ")" * 500, "-" * 1000 + "1", "1+" * 1500 + "1", "not " * 300 + "1 > 0"]:
        with pytest.raises(RuleError):
            evaluate(text, {})
