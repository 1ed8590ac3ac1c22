from decimal import Decimal as D

from hypothesis import given, settings, strategies as st

from chiso.core.internal_index import (DEFAULT_THRESHOLDS, IndexLine, check_thresholds, classify, combine, field_indices,
                                       from_sums, standings, unit_index)

# no per-example deadline: the machine is shared, and a slow example is no wrong one
PROPERTY = settings(deadline=None)


def test_index_is_points_over_applicable_max():
    lines = [IndexLine("1.1", D(10), D(8)), IndexLine("1.2", D(10), D(2)), IndexLine("2.1", D(20), None, False)]
    result = unit_index(lines)
    assert (result.points, result.max_points, result.index, result.complete) == (D(10), D(20), D(50), True)
    assert result.not_applicable == 1


def test_not_applicable_rescales_the_index():
    applies = [IndexLine("1.1", D(10), D(9)), IndexLine("2.1", D(10), D(0))]
    skipped = [IndexLine("1.1", D(10), D(9)), IndexLine("2.1", D(10), D(0), applicable=False)]
    assert unit_index(applies).index == D(45)
    assert unit_index(skipped).index == D(90)


def test_missing_points_count_zero_and_mark_incomplete():
    result = unit_index([IndexLine("1.1", D(10), D(10)), IndexLine("1.2", D(10), None)])
    assert result.index == D(50) and not result.complete


def test_nothing_applicable_has_no_index():
    result = unit_index([IndexLine("1.1", D(10), None, False)])
    assert result.index is None and result.published_index is None
    assert classify(result.index) == ""


def test_field_indices_group_by_first_code_part():
    lines = [IndexLine("1.1", D(4), D(4)), IndexLine("1.2.1", D(6), D(3)), IndexLine("2.1", D(5), D(1), False)]
    fields = field_indices(lines)
    assert list(fields) == ["1", "2"]
    assert fields["1"].index == D(70) and fields["2"].index is None


def test_classification_thresholds():
    assert classify(D("89.996")) == "Xuất sắc"  # published as 90,00
    assert classify(D("89.994")) == "Tốt"
    assert classify(D(70)) == "Khá"
    assert classify(D("49.99")) == "Yếu"


def test_threshold_checks():
    assert check_thresholds(DEFAULT_THRESHOLDS) == []
    assert check_thresholds([]) == ["Cần ít nhất một mức xếp loại."]
    problems = check_thresholds([(D(50), "Tốt"), (D(80), "Tốt"), (D(10), "")])
    assert len(problems) == 4


def test_standings_rank_ties_change_and_improvement():
    now = {"a": unit_index([IndexLine("1", D(100), D(90))]),
           "b": unit_index([IndexLine("1", D(100), D(95))]),
           "c": unit_index([IndexLine("1", D(50), D(45))]),   # 90 too: shares rank 2
           "d": unit_index([IndexLine("1", D(10), None, False)])}
    rows = standings(now, previous={"a": D(80), "b": D(94), "c": None})
    assert [(s.key, s.rank) for s in rows] == [("b", 1), ("a", 2), ("c", 2), ("d", None)]
    by = {s.key: s for s in rows}
    assert by["a"].change == D(10) and by["a"].improvement_rank == 1
    assert by["b"].change == D(1) and by["b"].improvement_rank == 2
    assert by["c"].change is None and by["c"].improvement_rank is None
    assert by["a"].classification == "Xuất sắc"


points = st.decimals(min_value=0, max_value=20, places=2, allow_nan=False, allow_infinity=False)


@st.composite
def unit_lines(draw):
    n = draw(st.integers(1, 12))
    lines = []
    for i in range(n):
        max_points = draw(st.decimals(min_value=D("0.5"), max_value=20, places=2))
        got = draw(st.decimals(min_value=0, max_value=max_points, places=2))
        lines.append(IndexLine(f"{i % 3 + 1}.{i}", max_points, got, draw(st.booleans())))
    return lines


@PROPERTY
@given(unit_lines())
def test_index_between_0_and_100(lines):
    result = unit_index(lines)
    if result.index is None:
        assert all(not line.applicable for line in lines)
    else:
        assert D(0) <= result.index <= D(100)


@PROPERTY
@given(unit_lines())
def test_fields_add_up_to_the_unit(lines):
    fields = field_indices(lines)
    whole = unit_index(lines)
    assert sum(f.points for f in fields.values()) == whole.points
    assert sum(f.max_points for f in fields.values()) == whole.max_points


@PROPERTY
@given(st.dictionaries(st.sampled_from("abcdefgh"), unit_lines(), min_size=1))
def test_ranks_follow_the_index(units):
    rows = standings({k: unit_index(v) for k, v in units.items()})
    ranked = [s for s in rows if s.rank is not None]
    for higher, lower in zip(ranked, ranked[1:]):
        assert higher.result.published_index >= lower.result.published_index
        assert (higher.rank == lower.rank) == (higher.result.published_index == lower.result.published_index)
    assert all(s.rank is not None or s.result.index is None for s in rows)


@PROPERTY
@given(unit_lines())
def test_fields_combine_to_the_unit_and_sums_agree(lines):
    whole = unit_index(lines)
    assert combine(field_indices(lines).values()) == whole
    applicable = [line for line in lines if line.applicable]
    assert from_sums(sum((line.points for line in applicable), D(0)), sum((line.max_points for line in applicable), D(0)),
                     0, len(lines) - len(applicable)) == whole
