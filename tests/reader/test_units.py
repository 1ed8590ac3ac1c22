"""Results tables whose rows are units (kind unit_results), in every format of the variant corpus."""
import json

import pytest

from chiso.core import plan_table
from chiso.reader import read_bytes, read_document
from chiso.reader.checks import unit_arithmetic

from .helpers import FIXTURES

UNITS = FIXTURES / "variants" / "unit_results"
FORMATS = [".txt", ".docx", ".ruled.pdf", ".borderless.pdf", ".xlsx"]


def _values(row):
    return {(v["key"], v.get("criterion")): v["value"] for v in row["values"]}


@pytest.mark.parametrize("suffix", FORMATS)
@pytest.mark.parametrize("stem", ["departments", "districts_rank_first_tsv", "communes_by_field"])
def test_every_unit_and_every_value(stem, suffix):
    gold = json.loads((UNITS / f"{stem}.golden.json").read_text(encoding="utf-8"))
    out = read_document(UNITS / f"{stem}{suffix}")
    [table] = out["tables"]
    [want] = gold["tables"]
    assert table["kind"] == "unit_results" and table["year"] == "2024"
    assert [(r["code"], r["name"]) for r in table["rows"]] == [(r["code"], r["name"]) for r in want["rows"]]
    for got, exp in zip(table["rows"], want["rows"]):
        assert _values(got) == _values(exp), got["name"]
        assert got["text"] == exp["text"]
    assert [(c["key"], c.get("criterion"), c.get("max")) for c in table["columns"]] == \
        [(c["key"], c.get("criterion"), c.get("max")) for c in want["columns"]]
    plan_table.parse(out)  # the reader writes the schema


def test_ranked_by_its_first_column_ties_share_a_rank():
    out = read_document(UNITS / "districts_rank_first_tsv.docx")
    rows = out["tables"][0]["rows"]
    codes = [r["code"] for r in rows]
    assert len(set(codes)) == len(codes) - 1  # two units tie
    assert [_values(r)[("rank", None)] for r in rows] == [int(c) for c in codes]
    assert not out["warnings"]


def test_a_wrong_total_percent_and_rank_are_named():
    text = ("KẾT QUẢ XẾP HẠNG CHỈ SỐ CCHC NĂM 2024 CÁC SỞ, BAN, NGÀNH\n"
            "STT\tCơ quan, đơn vị\tĐiểm thẩm định (tối đa 60)\tĐiểm điều tra XHH (tối đa 40)\tTổng điểm\tChỉ số (%)\tXếp hạng\n"
            "1\tSở Tư pháp\t55,5\t35\t90,5\t90,5\t1\n"
            "2\tSở Nội vụ\t50\t30\t81\t80\t2\n"
            "3\tSở Y tế\t50\t35\t85\t80\t3\n")
    out = read_bytes(text.encode(), "xep-hang.txt")
    table = out["tables"][0]
    assert table["kind"] == "unit_results"
    warnings = unit_arithmetic(table)
    assert any("Sở Nội vụ" in w and "80" in w and "81" in w for w in warnings)  # 50 + 30 ≠ 81
    assert any("Sở Y tế" in w and "85/100" in w for w in warnings)  # 85 of 100 is not 80 %
    assert any("Sở Y tế" in w and "hạng 2" in w for w in warnings)  # 85 > 81: rank 2, printed 3
    assert warnings == [w for w in out["warnings"] if w in warnings]


def test_a_criteria_table_with_an_agency_column_stays_a_criteria_table():
    text = ("STT\tTiêu chí\tĐiểm tối đa\tCơ quan, đơn vị\n1\tCông tác chỉ đạo\t9,5\tSở Nội vụ\n"
            "1.1\tKế hoạch CCHC\t1,5\tSở Nội vụ\n")
    out = read_bytes(text.encode(), "ke-hoach.txt")
    assert out["tables"][0].get("kind", "criteria") == "criteria"
