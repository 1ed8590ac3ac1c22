"""Bounded reading: zip bombs, lying zip headers and oversized sheets are refused before (or
while) they are parsed, with the reader's `too_large` / `corrupt` codes. Time and memory of the
full-size bomb are measured by bench/bomb.py."""
import pytest

from chiso.reader import ReaderError, read_bytes
from chiso.reader.limits import CellBudget, check_zip
from tests.reader.bombs import docx_bomb, lying_sizes, ods_repeated, xlsx_bomb, xlsx_dense, xlsx_with_sheet


def refusal(data: bytes, name: str) -> ReaderError:
    with pytest.raises(ReaderError) as caught:
        read_bytes(data, name)
    return caught.value


def test_the_issues_bomb_shape_is_refused_by_its_compression_ratio():
    data, _cells = xlsx_bomb(4 * 1024 * 1024)  # the same shape as the 45 MB one, smaller to build
    err = refusal(data, "bom.xlsx")
    assert err.code == "too_large" and "nén" in str(err) and "bom.xlsx" in str(err)


def test_a_word_bomb_is_refused():
    err = refusal(docx_bomb(4 * 1024 * 1024), "bom.docx")
    assert err.code == "too_large" and "word/document.xml" in str(err)


def test_a_member_larger_than_its_header_says_is_refused():
    data, _ = xlsx_dense(64 * 1024)
    lying = lying_sizes(data, "xl/worksheets/sheet1.xml", 1000)
    err = refusal(lying, "noi-doi.xlsx")
    assert err.code == "too_large" and "kích thước khai báo" in str(err)


def test_the_total_uncompressed_size_is_capped(monkeypatch):
    monkeypatch.setenv("CHISO_READER_MAX_UNZIPPED_MB", "0.1")
    data, _ = xlsx_dense(256 * 1024)
    with pytest.raises(ReaderError, match="vượt giới hạn 0,1 MB"):
        check_zip(data, "lon.xlsx")


def test_values_are_counted_in_the_inflated_bytes_before_parsing(monkeypatch):
    monkeypatch.setenv("CHISO_READER_MAX_CELLS", "5000")
    data, cells = xlsx_dense(256 * 1024)  # compresses only a few times: passes the ratio check
    assert cells > 5000
    err = refusal(data, "nhieu-o.xlsx")
    assert err.code == "too_large" and "5.000 ô" in str(err)


def test_a_far_away_cell_is_refused_while_streaming():
    """Two values, but the grid the reader would build is 200 000 rows by 16 384 columns."""
    rows = ['<row r="1"><c r="A1" t="inlineStr"><is><t>STT</t></is></c></row>',
            '<row r="200000"><c r="XFD200000"><v>1</v></c></row>']
    err = refusal(xlsx_with_sheet(rows), "xa.xlsx")
    assert err.code == "too_large" and "Sheet1" in str(err)


def test_merged_ranges_piled_on_each_other_are_refused():
    rows = [f'<row r="{r}"><c r="A{r}"><v>1</v></c><c r="T{r}"><v>2</v></c></row>' for r in range(1, 1001)]
    merges = '<mergeCells count="2000">' + '<mergeCell ref="A1:T1000"/>' * 2000 + "</mergeCells>"
    err = refusal(xlsx_with_sheet(rows, after=merges), "gop.xlsx")
    assert err.code == "too_large"


def test_merged_ranges_are_still_read_from_the_streamed_sheet():
    from chiso.reader.formats.sheets import read_sheets
    from chiso.reader.model import Table

    rows = ['<row r="1"><c r="A1" t="inlineStr"><is><t>Tiêu chí</t></is></c></row>',
            '<row r="2"><c r="A2"><v>1</v></c><c r="B2"><v>2</v></c></row>']
    doc = read_sheets(xlsx_with_sheet(rows, after='<mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells>'),
                      "gop.xlsx")
    table = next(b for b in doc.blocks if isinstance(b, Table))
    assert [c.text for c in table.rows[0]] == ["Tiêu chí", "Tiêu chí"] and table.rows[0][1].covered_h


def test_an_ods_of_repeated_cells_is_refused(monkeypatch):
    monkeypatch.setenv("CHISO_READER_MAX_CELLS", "100000")
    data = ods_repeated(1000, 200)
    assert len(data) < 3000
    err = refusal(data, "lap.ods")
    assert err.code == "too_large" and "100.000 ô" in str(err)


def test_an_ods_grid_counts_repeats_but_not_the_empty_sheet_after_it():
    """LibreOffice ends each sheet with a million repeated empty rows: they cost nothing."""
    from chiso.reader.limits import _OdsGrid

    content = ('<table:table table:name="S"><table:table-row table:number-rows-repeated="3">'
               '<table:table-cell office:value-type="string"><text:p>a</text:p></table:table-cell>'
               '<table:table-cell table:number-columns-repeated="4"/>'
               '<table:table-cell table:number-columns-repeated="2" office:value-type="float" office:value="1"/>'
               '<table:table-cell table:number-columns-repeated="1016"/></table:table-row>'
               '<table:table-row table:number-rows-repeated="1048573"><table:table-cell '
               'table:number-columns-repeated="1024"/></table:table-row><table:table-row/></table:table>')
    grid = _OdsGrid()
    for i in range(0, len(content), 7):  # tags cut anywhere between chunks
        grid.feed(content[i:i + 7].encode())
    assert grid.cells == 3 * 7


def test_a_damaged_archive_is_corrupt():
    data, _ = xlsx_dense(16 * 1024)
    err = refusal(data[: len(data) // 2], "hong.xlsx")
    assert err.code == "corrupt"


def test_cell_budget_counts_the_grid_and_the_empty_rows():
    budget = CellBudget("x", limit=100)
    budget.start_sheet()
    assert budget.row((1, None, "", None)) == [1]
    for _ in range(8):
        budget.row((None,) * 40)  # empty rows cost only while scanning
    assert budget.rows == 1 and budget.pending == 8
    budget.row((1,) * 10)
    assert budget.rows * budget.width == 100
    with pytest.raises(ReaderError):
        budget.row((1,))
    scanning = CellBudget("x", limit=10)
    scanning.start_sheet()
    with pytest.raises(ReaderError):
        for _ in range(41):
            scanning.row(())
