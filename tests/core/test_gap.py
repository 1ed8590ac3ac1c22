"""Gap analysis over the Đắk Nông 2024 plan's printed scores (pure Python)."""
import json
from decimal import Decimal
from pathlib import Path

from chiso.core.gap import GapInput, analyse
from chiso.core.svg import bar_chart

GOLDEN = Path(__file__).resolve().parents[2] / "chiso" / "data" / "demo" / "golden"


def daknong_rows():
    doc = json.loads((GOLDEN / "002_612d7236c16ec5ba.json").read_text(encoding="utf-8"))
    table = next(t for t in doc["tables"] if t["index"] == "PAR_INDEX")
    rows = []
    for r in table["rows"]:
        values = {v["key"]: Decimal(str(v["value"])) for v in r["values"]}
        method = "survey" if (r.get("text") or {}).get("note") == "Điều tra XHH" else "appraisal"
        rows.append(GapInput(r["code"], r["name"], values.get("max_points"), values.get("achieved"), method,
                             bool(r.get("text"))))
    return rows


def test_daknong_lost_points_total_and_order():
    result = analyse(daknong_rows())
    assert result.total_max == Decimal(100)
    assert result.total_lost == Decimal("14.585")
    first = result.fields[0]
    assert first.code == "8" and first.lost == Decimal("4.6") and first.max_points == Decimal("16.5")
    assert [f.lost for f in result.fields] == sorted((f.lost for f in result.fields), reverse=True)


def test_daknong_rounding_gap_of_field_3_is_flagged():
    result = analyse(daknong_rows())
    assert result.leaves_lost == Decimal("14.5855")
    assert result.rounding_gap == Decimal("-0.0005")
    assert [m.code for m in result.mismatches] == ["3"]


def test_lost_points_split_by_method_add_up_to_leaves():
    result = analyse(daknong_rows())
    assert sum(result.lost_by_method.values()) == result.leaves_lost
    assert set(result.lost_by_method) <= {"survey", "appraisal"}


def test_bar_chart_escapes_labels():
    svg = bar_chart([("<script>", Decimal(1), Decimal(2))], title="A & B")
    assert "<script>" not in svg and "&lt;script&gt;" in svg and svg.startswith("<svg")
