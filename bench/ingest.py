#!/usr/bin/env python3
"""Benchmark of the reader (`chiso ingest`): time and peak memory per document, on one core.

For each seed text, each fixture in tests/fixtures/reader and a generated 30-page PDF,
prints one line: the document, its pages or size, wall time, the Python heap peak
(tracemalloc) and the process's peak resident size (getrusage maxrss), with the targets
side by side: a seed text under 100 ms, a 30-page PDF under 3 s, peak memory under 200 MB.

    python bench/ingest.py [--repeat N] [--no-pin]
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from chiso.reader import read_document  # noqa: E402

SEEDS = ROOT / "chiso" / "data" / "demo"
FIXTURES = ROOT / "tests" / "fixtures" / "reader"
MEMORY_TARGET_MB = 200.0


def make_long_pdf(path: Path, pages: int = 30) -> int:
    """A PAR INDEX plan table long enough to fill `pages` A4 pages (WeasyPrint)."""
    from weasyprint import HTML

    row = ("<tr><td>{code}</td><td>Tiêu chí thành phần số {code} về cải cách hành chính</td><td>1,5</td><td>1,25</td>"
           "<td>1,5</td><td>- Tổ chức thực hiện đầy đủ, đúng hạn các nhiệm vụ được giao theo kế hoạch; "
           "- Theo dõi, đôn đốc, kiểm tra việc thực hiện tại các cơ quan, đơn vị, địa phương.</td>"
           "<td>Giám đốc Sở Nội vụ</td><td>Các sở, ban, ngành; UBND cấp huyện</td><td>Quý {q}/2025</td></tr>")
    head = ("<!DOCTYPE html><html><head><meta charset='utf-8'><style>@page{size:A4;margin:15mm}"
            "body{font-family:'DejaVu Sans';font-size:9pt}table{border-collapse:collapse;width:100%}"
            "td,th{border:0.6pt solid #000;padding:2pt;vertical-align:top}thead{display:table-header-group}</style></head><body>"
            "<p>ỦY BAN NHÂN DÂN TỈNH MẪU</p><p>Số: 1/KH-UBND</p><p>Mẫu, ngày 1 tháng 1 năm 2025</p>"
            "<p>PHỤ LỤC</p><p>NHIỆM VỤ CẢI THIỆN CHỈ SỐ PAR INDEX NĂM 2025</p><table><thead><tr><th>STT</th><th>Tiêu chí</th>"
            "<th>Điểm tối đa</th><th>Điểm đạt được năm 2024</th><th>Mục tiêu năm 2025</th><th>Nhiệm vụ, giải pháp</th>"
            "<th>Chủ trì</th><th>Phối hợp</th><th>Thời gian thực hiện</th></tr></thead><tbody>")
    body, n = [], 0
    for field in range(1, 40):
        for crit in range(1, 9):
            n += 1
            body.append(row.format(code=f"{field}.{crit}", q=("I", "II", "III", "IV")[crit % 4]))
    doc = HTML(string=head + "".join(body) + "</tbody></table></body></html>").render()
    doc.pages[:] = doc.pages[:pages]
    doc.write_pdf(str(path))
    return len(doc.pages)


def measure_here(path: Path, repeat: int) -> dict:
    """Run in a fresh process: best wall time of `repeat` reads (the first one, with the format's lazy
    imports, included), then one read under tracemalloc for the heap peak; maxrss of the whole process."""
    times, rows = [], 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = read_document(path)
        times.append(time.perf_counter() - t0)
        rows = sum(len(t["rows"]) for t in out["tables"])
    tracemalloc.start()
    read_document(path)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
    return {"first": times[0], "best": min(times), "heap": peak / 1048576, "rss": rss, "rows": rows}


def measure(path: Path, repeat: int, pin: bool) -> dict:
    cmd = [sys.executable, __file__, "--one", str(path), "--repeat", str(repeat)] + ([] if pin else ["--no-pin"])
    out = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=3, help="runs per document; the best time is shown")
    ap.add_argument("--no-pin", action="store_true", help="do not pin the process to one CPU core")
    ap.add_argument("--one", type=Path, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if not a.no_pin and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    if a.one:
        print(json.dumps(measure_here(a.one, a.repeat)))
        return 0
    docs: list[tuple[Path, float | None]] = [(p, 0.100) for p in sorted(SEEDS.glob("*.txt"))]
    docs += [(p, None) for p in sorted(FIXTURES.glob("*.*")) if p.suffix in (".html", ".docx", ".xlsx", ".pdf")]
    docs += [(p, None) for p in sorted((FIXTURES / "synthetic").glob("*.*")) if not p.name.endswith(".json")]
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        long_pdf = Path(tmp) / "plan_30_pages.pdf"
        pages = int(subprocess.run([sys.executable, "-c", f"import sys; sys.path.insert(0, {str(ROOT / 'bench')!r}); "
                                    f"import ingest; print(ingest.make_long_pdf(__import__('pathlib').Path({str(long_pdf)!r})))"],
                                   capture_output=True, text=True, check=True).stdout.strip())
        docs.append((long_pdf, 3.0))
        print(f"{'document':<32} {'size':>9} {'rows':>5} {'first':>9} {'best':>9} {'target':>8} "
              f"{'heap peak':>10} {'max RSS':>9} {'target':>8}")
        for path, target in docs:
            m = measure(path, a.repeat, not a.no_pin)
            size = f"{pages} pages" if path == long_pdf else f"{path.stat().st_size / 1024:.0f} kB"
            t_ok = target is None or m["best"] <= target
            m_ok = m["heap"] <= MEMORY_TARGET_MB and m["rss"] <= MEMORY_TARGET_MB
            ok = ok and t_ok and m_ok
            tgt = f"<{target * 1000:.0f} ms" if target and target < 1 else (f"<{target:.0f} s" if target else "—")
            print(f"{path.name[:32]:<32} {size:>9} {m['rows']:>5} {m['first'] * 1000:>7.1f}ms {m['best'] * 1000:>7.1f}ms "
                  f"{tgt:>8} {m['heap']:>8.1f}MB {m['rss']:>7.1f}MB {'<200 MB':>8}  {'ok' if t_ok and m_ok else 'MISSED'}")
    print("all targets met" if ok else "some targets missed")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
