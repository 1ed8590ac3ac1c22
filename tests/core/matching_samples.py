"""A synthetic roster of n units and a sample of names to resolve against it.

Shared by the matching test (are the right units found?) and bench/matching.py (how fast?).
"""
from __future__ import annotations

import random

from chiso.core import roster


def synthetic_entries(n: int = 5000) -> list[tuple[str, list[str]]]:
    """n distinct units: every province's bodies, then districts' offices (synthetic district names)."""
    entries = []
    for p in roster.load_provinces():
        for t in roster.agencies_for(p.name):
            entries.append((f"{p.name}/{t.name}", [f"{t.name} {p.name}", *t.aliases]))
    i = 0
    while len(entries) < n:
        for t in roster.load_district_offices():
            entries.append((f"d{i}/{t.name}", [f"{t.name} Huyện Số {i}"]))
        i += 1
    return entries[:n]


def sample_names(entries, count: int, seed: int = 7) -> tuple[list[str], list[set[str] | None]]:
    """Names as people type them: exact, with one letter dropped (30 %), or unknown (10 %).

    Beside each name, the keys it may rightly resolve to (every unit carrying the name it
    was made from), or None for a unit that is not in the roster.
    """
    by_name: dict[str, set[str]] = {}
    for key, names in entries:
        for name in names:
            by_name.setdefault(name, set()).add(key)
    rng = random.Random(seed)
    names, expected = [], []
    for _ in range(count):
        _key, ns = rng.choice(entries)
        name = rng.choice(list(ns))
        kind = rng.random()
        if kind < 0.3 and len(name) > 8:
            i = rng.randrange(len(name))
            names.append(name[:i] + name[i + 1:])
            expected.append(by_name[name])
        elif kind < 0.4:
            names.append("Đơn vị không có trong danh mục " + str(rng.randrange(10_000)))
            expected.append(None)
        else:
            names.append(name)
            expected.append(by_name[name])
    return names, expected
