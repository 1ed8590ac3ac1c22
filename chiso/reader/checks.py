"""Warnings where a document's own arithmetic does not add up (the numbers stay as printed)."""
from __future__ import annotations

from chiso.core.outline import outline as code_outline

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


def outline(rows: list[dict]) -> tuple[list[int], dict[int, list[int]]]:
    return code_outline([r.get("code") for r in rows])


def arithmetic(table: dict) -> list[str]:
    """Parent rows vs the sum of their children; the total vs the sum of the top-level rows."""
    out: list[str] = []
    rows = table["rows"]
    tops, children = outline(rows)
    cols = [(c["key"], c.get("year")) for c in table.get("columns", []) if c["key"] != "deducted"]
    for parent, kids in children.items():
        pv = _vals(rows[parent])
        if _partial(pv, [_vals(rows[k]) for k in kids]):
            out.append(_partial_msg(table, f"mục {rows[parent]['code']}", pv, [rows[k] for k in kids]))
            continue
        for col in cols:
            p = pv.get(col)
            ks = [_vals(rows[k]).get(col) for k in kids]
            if p is None or any(k is None for k in ks):
                continue
            s = sum(ks)
            if abs(s - p) > TOL:
                out.append(_msg(table, rows[parent]["code"], col, p, s, [rows[k]["code"] for k in kids]))
    if "total" in table:
        tv = {(v["key"], v.get("year")): _num(v["value"]) for v in table["total"]}
        if _partial(tv, [_vals(rows[r]) for r in tops]):
            out.append(_partial_msg(table, "dòng tổng", tv, [rows[r] for r in tops]))
            return out
        for col in cols:
            t = tv.get(col)
            ks = [_vals(rows[r]).get(col) for r in tops]
            if t is None or not ks or any(k is None for k in ks):
                continue
            s = sum(ks)
            if abs(s - t) > TOL:
                out.append(f"{table['index']}: dòng tổng, cột «{_label(table, col)}» in {_fmt(t)} nhưng tổng các lĩnh vực "
                           f"{', '.join(rows[r]['code'] for r in tops)} là {_fmt(s)}.")
    return out


def _partial(parent: dict, kids: list[dict]) -> bool:
    """The listed children's max points fall short of the parent's: the table lists only some
    criteria (a deductions table lists those that lost points), so sums cannot be compared."""
    p = parent.get(("max_points", None))
    ks = [k.get(("max_points", None)) for k in kids]
    if p is None or any(k is None for k in ks):
        return False
    return sum(ks) < p - TOL


def _partial_msg(table: dict, where: str, parent: dict, kids: list[dict]) -> str:
    listed = sum(_vals(k)[("max_points", None)] for k in kids)
    return (f"{table['index']}: {where} có điểm tối đa {_fmt(parent[('max_points', None)])} nhưng bảng chỉ liệt kê "
            f"{' + '.join(k['code'] for k in kids)} (tối đa {_fmt(listed)}): thiếu một số mục, không đối chiếu được tổng.")


def _label(table: dict, col) -> str:
    for c in table.get("columns", []):
        if (c["key"], c.get("year")) == col:
            return clean(c.get("label")) or c["key"]
    return col[0]


def _msg(table, code, col, p, s, kids) -> str:
    return (f"{table['index']}: mục {code}, cột «{_label(table, col)}» in {_fmt(p)} nhưng các mục con "
            f"{' + '.join(kids)} cộng lại là {_fmt(s)}.")
