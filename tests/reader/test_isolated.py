"""Reading in a child process: progress relayed, errors carried back with their codes, memory and
time limits turned into too_large / too_slow while the caller's own memory is untouched."""
import signal

import pytest

from chiso.reader import ReaderError
from chiso.reader.isolated import _died, read_document_isolated, read_rows_isolated
from tests.reader.bombs import ods_repeated, xlsx_bomb
from tests.reader.helpers import FIXTURES


def test_a_document_is_read_in_a_child_with_its_progress():
    seen = []
    result = read_document_isolated(FIXTURES / "000_c15530573d130bd3.xlsx", progress=lambda f, m: seen.append(f))
    assert result["schema"] == "chiso.plan-table/1" and len(result["tables"]) == 3
    assert seen[0] == 0.05 and seen[-1] == 1.0


def test_the_readers_refusal_comes_back_with_its_code(tmp_path):
    path = tmp_path / "bom.xlsx"
    path.write_bytes(xlsx_bomb(2 * 1024 * 1024)[0])
    with pytest.raises(ReaderError) as caught:
        read_document_isolated(path)
    assert caught.value.code == "too_large" and str(caught.value).startswith("Tệp «bom.xlsx»:")


def test_a_reading_that_needs_too_much_memory_is_stopped(tmp_path, monkeypatch):
    monkeypatch.setenv("CHISO_READER_MAX_CELLS", str(10 ** 12))  # let the cell checks pass: the memory limit acts
    path = tmp_path / "lap.ods"
    path.write_bytes(ods_repeated(100_000, 1000))  # 10^8 cells from 1 KB: calamine would need gigabytes
    with pytest.raises(ReaderError) as caught:
        read_document_isolated(path, memory=400 * 1048576)
    assert caught.value.code == "too_large" and "400 MB" in str(caught.value)


def test_a_reading_past_its_time_is_stopped():
    with pytest.raises(ReaderError) as caught:
        read_document_isolated(FIXTURES / "000_c15530573d130bd3.pdf", seconds=0.01)
    assert caught.value.code == "too_slow"


def test_rows_of_a_spreadsheet_come_back_as_json_values():
    rows = read_rows_isolated(FIXTURES / "000_c15530573d130bd3.xlsx")
    sheet, line, values = rows[5]
    assert isinstance(sheet, str) and line == 6 and values == ["I", "CHỈ SỐ PAR INDEX"]


def test_a_child_that_dies_is_named_by_what_killed_it():
    assert _died(-signal.SIGXCPU, "a.pdf", 1 << 30, "").code == "too_slow"
    assert _died(-signal.SIGABRT, "a.ods", 1 << 30, "memory allocation of 8 bytes failed").code == "too_large"
    assert _died(-signal.SIGSEGV, "a.pdf", 1 << 30, "").code == "corrupt"
