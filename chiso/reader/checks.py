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


def _pair(v) -> tuple[float, float] | None:
    """A value as its two ends: a number is [x, x], a range [low, high]."""
    if v is None:
        return None
    if isinstance(v, list):
        return float(v[0]), float(v[1])
    return float(v), float(v)


def _vals(row: dict) -> dict:
    return {(v["key"], v.get("year")): _pair(v["value"]) for v in row.get("values", [])}


def _sum(pairs: list) -> tuple[float, float]:
    return sum(p[0] for p in pairs), sum(p[1] for p in pairs)


def _differs(p: tuple, s: tuple) -> bool:
    return abs(s[0] - p[0]) > TOL or abs(s[1] - p[1]) > TOL


def _show(p: tuple) -> str:
    return _fmt(p[0]) if abs(p[0] - p[1]) <= TOL else f"{_fmt(p[0])} - {_fmt(p[1])}"


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
            s = _sum(ks)
            if _differs(p, s):
                out.append(_msg(table, rows[parent]["code"], col, p, s, [rows[k]["code"] for k in kids]))
    if "total" in table:
        tv = {(v["key"], v.get("year")): _pair(v["value"]) for v in table["total"]}
        if _partial(tv, [_vals(rows[r]) for r in tops]):
            out.append(_partial_msg(table, "dòng tổng", tv, [rows[r] for r in tops]))
            return out
        for col in cols:
            t = tv.get(col)
            ks = [_vals(rows[r]).get(col) for r in tops]
            if t is None or not ks or any(k is None for k in ks):
                continue
            s = _sum(ks)
            if _differs(t, s):
                out.append(f"{table['index']}: dòng tổng, cột «{_label(table, col)}» in {_show(t)} nhưng tổng các lĩnh vực "
                           f"{', '.join(rows[r]['code'] for r in tops)} là {_show(s)}.")
    return out


def _partial(parent: dict, kids: list[dict]) -> bool:
    """The listed children's max points fall short of the parent's: the table lists only some
    criteria (a deductions table lists those that lost points), so sums cannot be compared."""
    p = parent.get(("max_points", None))
    ks = [k.get(("max_points", None)) for k in kids]
    if p is None or any(k is None for k in ks):
        return False
    return sum(k[1] for k in ks) < p[0] - TOL


def _partial_msg(table: dict, where: str, parent: dict, kids: list[dict]) -> str:
    listed = sum(_vals(k)[("max_points", None)][1] for k in kids)
    return (f"{table['index']}: {where} có điểm tối đa {_fmt(parent[('max_points', None)][1])} nhưng bảng chỉ liệt kê "
            f"{' + '.join(k['code'] for k in kids)} (tối đa {_fmt(listed)}): thiếu một số mục, không đối chiếu được tổng.")


def _label(table: dict, col) -> str:
    for c in table.get("columns", []):
        if (c["key"], c.get("year")) == col:
            return clean(c.get("label")) or c["key"]
    return col[0]


def _msg(table, code, col, p, s, kids) -> str:
    return (f"{table['index']}: mục {code}, cột «{_label(table, col)}» in {_show(p)} nhưng các mục con "
            f"{' + '.join(kids)} cộng lại là {_show(s)}.")


def unit_arithmetic(table: dict) -> list[str]:
    """Results by unit: the parts add up to the total, the % is the total over its maximum, and
    the printed rank is the rank of the points (equal points share a rank)."""
    out: list[str] = []
    cols = table.get("columns") or []
    fields = [c for c in cols if c["key"] == "score"]
    parts = fields or [c for c in cols if c["key"] in ("appraised", "survey")]
    total_col = next((c for c in cols if c["key"] == "total"), None)
    has_rank = any(c["key"] == "rank" for c in cols)
    max_total = (total_col or {}).get("max")
    if max_total is None and parts and all(c.get("max") is not None for c in parts):
        max_total = sum(c["max"] for c in parts)
    idx = table.get("index")
    points: list[tuple[int, float]] = []
    for i, row in enumerate(table.get("rows") or []):
        vals = {(v["key"], v.get("criterion")): _num(v["value"]) for v in row.get("values") or []}
        who = f"{idx}: {row.get('name') or row.get('code')}"
        total = vals.get(("total", None))
        got = [vals.get((c["key"], c.get("criterion"))) for c in parts]
        if parts and total is not None and all(x is not None for x in got):
            s = sum(got)
            if abs(s - total) > 0.005 * (len(parts) + 1) + TOL:
                out.append(f"{who}: các điểm thành phần cộng lại là {_fmt(s)} nhưng tổng điểm in {_fmt(total)}.")
        if total is None and parts and all(x is not None for x in got):
            total = sum(got)
        pct = vals.get(("percent", None))
        if pct is not None and total is not None and max_total:
            expected = total / max_total * 100
            if abs(expected - pct) > 0.011:
                out.append(f"{who}: chỉ số in {_fmt(pct)}% nhưng {_fmt(total)}/{_fmt(max_total)} là {_fmt(expected)}%.")
        score = total if total is not None else pct
        if has_rank and score is not None and vals.get(("rank", None)) is not None:
            points.append((i, score))
    rows = table.get("rows") or []
    ordered = sorted((s for _, s in points), reverse=True)
    for i, s in points:
        expected = next(k for k, x in enumerate(ordered, 1) if abs(x - s) <= TOL)
        printed = _num(next(v["value"] for v in rows[i]["values"] if v["key"] == "rank"))
        if printed != expected:
            out.append(f"{idx}: {rows[i].get('name') or rows[i].get('code')} xếp hạng {_fmt(printed)} nhưng theo điểm "
                       f"({_fmt(s)}) là hạng {expected}.")
    return out
