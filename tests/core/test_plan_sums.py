"""Parents' targets from their children's, in tables that list only some children."""
from decimal import Decimal as D

from chiso.core.plan_sums import SumRow, check_target, derived_targets, target_problems


def test_a_partial_table_gains_what_its_listed_children_gain():
    rows = [SumRow("6", D(10), D("8.5"), None), SumRow("6.3.4", D(1), D(0), D(1)), SumRow("6.1", D(2), D("1.5"), D("1.5"))]
    assert derived_targets(rows) == {"6": D("9.5")}


def test_a_complete_table_without_scores_sums_its_children():
    rows = [SumRow("1", D(3), None, None), SumRow("1.1", D(1), None, D("0.5")), SumRow("1.2", D(2), None, D(2))]
    assert derived_targets(rows) == {"1": D("2.5")}
    # an incomplete one without scores cannot be derived
    assert derived_targets(rows[:2]) == {"1": None}


def test_problems_name_the_row_and_the_numbers_with_a_decimal_comma():
    rows = [SumRow("2", D(4), D(3), D("3.9")), SumRow("2.1", D(2), D(1), D("2.5")), SumRow("2.2", D(2), D(2), D(2))]
    problems = dict(target_problems(rows))
    assert problems["2.1"] == "mục tiêu 2,5 lớn hơn điểm tối đa 2"
    assert problems["2"] == "mục tiêu 3,9 nhưng các mục con cho 4,5 (chênh -0,6)"
    assert check_target(D("-1"), D(2)) == "Mục tiêu -1 nhỏ hơn 0."
    assert check_target(D("1.25"), D(2)) is None
