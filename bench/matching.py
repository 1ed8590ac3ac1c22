#!/usr/bin/env python3
"""Benchmark of agency-name matching: 1,000 names typed as people type them against 5,000 units.

Prints the time to build the matcher, to resolve the names, and how many resolved, beside
the target (1,000 names under 1 s on one core).

    python bench/matching.py [--repeat N]
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from chiso.core.matching import NameMatcher  # noqa: E402
from tests.core.matching_samples import sample_names, synthetic_entries  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    entries = synthetic_entries()
    names, _expected = sample_names(entries, 1000)
    builds, runs = [], []
    for _ in range(args.repeat):
        started = time.perf_counter()
        matcher = NameMatcher(entries)
        builds.append(time.perf_counter() - started)
        started = time.perf_counter()
        results = [matcher.match(n) for n in names]
        runs.append(time.perf_counter() - started)
    resolved = sum(r.key is not None for r in results)
    print(f"matcher of {len(entries)} units: build best {min(builds):.2f} s")
    print(f"1000 names: best {min(runs):.2f} s, worst {max(runs):.2f} s (target < 1 s), {resolved} resolved")
    return 0


if __name__ == "__main__":
    sys.exit(main())
