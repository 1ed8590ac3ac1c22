"""The one schema of chiso.plan-table/1: every reading parses, every problem names its place."""
import json
from pathlib import Path

import pytest

from chiso.core import plan_table

GOLDEN = Path(__file__).resolve().parents[2] / "chiso" / "data" / "demo" / "golden"


@pytest.mark.parametrize("path", sorted(GOLDEN.glob("*.json")), ids=lambda p: p.stem[:3])
def test_the_golden_readings_parse_and_dump_back(path):
    data = json.loads(path.read_text(encoding="utf-8"))
    doc = plan_table.parse(data, path.name)
    out = plan_table.dump(doc)
    assert out["tables"][0]["rows"] == data["tables"][0]["rows"]
    assert [t.get("total") for t in out["tables"]] == [t.get("total") for t in data["tables"]]


def test_every_problem_is_named_with_its_place():
    bad = {"schema": "chiso.plan-table/1", "tables": [
        {"index": "PAR", "rows": [{"code": "1", "values": [{"key": "points", "value": 1},
                                                          {"key": "target", "value": [1, 2, 3]},
                                                          {"key": "target", "value": "abc"}]}]}]}
    with pytest.raises(plan_table.PlanTableError) as err:
        plan_table.parse(bad, "x.json")
    problems = err.value.problems
    assert any(p.startswith("tables[0].index: 'PAR' không thuộc") for p in problems)
    assert any(p.startswith("tables[0].rows[0].values[0].key: 'points'") for p in problems)
    assert "tables[0].rows[0].values[1].value: khoảng giá trị phải có đúng 2 số" in problems
    assert "tables[0].rows[0].values[2].value: 'abc' không phải là số" in problems


def test_wrong_schema_and_rows_without_code_or_name():
    with pytest.raises(plan_table.PlanTableError, match="schema phải là"):
        plan_table.parse({"schema": "other/1", "tables": []})
    with pytest.raises(plan_table.PlanTableError, match=r"tables\[0\]\.rows\[1\]: dòng không có STT và tên"):
        plan_table.parse({"schema": plan_table.SCHEMA, "tables": [{"index": "SIPAS", "rows": [{"code": "1"}, {"name": " "}]}]})
    with pytest.raises(plan_table.PlanTableError):
        plan_table.parse(["not", "a", "dict"])


def test_results_by_unit_round_trip():
    data = {"schema": plan_table.SCHEMA, "source": "x.docx", "document": {"issuer": "UBND tỉnh Kon Tum"},
            "tables": [{"kind": "unit_results", "index": "PAR_INDEX", "caption": "Xếp hạng", "year": 2024,
                        "columns": [{"key": "score", "year": "2024", "criterion": 1, "max": 9.5, "label": "I (9,5)"},
                                    {"key": "rank", "year": "2024", "label": "Xếp hạng"}],
                        "rows": [{"code": "1", "name": "Sở Tư pháp",
                                  "values": [{"key": "score", "year": "2024", "criterion": "1", "value": 9.25},
                                             {"key": "rank", "year": "2024", "value": 1}], "text": {"grade": "Tốt"}}]}]}
    doc = plan_table.parse(data)
    [table] = doc.unit_results
    assert table.year == "2024" and table.columns[0].criterion == "1" and table.columns[0].max == 9.5
    assert table.rows[0].value("score", "2024", "1") == 9.25
    out = plan_table.dump(doc)
    assert out["tables"][0]["kind"] == "unit_results"
    assert out["tables"][0]["columns"][0] == {"key": "score", "year": "2024", "criterion": "1", "max": 9.5, "label": "I (9,5)"}
    assert plan_table.parse(out).tables[0].rows[0].text == {"grade": "Tốt"}
