"""Turning interpreted tables into chiso.plan-table/1 dictionaries."""
from __future__ import annotations

import re

from .headers import Column
from .interpret import OutTable, RawRow
from .numbers import parse_value_lenient as parse_value
from .textutil import clean, fold

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?:\s*[-–]\s*((?:19|20)\d{2}))?(?!\d)")


def _years(text: str) -> list[str]:
    return [f"{a}-{b}" if b else a for a, b in _YEAR.findall(text or "")]


def infer_years(table: OutTable, title: str) -> None:
    """Give value columns without a printed year the year the caption or title is about."""
    cols = [c for c in table.layout.columns if c.kind == "value" and c.key != "max_points"]
    context = fold(f"{table.caption} {title}")
    plan_years = [y for y in _years(context) if "-" not in y]
    if plan_years and any(w in context for w in ("ke hoach", "muc tieu", "phan dau", "nang cao", "cai thien")):
        for c in cols:  # a bare "Năm 2024" column in a plan for 2024 is the target
            if c.key == "achieved" and c.path == [c.label] and c.year and c.year.isdigit() and c.year >= max(plan_years):
                c.key = "target"
    sibling = next((x.year for x in cols if x.key in ("appraised", "deducted", "achieved") and x.year), None)
    for c in cols:
        if not c.year and c.key in ("appraised", "deducted") and sibling:
            c.year = sibling
    if all(c.year for c in cols):
        return
    context = f"{table.caption} {title}"
    years = _years(context)
    if not years:
        return
    year = years[0]
    singles = sorted({y for y in years if "-" not in y})
    past, future = (singles[0], singles[-1]) if len(singles) > 1 else (year, year)
    results = any(w in fold(context) for w in ("ket qua", "tham dinh", "danh gia", "diem so"))
    target_years = [c.year for c in cols if c.key == "target" and c.year]
    for c in cols:
        if c.year:
            continue
        if c.key == "target":
            c.year = future
        elif c.key in ("appraised", "deducted"):
            c.year = next((x.year for x in cols if x.key in ("appraised", "deducted") and x.year), None) or past
        elif c.key == "achieved":
            if results or not target_years:
                c.year = past
            elif target_years[0].isdigit():
                c.year = str(int(target_years[0]) - 1)


def _value_columns(layout) -> list[Column]:
    seen, out = set(), []
    for c in layout.columns:
        if c.kind == "value" and (c.key, c.year) not in seen:
            seen.add((c.key, c.year))
            out.append(c)
    return out


def field_of(c: Column) -> str:
    """How the review hints and the preview's corrections name a column (chiso.core.plan_table)."""
    from chiso.core.plan_table import field_name

    if c.kind == "value":
        return field_name("value", c.key, c.year if c.key != "max_points" else None, c.criterion)
    if c.kind == "text":
        return field_name("text", c.key)
    return c.kind


def review(table: OutTable, rows: list[dict], dropped: list[tuple[int, str, str]]) -> list[dict]:
    """Cells a person should look at before confirming: guessed column types, fragments joined
    across a page break, text shared among columns by guess, values that were not numbers."""
    out = []
    layout = table.layout
    by_label = {c.label: c for c in layout.columns}
    for label, why in layout.guessed.items():
        c = by_label.get(label)
        if c is not None and c.kind in ("text", "value"):
            out.append({"row": None, "field": field_of(c), "why": why})
    cols = {c.index: c for c in layout.columns}
    for i, r in enumerate(table.rows):
        for idx in sorted(r.joined):
            c = cols.get(idx)
            if c is not None and c.kind in ("name", "text", "value"):
                out.append({"row": i, "field": field_of(c), "why": "đã nối phần chữ in tiếp ở trang sau hoặc dòng dưới"})
        for idx in sorted(r.guessed):
            c = cols.get(idx)
            if c is not None and c.kind == "text" and (rows[i]["text"] or {}).get(c.key):
                out.append({"row": i, "field": field_of(c), "why": "chữ được chia vào các cột theo nội dung (bản không kẻ ô)"})
    for i, f, why in dropped:
        out.append({"row": i, "field": f, "why": why})
    return out


def _values(row: RawRow, cols: list[Column], warnings: list[str], label: str,
            dropped: list | None = None, index: int = 0) -> list[dict]:
    found: dict[tuple, object] = {}
    printed: dict[str, object] = {}
    for c in cols:
        text = clean(row.cells.get(c.index, ""))
        if not text:
            continue
        v = parse_value(text)
        if v is None:
            warnings.append(f"{label}: ô «{c.label}» ghi «{text[:40]}», không phải số; bỏ qua.")
            if dropped is not None:
                dropped.append((index, field_of(c), f"ô ghi «{text[:60]}», không phải số: chưa lấy giá trị"))
            continue
        found[(c.key, c.year)] = v
        printed[c.key] = v
    out = []
    for c in cols:
        k = (c.key, c.year)
        if k not in found:
            continue
        v = found[k]
        if c.key == "deducted":
            v = _deducted(v, printed, warnings, label)
        item = {"key": c.key}
        if c.year and c.key != "max_points":
            item["year"] = c.year
        item["value"] = v
        out.append(item)
    return out


def _scalar(v):
    return v[0] if isinstance(v, list) else v


