"""Warnings where a document's own arithmetic does not add up (the numbers stay as printed)."""
from __future__ import annotations

from .textutil import clean

TOL = 1e-6


def _num(v):
    if isinstance(v, list):
        return None
    return float(v) if v is not None else None


def _fmt(x: float) -> str:
    s = f"{x:.4f}".rstrip("0").rstrip(".")
    return s


def _vals(row: dict) -> dict:
    return {(v["key"], v.get("year")): _num(v["value"]) for v in row.get("values", [])}


def arithmetic(table: dict) -> list[str]:
    """Parent rows vs the sum of their children; the total vs the sum of the top-level rows."""
    out: list[str] = []
    rows = [r for r in table["rows"] if r.get("code") and r["code"][0].isdigit()]
    by_code = {r["code"]: r for r in rows}
    children: dict[str, list[dict]] = {}
    for r in rows:
        if "." in r["code"]:
            parent = r["code"].rsplit(".", 1)[0]
            if parent in by_code:
                children.setdefault(parent, []).append(r)
    cols = [(c["key"], c.get("year")) for c in table.get("columns", []) if c["key"] != "deducted"]
    for code, kids in children.items():
        pv = _vals(by_code[code])
        for col in cols:
            p = pv.get(col)
            ks = [_vals(k).get(col) for k in kids]
            if p is None or any(k is None for k in ks):
                continue
            s = sum(ks)
            if abs(s - p) > TOL:
                out.append(_msg(table, code, col, p, s, [k["code"] for k in kids]))
    if "total" in table:
        tv = {(v["key"], v.get("year")): _num(v["value"]) for v in table["total"]}
        tops = [r for r in rows if "." not in r["code"]]
        for col in cols:
            t = tv.get(col)
            ks = [_vals(r).get(col) for r in tops]
            if t is None or not ks or any(k is None for k in ks):
                continue
            s = sum(ks)
            if abs(s - t) > TOL:
                out.append(f"{table['index']}: dòng tổng, cột «{_label(table, col)}» in {_fmt(t)} nhưng tổng các lĩnh vực "
                           f"{', '.join(r['code'] for r in tops)} là {_fmt(s)}.")
    return out


def _label(table: dict, col) -> str:
    for c in table.get("columns", []):
        if (c["key"], c.get("year")) == col:
            return clean(c.get("label")) or c["key"]
    return col[0]


def _msg(table, code, col, p, s, kids) -> str:
    return (f"{table['index']}: mục {code}, cột «{_label(table, col)}» in {_fmt(p)} nhưng các mục con "
            f"{' + '.join(kids)} cộng lại là {_fmt(s)}.")
