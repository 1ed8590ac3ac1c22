"""A person's corrections of a reading (pure): a cell, a column's type, two rows merged."""
import pytest

from chiso.ingest.corrections import CorrectionError, apply, apply_all


def reading():
    return {"schema": "chiso.plan-table/1", "document": {}, "tables": [{
        "index": "PAR_INDEX", "caption": "",
        "columns": [{"key": "max_points", "label": "Điểm tối đa"}, {"key": "achieved", "year": "2024", "label": "Điểm 2024"}],
        "text_columns": [{"key": "tasks", "label": "Nhiệm vụ"}, {"key": "note", "label": "Ghi chú"}],
        "rows": [
            {"code": "1.1", "name": "Kế hoạch CCHC", "values": [{"key": "max_points", "value": 1.5},
                                                              {"key": "achieved", "year": "2024", "value": 1.25}],
             "text": {"tasks": "Ban hành kế hoạch", "note": "Sở Nội vụ"}},
            {"code": None, "name": "năm 2025", "values": [], "text": {"tasks": "đúng hạn"}},
            {"code": "1.2", "name": "Báo cáo", "values": [{"key": "max_points", "value": 0.5}], "text": {"note": "Văn phòng UBND tỉnh"}},
        ],
        "review": [{"row": 1, "field": "name", "why": "nối"}, {"row": 2, "field": "text.note", "why": "đoán"},
                   {"row": None, "field": "text.note", "why": "đoán"}],
    }]}


def test_a_cell_takes_a_number_typed_with_a_decimal_comma_or_a_range():
    doc = reading()
    done = apply(doc, {"kind": "cell", "table": 0, "row": 0, "field": "value.achieved.2024", "value": "1,5"})
    assert done["old"] == 1.25
    assert {"key": "achieved", "year": "2024", "value": 1.5} in doc["tables"][0]["rows"][0]["values"]
    apply(doc, {"kind": "cell", "table": 0, "row": 2, "field": "value.target.2025", "value": "0,25 - 0,5"})
    assert doc["tables"][0]["rows"][2]["values"][-1] == {"key": "target", "year": "2025", "value": [0.25, 0.5]}
    assert any(c["key"] == "target" for c in doc["tables"][0]["columns"])  # the new column is declared
    apply(doc, {"kind": "cell", "table": 0, "row": 0, "field": "text.tasks", "value": ""})
    assert "tasks" not in doc["tables"][0]["rows"][0]["text"]


def test_invalid_input_never_becomes_a_number():
    with pytest.raises(CorrectionError, match="dòng 1.1: «một rưỡi» không phải là số"):
        apply(reading(), {"kind": "cell", "table": 0, "row": 0, "field": "value.achieved.2024", "value": "một rưỡi"})
    for bad in ({"kind": "cell", "table": 3, "row": 0, "field": "name", "value": "x"},
                {"kind": "cell", "table": 0, "row": 9, "field": "name", "value": "x"},
                {"kind": "cell", "table": 0, "row": 0, "field": "text.colour", "value": "x"},
                {"kind": "merge", "table": 0, "row": 0},
                {"kind": "column", "table": 0, "from": "text.note", "to": "text.nothing"},
                {"kind": "drop"}):
        with pytest.raises(CorrectionError):
            apply(reading(), bad)


def test_a_column_read_as_the_wrong_kind_moves_every_cell():
    doc = reading()
    apply(doc, {"kind": "column", "table": 0, "from": "text.note", "to": "text.lead"})
    rows = doc["tables"][0]["rows"]
    assert rows[0]["text"]["lead"] == "Sở Nội vụ" and "note" not in rows[0]["text"]
    assert rows[2]["text"] == {"lead": "Văn phòng UBND tỉnh"}
    assert {"key": "lead", "label": "Ghi chú"} in doc["tables"][0]["text_columns"]
    assert all(h["field"] != "text.note" for h in doc["tables"][0]["review"])  # checked: no longer marked
    apply(doc, {"kind": "column", "table": 0, "from": "value.achieved.2024", "to": "value.target.2025"})
    assert {"key": "target", "year": "2025", "value": 1.25} in rows[0]["values"]
    assert [c["key"] for c in doc["tables"][0]["columns"]] == ["max_points", "target"]


def test_a_text_column_becomes_numbers_only_when_every_cell_is_one():
    with pytest.raises(CorrectionError, match="không phải là số"):
        apply(reading(), {"kind": "column", "table": 0, "from": "text.note", "to": "value.target.2025"})


def test_merging_a_fragment_into_the_row_above():
    doc = reading()
    apply(doc, {"kind": "merge", "table": 0, "row": 1})
    rows = doc["tables"][0]["rows"]
    assert len(rows) == 2
    assert rows[0]["name"] == "Kế hoạch CCHC năm 2025" and rows[0]["text"]["tasks"] == "Ban hành kế hoạch đúng hạn"
    # the merged row's hint is gone and the later row's hint moved up with it
    assert doc["tables"][0]["review"][0] == {"row": 1, "field": "text.note", "why": "đoán"}


def test_corrections_apply_in_order_on_a_copy():
    original = reading()
    out = apply_all(original, [{"kind": "merge", "table": 0, "row": 1},
                               {"kind": "cell", "table": 0, "row": 1, "field": "name", "value": "Báo cáo CCHC"}])
    assert out["tables"][0]["rows"][1]["name"] == "Báo cáo CCHC"
    assert len(original["tables"][0]["rows"]) == 3