def _deducted(v, printed: dict, warnings: list[str], label: str):
    mx, ap = printed.get("max_points"), printed.get("appraised")
    pv = _scalar(v)
    if mx is not None and ap is not None and not isinstance(mx, list) and not isinstance(ap, list):
        d = round(float(ap) - float(mx), 6)
        d = int(d) if d == int(d) else d
        if abs(abs(pv) - abs(d)) > 1e-6:
            warnings.append(f"{label}: điểm bị trừ in là {pv} nhưng điểm thẩm định − điểm tối đa = {d}; dùng {d}.")
        return d
    if isinstance(v, list):
        return [-abs(x) for x in v]
    return -abs(v) if v else 0


def _text(row: RawRow, layout) -> dict:
    out: dict[str, str] = {}
    for c in layout.columns:
        if c.kind != "text":
            continue
        t = clean(row.cells.get(c.index, ""))
        if t:
            out[c.key] = f"{out[c.key]} {t}" if c.key in out else t
    return out


def to_dict(table: OutTable, title: str, warnings: list[str]) -> dict:
    layout = table.layout
    if layout.kind == "unit_results":
        return units_dict(table, title, warnings)
    infer_years(table, title)
    cols = _value_columns(layout)
    name_col = layout.col("name")
    rows = []
    dropped: list[tuple[int, str, str]] = []
    for i, r in enumerate(table.rows):
        label = f"Dòng {r.code or '(không số)'}" + (f" ({r.where})" if r.where else "")
        rows.append({
            "code": r.code,
            "name": clean(r.cells.get(name_col.index, "")) if name_col else "",
            "values": _values(r, cols, warnings, label, dropped, i),
            "text": _text(r, layout),
        })
    out = {
        "index": table.index or "PAR_INDEX",
        "caption": table.caption,
        "columns": [
            {"key": c.key, **({"year": c.year} if c.year and c.key != "max_points" else {}), "label": c.label}
            for c in cols
        ],
        "rows": rows,
        # extra (not in the spec's required fields): the text columns found and their header text
        "text_columns": [{"key": c.key, "label": " / ".join(c.path) or c.label}
                         for c in layout.columns if c.kind == "text"],
    }
    if table.total is not None:
        total = _values(table.total, cols, warnings, "Dòng tổng")
        if total:
            out["total"] = total
    hints = review(table, rows, dropped)
    if hints:
        out["review"] = hints
    return out


def _unit_year(table: OutTable, title: str) -> str | None:
    for text in (table.caption, title):
        m = re.search(r"năm\s+((?:19|20)\d{2})", text or "", re.I)
        if m:
            return m.group(1)
        years = _years(text or "")
        if years:
            return years[0]
    return None


def units_dict(table: OutTable, title: str, warnings: list[str]) -> dict:
    """A results-by-unit table: rows are units, value columns may be scoped to a criterion."""
    layout = table.layout
    year = _unit_year(table, title) or next((c.year for c in layout.columns if c.kind == "value" and c.year), None)
    cols, seen = [], set()
    for c in layout.columns:
        if c.kind != "value":
            continue
        if not c.year:
            c.year = year
        ident = (c.key, c.year, c.criterion)
        if ident not in seen:
            seen.add(ident)
            cols.append(c)
    code_col, name_col = layout.col("code"), layout.col("name")
    rank_code = code_col is not None and code_col.rank and not any(c.key == "rank" for c in cols)
    rows = []
    dropped: list[tuple[int, str, str]] = []
    for r in table.rows:
        label = f"Dòng {r.code or '(không số)'}" + (f" ({r.where})" if r.where else "")
        values = []
        for c in cols:
            text = clean(r.cells.get(c.index, ""))
            if not text:
                continue
            v = parse_value(text)
            if v is None:
                warnings.append(f"{label}: ô «{c.label}» ghi «{text[:40]}», không phải số; bỏ qua.")
                dropped.append((len(rows), field_of(c), f"ô ghi «{text[:60]}», không phải số: chưa lấy giá trị"))
                continue
            values.append(_unit_value(c.key, year if c.key != "max_points" else None, c, v))
        if rank_code and r.code and r.code.isdigit():
            values.append({"key": "rank", **({"year": year} if year else {}), "value": int(r.code)})
        rows.append({"code": r.code, "name": clean(r.cells.get(name_col.index, "")) if name_col else "",
                     "values": values, "text": _text(r, layout)})
    columns = []
    for c in cols:
        d = {"key": c.key, **({"year": c.year} if c.year else {}), **({"criterion": c.criterion} if c.criterion else {})}
        if c.max is not None:
            d["max"] = c.max
        d["label"] = c.label
        columns.append(d)
    if rank_code:
        columns.append({"key": "rank", **({"year": year} if year else {}), "label": code_col.label})
    out = {"kind": "unit_results", "index": table.index or "PAR_INDEX", "caption": table.caption, "year": year,
           "columns": columns, "rows": rows,
           "text_columns": [{"key": c.key, "label": " / ".join(c.path) or c.label}
                            for c in layout.columns if c.kind == "text"]}
    if table.total is not None:
        total = []
        for c in cols:
            v = parse_value(clean(table.total.cells.get(c.index, "")))
            if v is not None:
                total.append(_unit_value(c.key, c.year, c, v))
        if total:
            out["total"] = total
    hints = review(table, rows, dropped)
    if hints:
        out["review"] = hints
    return out


def _unit_value(key_: str, _year, c: Column, v) -> dict:
    item = {"key": key_}
    if c.year:
        item["year"] = c.year
    if c.criterion:
        item["criterion"] = c.criterion
    item["value"] = v
    return item
