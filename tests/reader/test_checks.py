"""The document's own arithmetic: roman-numbered fields, partial listings, misprints."""
from chiso.reader.checks import arithmetic, outline


def row(code, mx=None, got=None):
    values = [] if mx is None else [{"key": "max_points", "value": mx}]
    if got is not None:
        values.append({"key": "achieved", "year": "2023", "value": got})
    return {"code": code, "name": code, "values": values}


COLUMNS = [{"key": "max_points", "label": "Điểm tối đa"}, {"key": "achieved", "year": "2023", "label": "Điểm 2023"}]


def test_roman_fields_hold_the_arabic_criteria_below_them():
    rows = [row("I"), row("1"), row("1.1"), row("2"), row("II"), row("1"), row("A")]
    tops, children = outline(rows)
    assert tops == [0, 4]
    assert children == {0: [1, 3], 1: [2], 4: [5]}


def test_dotted_codes_without_roman_fields():
    rows = [row("1"), row("1.1"), row("1.2"), row("2"), row("2.1"), row("3.1")]
    tops, children = outline(rows)
    assert tops == [0, 3] and children == {0: [1, 2], 3: [4]}  # 3.1 has no parent 3 printed


def test_a_misprinted_parent_is_named():
    table = {"index": "PAR_INDEX", "columns": COLUMNS,
             "rows": [row("I", 3, 2.5), row("1", 1, 1), row("2", 2, 1.4)]}
    assert arithmetic(table) == ["PAR_INDEX: mục I, cột «Điểm 2023» in 2.5 nhưng các mục con 1 + 2 cộng lại là 2.4."]


def test_a_partial_listing_is_one_note_not_a_misprint_per_column():
    table = {"index": "PAR_INDEX", "columns": COLUMNS,
             "rows": [row("I", 9.5, 9), row("1", 1.5, 1.25), row("2", 1, 0.75)],
             "total": [{"key": "max_points", "value": 9.5}, {"key": "achieved", "year": "2023", "value": 9}]}
    warnings = arithmetic(table)
    assert len(warnings) == 1 and "mục I" in warnings[0] and "chỉ liệt kê 1 + 2" in warnings[0]


def test_the_total_against_the_fields():
    table = {"index": "PAR_INDEX", "columns": COLUMNS,
             "rows": [row("1", 60, 50), row("2", 40, 30.5)],
             "total": [{"key": "max_points", "value": 100}, {"key": "achieved", "year": "2023", "value": 80}]}
    assert arithmetic(table) == ["PAR_INDEX: dòng tổng, cột «Điểm 2023» in 80 nhưng tổng các lĩnh vực 1, 2 là 80.5."]


def test_ranges_are_checked_at_both_ends():
    cols = [{"key": "target", "year": "2025", "label": "Mục tiêu 2025"}]

    def target(code, v):
        return {"code": code, "name": code, "values": [{"key": "target", "year": "2025", "value": v}]}

    ok = {"index": "SIPAS", "columns": cols, "rows": [target("1", [5, 7]), target("1.1", [2, 3]), target("1.2", [3, 4])]}
    assert arithmetic(ok) == []
    low_off = {"index": "SIPAS", "columns": cols,
               "rows": [target("1", [6, 7]), target("1.1", [2, 3]), target("1.2", [3, 4])]}
    [msg] = arithmetic(low_off)
    assert "in 6 - 7" in msg and "là 5 - 7" in msg
    scalar_parent = {"index": "SIPAS", "columns": cols, "rows": [target("1", 7), target("1.1", [2, 3]), target("1.2", 4)]}
    [msg] = arithmetic(scalar_parent)
    assert "in 7" in msg and "là 6 - 7" in msg
