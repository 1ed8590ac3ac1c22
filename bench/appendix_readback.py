#!/usr/bin/env python
"""The demo plans' exported appendices read back against their source documents' golden readings.

Loads the three demo plans as `chiso setup-demo` does (the reader on the seed documents) into
a fresh SQLite database, downloads each plan's appendix as the pages do (Word with charts and
the deduction table, Excel with the deduction table), reads each file back with the reader
that `chiso ingest` runs (chiso.reader.isolated), and scores the reading against the golden
reading of the plan's *source* document with the shared scorer
(/work/shared/tools/score_ingest.py; CHISO_SHARED_TOOLS to point elsewhere).

Prints one line per plan and format (6 figures) and the misses with --show N.
Target: each ≥ 0.95. Usage: .venv/bin/python bench/appendix_readback.py [--show 5] [--keep DIR]
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
import tempfile
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
GOLDEN = ROOT / "chiso" / "data" / "demo" / "golden"  # the same files as shared/corpus/golden
SHARED_TOOLS = Path(os.environ.get("CHISO_SHARED_TOOLS") or ROOT.parent.parent / "shared" / "tools")
TARGET = 0.95


def scorer():
    for path in (SHARED_TOOLS / "score_ingest.py", Path("/work/shared/tools/score_ingest.py")):
        if path.exists():
            spec = importlib.util.spec_from_file_location("score_ingest", path)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            return module
    raise SystemExit(f"the shared scorer is not at {SHARED_TOOLS / 'score_ingest.py'} (set CHISO_SHARED_TOOLS)")


def setup(db: Path) -> None:
    os.environ["CHISO_DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chiso.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from chiso.demo import steps

    call_command("migrate", verbosity=0)
    quiet = lambda line: None  # noqa: E731
    steps.load_frameworks(quiet)
    steps.load_reference_units(quiet)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--show", type=int, default=0, help="misses to print per file")
    parser.add_argument("--keep", type=Path, help="folder to keep the exported files and their readings in")
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    score = scorer()
    work = Path(tempfile.mkdtemp(prefix="chiso-readback-"))
    setup(work / "demo.sqlite3")
    from chiso.analysis.appendix import plan_sheets
    from chiso.analysis.exports import appendix_docx, appendix_xlsx
    from chiso.analysis.forecast_views import _charts_for
    from chiso.demo.steps import read_demo_document
    from chiso.plans.services import plan_load
    from chiso.reader.isolated import read_document_isolated

    out = args.keep or work
    out.mkdir(parents=True, exist_ok=True)
    worst = 1.0
    for source in sorted(GOLDEN.glob("*.json")):
        gold = json.loads(source.read_text(encoding="utf-8"))
        # the demo plan as `chiso setup-demo` loads it: the reader's reading of the seed document
        plan = plan_load(actor=None, document=read_demo_document(source.parent.parent / f"{source.stem}.txt")).plan
        sheets = plan_sheets(plan)
        files = {"docx": appendix_docx(plan, sheets, _charts_for(plan)), "xlsx": appendix_xlsx(plan, sheets)}
        for kind, content in files.items():
            path = out / f"{source.stem}.{kind}"
            path.write_bytes(content)
            doc = read_document_isolated(path)
            (out / f"{source.stem}.{kind}.json").write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
            passed, total, misses = score.score_document(gold, doc)
            figure = passed / total if total else 0.0
            worst = min(worst, figure)
            print(f"{plan.issuer.name:<12} {kind:<5} {figure:.4f} ({passed}/{total} checks)")
            for miss in misses[: args.show]:
                print(f"    {miss}")
    print(f"worst {worst:.4f} (target ≥ {TARGET})")
    return 0 if worst >= TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
