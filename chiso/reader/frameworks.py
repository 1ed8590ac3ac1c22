"""Criteria names of the bundled frameworks (chiso/data/frameworks), to tell an untitled table's index."""
from __future__ import annotations

import csv
import json
from functools import lru_cache
from pathlib import Path

from .textutil import key

DATA = Path(__file__).resolve().parents[1] / "data" / "frameworks"


@lru_cache(maxsize=1)
def criteria_names() -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    try:
        manifest = json.loads((DATA / "manifest.json").read_text(encoding="utf-8"))
        for fw in manifest:
            with open(DATA / fw["file"], encoding="utf-8", newline="") as fh:
                for row in csv.DictReader(fh):
                    out.setdefault(fw["index"], set()).add(key(row.get("name", "")))
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    return {k: frozenset(v - {""}) for k, v in out.items()}
