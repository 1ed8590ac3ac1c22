#!/usr/bin/env python3
"""The reader's score per layout class and per format, with the shared scorer.

Reads every document of the variant corpus (tests/fixtures/reader/variants/<class>/, made by
scripts/make_variants.py) and the seed texts, scores each reading against its golden file with
`score_ingest.py` (the checks of spec/plan-table.md), and prints one markdown table: a row per
layout class, a column per format, each cell the share of passed checks over the class's
documents in that format. "fields" is the share of document fields (issuer, number, date) read
right, over every format. A value column scoped to a criterion (results by unit) is scored
under its own key ("score@1").

    python bench/reader_classes.py [--detail] [--class NAME] [--markdown FILE]
    CHISO_SHARED_TOOLS=/path/to/shared/tools python bench/reader_classes.py
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from chiso.reader import ReaderError, read_document  # noqa: E402

VARIANTS = ROOT / "tests" / "fixtures" / "reader" / "variants"
SEEDS = ROOT / "chiso" / "data" / "demo"
FORMATS = [("txt", ".txt"), ("docx", ".docx"), ("pdf ruled", ".ruled.pdf"), ("pdf borderless", ".borderless.pdf"),
           ("xlsx", ".xlsx")]
DOC_FIELDS = ("issuer", "number", "date")


def load_scorer():
    base = Path(os.environ.get("CHISO_SHARED_TOOLS") or ROOT.parent / "shared" / "tools")
    for path in (base / "score_ingest.py", Path("/work/shared/tools/score_ingest.py")):
        if path.exists():
            spec = importlib.util.spec_from_file_location("score_ingest", path)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            return module
    sys.exit("score_ingest.py not found: set CHISO_SHARED_TOOLS to the shared/tools folder")


def scoped(doc: dict) -> dict:
    """Values scoped to a criterion get their own key, so the scorer tells them apart."""
    out = json.loads(json.dumps(doc))
    for t in out.get("tables") or []:
        for r in (t.get("rows") or []) + [{"values": t.get("total") or []}]:
            for v in r.get("values") or []:
                if v.get("criterion"):
                    v["key"] = f"{v['key']}@{v['criterion']}"
    return out


def score_one(scorer, gold: dict, path: Path) -> tuple[int, int, list[str], int, float]:
    t0 = time.perf_counter()
    try:
        out = read_document(path)
    except ReaderError as e:
        out = None
        err = str(e)
    else:
        err = ""
    dt = time.perf_counter() - t0
    passed, total, misses = scorer.score_document(scoped(gold), scoped(out) if out else None)
    if err:
        misses = [f"ERROR {err}"] + misses
    fields = 0
    if out:
        fields = sum(1 for k in DOC_FIELDS if (out.get("document") or {}).get(k) == gold["document"].get(k))
    return passed, total, misses, fields, dt


def corpus(only: str | None = None) -> list[tuple[str, str, Path, dict]]:
    """(class, format, path, golden) of every document."""
    items = []
    if only in (None, "seeds"):
        for g in sorted((SEEDS / "golden").glob("*.json")):
            gold = json.loads(g.read_text(encoding="utf-8"))
            items.append(("seeds", "txt", SEEDS / gold["source"], gold))
    for folder in sorted(p for p in VARIANTS.iterdir() if p.is_dir()) if VARIANTS.exists() else []:
        if only and folder.name != only:
            continue
        for g in sorted(folder.glob("*.golden.json")):
            gold = json.loads(g.read_text(encoding="utf-8"))
            stem = g.name[: -len(".golden.json")]
            for fmt, suffix in FORMATS:
                p = folder / f"{stem}{suffix}"
                if p.exists():
                    items.append((folder.name, fmt, p, gold))
    return items


def run(only: str | None = None, detail: bool = False) -> tuple[dict, dict, dict]:
    scorer = load_scorer()
    cells: dict[tuple[str, str], list[int]] = {}
    fields: dict[str, list[int]] = {}
    worst: dict[str, list] = {}
    for cls, fmt, path, gold in corpus(only):
        p, t, misses, f, dt = score_one(scorer, gold, path)
        c = cells.setdefault((cls, fmt), [0, 0])
        c[0] += p
        c[1] += t
        fl = fields.setdefault(cls, [0, 0])
        fl[0] += f
        fl[1] += len(DOC_FIELDS)
        worst.setdefault(cls, []).append((p / t if t else 0, path.name, misses, dt))
        if detail:
            print(f"{cls:<16} {path.name:<44} {p:>5}/{t:<5} {p / t if t else 0:.4f} {dt * 1000:7.0f} ms")
            for m in misses[:6]:
                print(f"      - {m}")
    return cells, fields, worst


def table(cells: dict, fields: dict) -> str:
    classes = list(dict.fromkeys(c for c, _ in cells))
    head = "| class | " + " | ".join(f for f, _ in FORMATS) + " | all | fields |"
    lines = [head, "|" + "---|" * (len(FORMATS) + 3)]
    grand = [0, 0]
    for cls in classes:
        row = [cls]
        tp = tt = 0
        for fmt, _ in FORMATS:
            c = cells.get((cls, fmt))
            if c:
                row.append(f"{c[0] / c[1]:.4f}" if c[1] else "—")
                tp, tt = tp + c[0], tt + c[1]
            else:
                row.append("—")
        row.append(f"{tp / tt:.4f}" if tt else "—")
        f = fields.get(cls, [0, 0])
        row.append(f"{f[0]}/{f[1]}")
        grand = [grand[0] + tp, grand[1] + tt]
        lines.append("| " + " | ".join(row) + " |")
    lines.append(f"\nall documents: {grand[0]}/{grand[1]} checks = {grand[0] / grand[1]:.4f}" if grand[1] else "")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--detail", action="store_true", help="one line per document with its first misses")
    ap.add_argument("--class", dest="only", help="only this class (or 'seeds')")
    ap.add_argument("--markdown", type=Path, help="also write the table to this file")
    a = ap.parse_args()
    cells, fields, _ = run(a.only, a.detail)
    out = table(cells, fields)
    print(out)
    if a.markdown:
        import datetime

        when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        cmd = "python bench/reader_classes.py " + " ".join(sys.argv[1:])
        a.markdown.write_text(f"# Reader score per layout class and format\n\n{when}, `{cmd}`\n\n{out}\n",
                              encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
