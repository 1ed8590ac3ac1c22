"""The layers and the lint, checked on every test run (the README's test command, CI).

`lint-imports` checks the contracts in pyproject.toml ([tool.importlinter]): chiso.core and
chiso.reader import no Django and no app, and every app imports only the layers below it.
`ruff check` runs the rules in [tool.ruff]. Each prints what is wrong and where; fix the code,
not the contract (`ruff check --fix` fixes most lint).
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_the_apps_keep_their_layers_and_core_and_reader_stay_pure():
    done = _run(str(BIN / "lint-imports"), "--no-cache")
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    assert "0 broken" in done.stdout


def test_ruff_finds_nothing():
    done = _run(str(BIN / "ruff"), "check", "--no-cache", ".")
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
