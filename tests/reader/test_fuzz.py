"""Mangled inputs: whatever the bytes, the reader returns a plan table or raises ReaderError, nothing else."""
from pathlib import Path

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


def _read(data: bytes, name: str = "fuzz.bin") -> None:
    try:
        out = read_bytes(data, name)
    except ReaderError as e:
        assert e.code and str(e)
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
                  st.sampled_from(["STT", "Tiêu chí", "Điểm tối đa", "Điểm bị trừ", "TỔNG ĐIỂM", "I", "1.1.", "(1)", "Chủ trì"]))
_lines = st.lists(st.lists(_cell, min_size=1, max_size=7).map("\t".join), max_size=30).map("\n".join)

FUZZ = settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))


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
