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


def test_the_reading_child_dies_with_the_process_that_started_it(tmp_path):
    """A worker killed in the middle of a reading leaves no reader process behind (Linux)."""
    import os
    import subprocess
    import sys
    import time

    path = tmp_path / "dai.txt"  # 24 MB of lines without a table: seconds of reading
    path.write_text("".join(f"Nhiệm vụ cải cách hành chính số {i} của tỉnh, thực hiện theo kế hoạch\n"
                            for i in range(250_000)), encoding="utf-8")
    parent = subprocess.Popen([sys.executable, "-c", "import sys; from chiso.reader.isolated import "
                               "read_document_isolated as r; r(sys.argv[1])", str(path)], stderr=subprocess.DEVNULL)

    def children() -> list[int]:
        found = []
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                with open(f"/proc/{pid}/stat") as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == parent.pid:
                        found.append(int(pid))
            except (OSError, ValueError, IndexError):
                continue
        return found

    deadline = time.monotonic() + 30
    while not children() and time.monotonic() < deadline:
        time.sleep(0.05)
    reader = children()
    assert reader, "the reading child never started"
    time.sleep(2)  # past its first progress message: from then on it only reads, writing nothing
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 2  # the reading alone would go on for seconds
    while os.path.exists(f"/proc/{reader[0]}") and time.monotonic() < deadline:
        time.sleep(0.05)
    state = open(f"/proc/{reader[0]}/stat").read().rsplit(")", 1)[1].split()[0] if os.path.exists(
        f"/proc/{reader[0]}") else "gone"
    assert state in ("gone", "Z")


def test_the_child_sees_no_secret_of_the_server(monkeypatch):
    from chiso.reader import isolated

    monkeypatch.setenv("CHISO_SECRET_KEY", "do-not-leak")
    monkeypatch.setenv("CHISO_DATABASE_URL", "postgres://user:password@db/chiso")
    seen = {}

    class Spy:
        def __init__(self, args, env, **kwargs):
            seen.update(env)
            raise OSError("stop here")

    monkeypatch.setattr(isolated.subprocess, "Popen", Spy)
    with pytest.raises(OSError):
        read_document_isolated(FIXTURES / "000_c15530573d130bd3.xlsx")
    assert "CHISO_SECRET_KEY" not in seen and "CHISO_DATABASE_URL" not in seen and "PATH" in seen
