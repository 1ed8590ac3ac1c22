"""Ranks with ties, projected totals and the cheapest recovery."""
from decimal import Decimal as D

from chiso.core.ranking import (ProjectionRow, Recoverable, cheapest_recovery, competition_ranks, project,
                                projected_rank, total_for_rank)


def test_competition_ranks_share_ties_and_skip():
    assert competition_ranks({"a": D(90), "b": D(88), "c": D(88), "d": D(85)}) == {"a": 1, "b": 2, "c": 2, "d": 4}


def test_projected_rank_and_total_for_rank():
    others = [D(92), D(91), D(90), D(88)]
    assert projected_rank(others, D(89)) == 4
    assert projected_rank(others, D(90)) == 3  # a tie shares the rank
    assert total_for_rank(others, 1) == D(92)
    assert total_for_rank(others, 3) == D(90)
    assert total_for_rank(others, 5) == 0
    assert projected_rank(others, total_for_rank(others, 2)) <= 2


ROWS = [  # a field printed as 12.905 over criteria adding to 12.9045
    ProjectionRow("1", D(10), D("9.5")), ProjectionRow("1.1", D(5), D("4.5")), ProjectionRow("1.2", D(5), D(5)),
    ProjectionRow("2", D(13), D("12.905")), ProjectionRow("2.1", D("6.5"), D("6.4045")),
    ProjectionRow("2.2", D("6.5"), D("6.5")),
]


def test_projection_keeps_printed_figures_until_a_target_touches_them():
    p = project(ROWS, printed_total=D("22.405"))
    assert p.total == D("22.405") and p.changed == []
    p = project([*ROWS[:1], ProjectionRow("1.1", D(5), D("4.5"), D(5)), *ROWS[2:]])
    assert p.values["1"] == D(10) and p.values["2"] == D("12.905") and p.total == D("22.905")
    assert p.changed == ["1.1"]
    p = project([ROWS[0], ROWS[1], ROWS[2], ROWS[3], ProjectionRow("2.1", D("6.5"), D("6.4045"), D("6.409")), ROWS[5]])
    assert p.values["2"] == D("12.909")


def test_projection_flags_a_parent_target_its_children_do_not_reach():
    rows = [ProjectionRow("1", D(10), D(9), D("9.8")), ProjectionRow("1.1", D(5), D(4), D("4.5")),
            ProjectionRow("1.2", D(5), D(5))]
    p = project(rows)
    assert p.values["1"] == D("9.5") and p.conflicts == [("1", D("9.8"), D("9.5"))]


def test_projection_mean_aggregation():
    rows = [ProjectionRow("A", D(100), D(80)), ProjectionRow("B", D(100), D(90), D(100))]
    assert project(rows, aggregation="mean").total == D(90)


def test_recovery_prefers_appraisal_and_fewest_criteria():
    pool = [Recoverable("8.1", "SIPAS", D("1.83"), "survey"), Recoverable("6.3.4", "", D(1), "appraisal"),
            Recoverable("5.4", "", D("0.5"), "appraisal"), Recoverable("7.3.7", "", D("0.86"), "appraisal"),
            Recoverable("5.6", "", D("0.25"), "appraisal")]
    r = cheapest_recovery(pool, D("0.8"))
    assert [c.code for c in r.chosen] == ["7.3.7"] and r.reachable  # the smallest single one that covers
    r = cheapest_recovery(pool, D("1.7"))
    assert [c.code for c in r.chosen] == ["6.3.4", "7.3.7"]
    r = cheapest_recovery(pool, D("3"))  # appraisal alone gives 2.61: one survey criterion too
    assert {c.code for c in r.chosen} >= {"8.1"} and r.recovered >= D(3)
    assert cheapest_recovery(pool, D(10)).reachable is False
    assert cheapest_recovery(pool, D(0)).chosen == []


def test_recovery_drops_criteria_made_unnecessary():
    pool = [Recoverable("a", "", D("0.1"), "appraisal"), Recoverable("b", "", D(2), "survey")]
    r = cheapest_recovery(pool, D("1.5"))
    assert [c.code for c in r.chosen] == ["b"]


def test_rank_bounds_exact_with_a_full_table_and_bounded_with_a_partial_one():
    from chiso.core.ranking import rank_bounds, total_needed

    full = [(D(92), 1), (D(90), 2), (D(88), 3)]
    assert rank_bounds(full, D(89)) == (3, 3)
    assert total_needed(full, 2) == (D(90), True)
    partial = [(D("92.18"), 1), (D("88.72"), 11), (None, 15), (D("86.89"), 32), (D("81.32"), 63)]
    assert rank_bounds(partial, D("88.679")) == (12, 32)
    assert rank_bounds(partial, D("95")) == (1, 1)
    assert total_needed(partial, 20) == (D("88.72"), False)
    assert total_needed(partial, 1) == (D("92.18"), False)
