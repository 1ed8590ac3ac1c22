"""Shared paths and the scorer loader for the reader tests (no Django)."""
from __future__ import annotations

import importlib.util
import json
from functools import lru_cache
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "reader"
GOLDEN = FIXTURES / "golden"
SYNTHETIC = FIXTURES / "synthetic"
SEEDS = REPO / "chiso" / "data" / "demo"
SHARED_TOOLS = Path(__file__).resolve().parents[2].parent / "shared" / "tools"


@lru_cache(maxsize=1)
def _load_scorer():
    path = SHARED_TOOLS / "score_ingest.py"
    if not path.exists():
        return None
    spec = importlib.util.spec_from_file_location("score_ingest", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def scorer():
    module = _load_scorer()
    if module is None:
        pytest.skip(f"the shared scorer is absent ({SHARED_TOOLS / 'score_ingest.py'}); scoring tests need the shared/ checkout")
    return module


def score(gold: dict, out: dict) -> tuple[float, list[str]]:
    passed, total, misses = scorer().score_document(gold, out)
    return (passed / total if total else 0.0), misses


def golden(stem: str) -> dict:
    return json.loads((GOLDEN / f"{stem}.json").read_text(encoding="utf-8"))


def seed_stems() -> list[str]:
    return sorted(p.stem for p in GOLDEN.glob("*.json"))


def encrypted_pdf() -> bytes:
    """A minimal PDF whose standard security handler needs a password the reader does not have."""
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
        b"<< /Filter /Standard /V 1 /R 2 /O <" + b"41" * 32 + b"> /U <" + b"42" * 32 + b"> /P -44 >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += (b"trailer\n<< /Size %d /Root 1 0 R /Encrypt 4 0 R /ID [<" % (len(objs) + 1)
            + b"00" * 16 + b"><" + b"00" * 16 + b">] >>\nstartxref\n%d\n%%%%EOF\n" % xref)
    return bytes(out)
