"""The year's outcome of a plan (chiso.core.outcome): targets against results, points won back or
lost again, tasks done on time, per agency, and the verdict."""
import datetime as dt
from decimal import Decimal as D

from hypothesis import given, settings, strategies as st

from chiso.core.outcome import (DID_NOT_WORK, IMPROVED, LATE, MET, NO_RESULT, NOT_DONE, ON_TIME, PARTLY, SAME,
                                UNDATED, UNKNOWN, WORKED, WORSE, RowFact, TaskFact, Totals, evaluate, summed_target)

Q2 = dt.date(2024, 4, 1)
Q3 = dt.date(2024, 7, 1)
JUNE = dt.date(2024, 6, 30)


def task(key, leads=("Sở Tư pháp",), done=False, due=JUNE, period=None):
    return TaskFact(key, f"Nhiệm vụ {key}", tuple(leads), done, due, period)


def rows():
    return [
        RowFact("f2", "2", "Xây dựng và tổ chức thực hiện VBQPPL", None, D("6"), D("4.5"), D("5.5"), D("5.25")),
        RowFact("c21", "2.1", "Theo dõi thi hành pháp luật", "f2", D("2"), D("1"), D("2"), D("2"),
                tasks=(task("a", done=True, period=Q2),)),
        RowFact("c22", "2.2", "Kiểm tra văn bản", "f2", D("4"), D("3.5"), D("3.5"), D("3.25"),
                tasks=(task("b", leads=("Sở Tư pháp", "Sở Nội vụ"), done=True, period=Q3),
                       task("c", leads=("Sở Nội vụ",)))),
        RowFact("c61", "6.1", "Chuyển đổi số", None, D("3"), D("1"), D("2"), D("1.5"),
                tasks=(task("d", leads=("Sở Thông tin và Truyền thông",), done=True, due=None, period=Q2),)),
        RowFact("c71", "7.1", "Một cửa", None, D("2"), D("1"), D("1"), D("1")),
        RowFact("c81", "8.1", "Khảo sát", None, D("2"), D("1"), D("1.5"), None),
    ]


def test_rows_target_against_result_and_points_won_back_or_lost_again():
    out = evaluate(rows())
    by_code = {r.fact.code: r for r in out.rows}
    assert [r.leaf for r in out.rows] == [False, True, True, True, True, True]
    assert (by_code["2.1"].status, by_code["2.1"].change, by_code["2.1"].won_back) == (MET, D("1"), D("1"))
    assert (by_code["2.2"].status, by_code["2.2"].lost_again, by_code["2.2"].still_lost) == (WORSE, D("0.25"), D("0.75"))
    assert by_code["6.1"].status == IMPROVED and by_code["6.1"].target_met is False
    assert by_code["7.1"].status == MET and by_code["7.1"].change == 0  # target was to hold the score
    assert by_code["8.1"].status == NO_RESULT and by_code["8.1"].change is None
    # the field row is not counted on top of its criteria
    assert (out.won_back, out.lost_again, out.net) == (D("1.5"), D("0.25"), D("1.25"))
    assert (out.targets_met, out.targets_set, out.rows_with_result) == (2, 4, 4)


def test_tasks_done_on_time_late_undated_and_not_done():
    out = evaluate(rows())
    timings = {t.key: t.timing for r in out.rows for t in r.fact.tasks}
    assert timings == {"a": ON_TIME, "b": LATE, "c": NOT_DONE, "d": UNDATED}
    assert (out.tasks, out.done, out.on_time, out.late, out.undated) == (4, 3, 1, 1, 1)
    # rows whose tasks were all done against rows with a task not done and rows without tasks
    assert (out.done_rows.rows, out.done_rows.net) == (2, D("1.5"))
    assert (out.undone_rows.rows, out.undone_rows.net) == (1, D("-0.25"))
    assert (out.taskless_rows.rows, out.taskless_rows.net, out.taskless_rows.mean) == (1, D("0"), D("0"))


def test_per_agency_tasks_on_time_and_their_effect():
    agencies = {a.name: a for a in evaluate(rows()).agencies}
    justice, home = agencies["Sở Tư pháp"], agencies["Sở Nội vụ"]
    assert (justice.tasks, justice.done, justice.on_time, justice.late) == (2, 2, 1, 1)
    assert justice.codes == ["2.1", "2.2"] and (justice.won_back, justice.lost_again) == (D("1"), D("0.25"))
    assert (justice.targets_met, justice.targets_set) == (1, 2)
    # two of its tasks on one criterion: the criterion's points count once for the agency
    assert (home.tasks, home.done, home.not_done, home.codes, home.net) == (2, 1, 1, ["2.2"], D("-0.25"))
    assert list(agencies) == ["Sở Nội vụ", "Sở Tư pháp", "Sở Thông tin và Truyền thông"]


def test_verdict_from_totals_then_from_rows():
    assert evaluate(rows(), Totals(D("80"), D("84"), D("84.5"))).verdict == WORKED
    partly = evaluate(rows(), Totals(D("80"), D("84"), D("82")))
    assert partly.verdict == PARTLY and (partly.total_change, partly.total_gap) == (D("2"), D("-2"))
    assert evaluate(rows(), Totals(D("80"), D("84"), D("79.5"))).verdict == DID_NOT_WORK
    assert evaluate(rows()).verdict == PARTLY  # no totals: won back more than lost, not every target met
    assert evaluate([r for r in rows() if r.code == "8.1"]).verdict == UNKNOWN


def test_another_maximum_is_not_compared():
    row = RowFact("x", "3.4.1", "Hồ sơ đúng hạn", None, D("1.5"), D("1"), D("1.5"), D("2"), result_max=D("2.5"))
    out = evaluate([row])
    assert out.rows[0].status == NO_RESULT and out.rows[0].change is None and out.rows_with_result == 0


def test_same_score_is_not_a_change():
    row = RowFact("x", "1.1", "Kế hoạch", None, D("1"), D("0.5"), D("1"), D("0.5"))
    assert evaluate([row]).rows[0].status == SAME


def test_summed_target_adds_what_the_fields_aim_to_gain():
    assert summed_target(D("80"), [(D("4.5"), D("5.5")), (D("10"), D("10.25")), (None, D("3"))]) == D("81.25")
    assert summed_target(None, [(D("1"), D("2"))]) is None


points = st.decimals(min_value=0, max_value=10, places=2)


@settings(deadline=None)
@given(st.lists(st.tuples(points, points, points), min_size=1, max_size=12))
def test_net_is_what_the_leaves_gained(values):
    facts = [RowFact(str(i), f"1.{i}", "", None, D("10"), b, t, r) for i, (b, t, r) in enumerate(values)]
    out = evaluate(facts)
    assert out.net == sum((r - b for b, t, r in values), D(0))
    assert out.won_back >= 0 and out.lost_again >= 0
    assert out.targets_met == sum(1 for b, t, r in values if r >= t)


def test_outcome_chart_is_escaped_svg_with_a_bar_per_field():
    import xml.etree.ElementTree as ET

    from chiso.core.svg import outcome_chart

    svg = outcome_chart([("<b>2. VBQPPL</b>", D("6"), D("4.5"), D("5.5"), D("5.25")),
                         ("8. Tác động", D("10"), D("7"), D("8"), None)], title="Năm 2024 so với kế hoạch")
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg") and "<b>" not in svg
    assert len(root.findall("{http://www.w3.org/2000/svg}g")) == 2 and "5,25 / 6" in svg and "— / 10" in svg
