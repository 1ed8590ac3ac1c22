"""`chiso ingest PATH [--format json|table]`: read one document, print its plan table."""
from __future__ import annotations

import argparse
import json
import sys


def _table_summary(result: dict) -> str:
    out = []
    d = result.get("document") or {}
    out.append(f"Tệp: {result.get('source')}")
    for k, label in (("issuer", "Cơ quan ban hành"), ("number", "Số"), ("date", "Ngày"), ("title", "Tiêu đề")):
        out.append(f"  {label}: {d.get(k) if d.get(k) is not None else '—'}")
    for i, t in enumerate(result.get("tables", []), 1):
        rows = t.get("rows", [])
        out.append("")
        out.append(f"Bảng {i}: {t.get('index')} — {len(rows)} dòng")
        if t.get("caption"):
            out.append(f"  Tiêu đề bảng: {t['caption']}")
        cols = t.get("columns", [])
        out.append("  Cột điểm: " + ("; ".join(
            f"{c['key']}{' ' + c['year'] if c.get('year') else ''} ← «{c.get('label', '')}»" for c in cols) or "không có"))
        text_cols = t.get("text_columns") or [{"key": k, "label": ""} for k in sorted({k for r in rows for k in r.get("text") or {}})]
        out.append("  Cột văn bản: " + ("; ".join(f"{c['key']} ← «{c['label']}»" for c in text_cols) or "không có"))
        for r in rows:
            vals = " ".join(f"{v['key'][:3]}{'/' + v['year'] if v.get('year') else ''}={v['value']}" for v in r.get("values", []))
            name = (r.get("name") or "")[:70]
            out.append(f"    {r.get('code') or '·':<8} {name:<70} {vals}")
        if "total" in t:
            out.append("    TỔNG     " + " ".join(f"{v['key']}={v['value']}" for v in t["total"]))
    warnings = result.get("warnings") or []
    out.append("")
    out.append(f"Cảnh báo ({len(warnings)}):" if warnings else "Không có cảnh báo.")
    out.extend(f"  - {w}" for w in warnings)
    return "\n".join(out)


def main(argv: list[str]) -> int:
    """`argv` excludes the word `ingest`. Exit 0 on success, 2 on an unreadable document."""
    parser = argparse.ArgumentParser(prog="chiso ingest", description="Đọc một tài liệu kế hoạch / kết quả chỉ số.")
    parser.add_argument("path")
    parser.add_argument("--format", choices=("json", "table"), default="json")
    args = parser.parse_args(argv)
    from . import ReaderError
    from .isolated import read_document_isolated

    try:  # in a child process with memory and time limits, like the server's reading
        result = read_document_isolated(args.path)
    except ReaderError as e:
        print(str(e), file=sys.stderr)
        return 2
    if args.format == "json":
        sys.stdout.buffer.write(json.dumps(result, ensure_ascii=False, indent=1).encode("utf-8") + b"\n")
    else:
        sys.stdout.buffer.write(_table_summary(result).encode("utf-8") + b"\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    args = sys.argv[1:]
    if args and args[0] == "ingest":
        args = args[1:]
    sys.exit(main(args))
