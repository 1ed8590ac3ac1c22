"""Mangled inputs: whatever the bytes, the reader returns a plan table or raises ReaderError, nothing else.

The reader turns any exception into ReaderError("corrupt"), so that a broken file gets a message,
which would hide a crash of the reader's own code. In strict mode (CHISO_FUZZ_STRICT=1) an
exception raised inside chiso's own code is let through, and only a library's failure on a
malformed file (raised inside openpyxl, zipfile, pdfplumber…) counts as a reader error.
CHISO_FUZZ_EXAMPLES sets the examples per test (100 by default):

    CHISO_FUZZ_STRICT=1 CHISO_FUZZ_EXAMPLES=2000 .venv/bin/python -m pytest tests/reader/test_fuzz.py
"""
import os
from pathlib import Path

import chiso

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chiso.reader import ReaderError, read_bytes

from .helpers import FIXTURES, SEEDS

SAMPLES = sorted(p for p in FIXTURES.glob("*.*") if p.suffix in (".docx", ".xlsx", ".html", ".pdf")) + sorted(SEEDS.glob("*.txt"))
_CACHE: dict[Path, bytes] = {}


def _bytes(p: Path) -> bytes:
    if p not in _CACHE:
        _CACHE[p] = p.read_bytes()
    return _CACHE[p]


STRICT = os.environ.get("CHISO_FUZZ_STRICT", "") not in ("", "0")
CHISO = Path(chiso.__file__).resolve().parent


def own_crash(error: ReaderError) -> BaseException | None:
    """The exception a catch-all turned into `error` when chiso's own code raised it (the
    innermost frame is ours); None for the reader's own messages and for a library's failure."""
    cause = error.__cause__
    if not error.unexpected or cause is None or isinstance(cause, ReaderError):
        return None
    tb, last = cause.__traceback__, None
    while tb is not None:
        last, tb = tb.tb_frame.f_code.co_filename, tb.tb_next
    return cause if last and Path(last).resolve().is_relative_to(CHISO) else None


def _read(data: bytes, name: str = "fuzz.bin") -> None:
    try:
        out = read_bytes(data, name)
    except ReaderError as e:
        assert e.code and str(e)
        if STRICT and (crash := own_crash(e)) is not None:
            raise crash from e
        return
    assert out["schema"] == "chiso.plan-table/1" and isinstance(out["tables"], list)


@st.composite
def mangled(draw):
    data = _bytes(draw(st.sampled_from(SAMPLES)))
    how = draw(st.sampled_from(["truncate", "flip", "splice"]))
    if how == "truncate":
        return data[: draw(st.integers(0, len(data)))]
    buf = bytearray(data)
    if how == "flip":
        for _ in range(draw(st.integers(1, 8))):
            i = draw(st.integers(0, len(buf) - 1))
            buf[i] ^= 1 << draw(st.integers(0, 7))
        return bytes(buf)
    i = draw(st.integers(0, len(buf)))
    return bytes(buf[:i]) + draw(st.binary(max_size=64)) + bytes(buf[i:])


_cell = st.one_of(st.text(max_size=12), st.from_regex(r"-?\d{1,3}([.,]\d{1,4})?", fullmatch=True),
                  # numbers as people mistype them: long, grouped, signed, ranges, units
                  st.from_regex(r"[-−–+(]?[0-9]{1,25}([.,][0-9]{1,6}){0,3}[)%]?( điểm)?( ?[-–] ?[0-9]{1,4}([.,][0-9]{1,3})?)?",
                                fullmatch=True),
                  st.sampled_from(["STT", "Tiêu chí", "Điểm tối đa", "Điểm bị trừ", "TỔNG ĐIỂM", "I", "1.1.", "(1)", "Chủ trì",
                                   "Điểm đạt 2024", "Mục tiêu năm 2025", "Điểm thẩm định", "Phối hợp", "Thời gian", "x", "-"]))
_lines = st.lists(st.lists(_cell, min_size=1, max_size=7).map("\t".join), max_size=30).map("\n".join)

FUZZ = settings(max_examples=int(os.environ.get("CHISO_FUZZ_EXAMPLES", "100")), deadline=None,
                suppress_health_check=list(HealthCheck))


@FUZZ
@given(st.binary(max_size=2048))
def test_random_bytes(data):
    _read(data)


@FUZZ
@given(mangled())
def test_mangled_fixtures_and_seeds(data):
    _read(data)


@FUZZ
@given(_lines)
def test_random_tab_text(text):
    _read(text.encode("utf-8"), "fuzz.txt")


def test_strict_mode_tells_a_crash_of_ours_from_a_library_failure():
    try:
        read_bytes(b"PK\x03\x04 not a zip", "x.xlsx")
    except ReaderError as e:
        assert own_crash(e) is None  # zipfile's complaint about a broken file: a reader error
    from chiso.core.tree import parent_code

    for crash, ours in ((lambda: parent_code(None), True), (lambda: [][0], False)):
        try:
            try:
                crash()
            except Exception as inner:
                error = ReaderError("corrupt", "x.txt")
                error.unexpected = True
                raise error from inner
        except ReaderError as e:
            assert (own_crash(e) is not None) == ours  # raised in chiso's code, or in this test's
