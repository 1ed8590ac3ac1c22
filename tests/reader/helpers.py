"""Shared paths and the scorer loader for the reader tests (no Django)."""
from __future__ import annotations

import difflib
import importlib.util
import json
import os
from functools import lru_cache
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "reader"
GOLDEN = FIXTURES / "golden"
SYNTHETIC = FIXTURES / "synthetic"
SEEDS = REPO / "chiso" / "data" / "demo"


def _shared_tools() -> Path:
    """CHISO_SHARED_TOOLS, else the shared/ folder beside the checkout or beside its parent
    (a worktree under /work/wt/<name> shares /work/shared with /work/main)."""
    if os.environ.get("CHISO_SHARED_TOOLS"):
        return Path(os.environ["CHISO_SHARED_TOOLS"])
    near = [parent / "shared" / "tools" for parent in REPO.parents[:2]]
    return next((p for p in near if p.exists()), near[0])


SHARED_TOOLS = _shared_tools()


@lru_cache(maxsize=1)
def _load_scorer():
    path = SHARED_TOOLS / "score_ingest.py"
    if not path.exists():
        return None
    spec = importlib.util.spec_from_file_location("score_ingest", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def has_scorer() -> bool:
    return _load_scorer() is not None


def require_scorer():
    if _load_scorer() is None:
        pytest.skip(f"the shared scorer is absent ({SHARED_TOOLS / 'score_ingest.py'}); this test needs the shared/ checkout")


def score(gold: dict, out: dict) -> tuple[float, list[str]]:
    """The shared scorer's share of passed checks; without shared/, a stricter local stand-in."""
    module = _load_scorer()
    if module is None:
        return _local_score(gold, out)
    passed, total, misses = module.score_document(gold, out)
    return (passed / total if total else 0.0), misses


def _local_score(gold: dict, out: dict) -> tuple[float, list[str]]:
    """Rows keyed by (index, code, occurrence); a row passes when its values are equal and its
    name and text fields match (similarity ratio ≥ 0.9), all or nothing per row."""
    def rows(doc):
        keyed, seen = {}, {}
        for t in doc.get("tables") or []:
            for r in t.get("rows") or []:
                k = (t.get("index"), r.get("code"))
                seen[k] = seen.get(k, 0) + 1
                keyed[k + (seen[k],)] = r
        return keyed

    def norm(r):
        vals = sorted((v["key"], str(v.get("year") or ""), json.dumps(v["value"])) for v in r.get("values") or [])
        text = {k: " ".join(str(v).split()) for k, v in (r.get("text") or {}).items() if str(v).strip()}
        return vals, " ".join(str(r.get("name") or "").split()), text

    def same(a, b):
        (va, na, ta), (vb, nb, tb) = norm(a), norm(b)
        close = lambda x, y: x == y or difflib.SequenceMatcher(None, x, y, autojunk=False).ratio() >= 0.9  # noqa: E731
        return va == vb and close(na, nb) and ta.keys() == tb.keys() and all(close(ta[k], tb[k]) for k in ta)

    g, o = rows(gold), rows(out)
    misses = [f"{k} differs" for k in g if k not in o or not same(g[k], o[k])]
    misses += [f"{k} extra" for k in o if k not in g]
    total = len(g) + len([k for k in o if k not in g])
    return (1 - len(misses) / total if total else 0.0), misses


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
