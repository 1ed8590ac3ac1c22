#!/usr/bin/env python3
"""Benchmark of bounded reading: hostile office files, before and now, side by side in one run.

Builds the issue's zip bomb (a ≈280 KB .xlsx whose sheet expands to 45 MB of XML, three million
cells), a variant that compresses just under the ratio limit, a Word bomb and an .ods whose
one cell repeats a hundred million times. For each, in fresh processes, it prints the wall
time, CPU time and peak resident memory of

- before: the reader's old way (openpyxl loads the whole workbook, as chiso did up to this
  change; only for the .xlsx files, stopped after --before-timeout seconds);
- now, `chiso ingest`: the reader in its own process (zip checks, streamed cells);
- now, the worker: `read_document_isolated` as the background job calls it — the child's
  peak, and the worker's own resident memory before and after the failed reading.

Targets (issue 8): the bomb refused in under 10 s and under 300 MB; the worker keeps no
memory after a failed upload.

    python bench/bomb.py [--no-before] [--before-timeout 120]
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.reader.bombs import docx_bomb, ods_repeated, xlsx_bomb  # noqa: E402

TIME_TARGET, MEMORY_TARGET = 10.0, 300.0


def rss_mb(field: str = "VmRSS") -> float:
    """This process's resident memory now (VmRSS) or at its peak (VmHWM; unlike ru_maxrss, not
    inherited from the process that started this one)."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


def one(mode: str, path: str) -> dict:
    """Runs in a fresh process: one reading of `path` the `mode` way."""
    t0, c0 = time.perf_counter(), time.process_time()
    outcome = "read"
    before = rss_mb()
    if mode == "before":
        import openpyxl

        openpyxl.load_workbook(path, data_only=True, read_only=False)  # what the reader did before
    elif mode == "reader":
        from chiso.reader import ReaderError, read_document

        try:
            read_document(path)
        except ReaderError as e:
            outcome = e.code
    else:
        from chiso.reader import ReaderError
        from chiso.reader.isolated import read_document_isolated

        try:
            read_document_isolated(path)
        except ReaderError as e:
            outcome = e.code
    own = rss_mb("VmHWM")
    child = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"outcome": outcome, "wall": time.perf_counter() - t0,
            "cpu": time.process_time() - c0 + child.ru_utime + child.ru_stime,
            "peak": max(own, child.ru_maxrss / 1024) if mode == "worker" else own,
            "worker_before": before, "worker_after": rss_mb(), "worker_peak": own}


def measure(mode: str, path: Path, timeout: float) -> dict:
    cmd = [sys.executable, __file__, "--one", mode, str(path)]
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"outcome": f"stopped after {timeout:.0f} s", "wall": timeout, "cpu": float("nan"), "peak": float("nan")}
    if out.returncode != 0:
        return {"outcome": f"crashed ({out.returncode})", "wall": float("nan"), "cpu": float("nan"),
                "peak": float("nan")}
    return json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--no-before", action="store_true", help="skip the old way (it takes ~30 s and 1 GB)")
    parser.add_argument("--before-timeout", type=float, default=120)
    parser.add_argument("--one", nargs=2, metavar=("MODE", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(*args.one)))
        return

    with tempfile.TemporaryDirectory() as tmp:
        files = []
        bomb, cells = xlsx_bomb()
        files.append(("the issue's bomb", Path(tmp) / "bomb.xlsx", bomb, f"{cells:,} cells, 45 MB XML"))
        near, cells = xlsx_bomb(per_row=20)
        files.append(("ratio just under 100", Path(tmp) / "near.xlsx", near, f"{cells:,} cells, 45 MB XML"))
        files.append(("Word bomb", Path(tmp) / "bomb.docx", docx_bomb(), "45 MB document.xml"))
        files.append((".ods, one cell repeated", Path(tmp) / "repeat.ods", ods_repeated(100_000, 1000), "10^8 cells"))
        print(f"{'file':<26} {'size':>9}  {'way':<14} {'outcome':<22} {'wall s':>7} {'cpu s':>7} {'peak MB':>8}"
              f"  worker MB before → after")
        for label, path, data, what in files:
            path.write_bytes(data)
            ways = ["reader", "worker"]
            if not args.no_before and path.suffix == ".xlsx":
                ways.insert(0, "before")
            for way in ways:
                r = measure(way, path, args.before_timeout if way == "before" else 600)
                worker = (f"  {r['worker_before']:.0f} → {r['worker_after']:.0f}" if way == "worker" and "worker_after" in r
                          else "")
                print(f"{label:<26} {len(data) / 1024:>6.0f} KB  {way:<14} {r['outcome']:<22} {r['wall']:>7.2f} "
                      f"{r['cpu']:>7.2f} {r['peak']:>8.0f}{worker}")
            print(f"{'':<26} {what}")
    print(f"\ntargets: a bomb refused in under {TIME_TARGET:.0f} s and {MEMORY_TARGET:.0f} MB; the worker's memory "
          "unchanged after a failed reading (the child holds the cost and exits)")


if __name__ == "__main__":
    main()
