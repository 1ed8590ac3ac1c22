"""A person's corrections to a reading before it is confirmed: a cell's text or number, a
column's type, two rows merged. Pure (no Django): a correction is a dict recorded with the
upload, and the corrected reading is the reading with every correction applied in order.

    {"kind": "cell", "table": 0, "row": 3, "field": "text.lead", "value": "Sở Nội vụ"}
    {"kind": "column", "table": 0, "from": "text.note", "to": "text.lead"}
    {"kind": "merge", "table": 0, "row": 4}          # row 4 joins row 3 (the row above)

Fields are named as in `chiso.core.plan_table.field_name` ("name", "code", "text.tasks",
"value.target.2025", "value.score.2024@1"). Row numbers refer to the reading as corrected by
the corrections before. Bad input raises `CorrectionError` with a message naming the place.
"""
from __future__ import annotations

import copy

from chiso.core.numbers import as_decimal, format_decimal
from chiso.core.plan_table import TEXT_KEYS, VALUE_KEYS, parse_field
from chiso.reader.numbers import parse_value


class CorrectionError(ValueError):
    pass


def apply_all(reading: dict, corrections: list[dict]) -> dict:
    doc = copy.deepcopy(reading)
    for c in corrections or []:
        apply(doc, c)
    return doc


def apply(doc: dict, c: dict) -> dict:
    """Applies one correction in place; returns what it replaced (for the record)."""
    table = _table(doc, c.get("table"))
    kind = c.get("kind")
    if kind == "cell":
        row = _row(table, c.get("row"))
        return {"old": _set(table, row, c.get("field") or "", str(c.get("value") or ""), c.get("row"))}
    if kind == "column":
        return {"old": _retype(table, c.get("from") or "", c.get("to") or "")}
    if kind == "merge":
        return {"old": _merge(table, c.get("row"))}
    raise CorrectionError("loại sửa đổi không hợp lệ")


def _table(doc: dict, t) -> dict:
    tables = doc.get("tables") or []
    if not isinstance(t, int) or not 0 <= t < len(tables):
        raise CorrectionError("không có bảng này trong tài liệu")
    return tables[t]


def _row(table: dict, r) -> dict:
    rows = table.get("rows") or []
    if not isinstance(r, int) or not 0 <= r < len(rows):
        raise CorrectionError("không có dòng này trong bảng")
    return rows[r]


def _label(row: dict, r: int) -> str:
    return f"dòng {row.get('code') or r + 1}"


def parse_number(text: str, where: str):
    """A value as a person types it: "1,5", "85 - 87"; empty clears it."""
    text = " ".join(text.split())
    if not text:
        return None
    v = parse_value(text)
    if v is None:
        raise CorrectionError(f"{where}: «{text[:40]}» không phải là số (ví dụ 1,5 hoặc 85 - 87)")
    return v


def _value_matches(v: dict, key, year, criterion) -> bool:
    return v.get("key") == key and (v.get("year") or None) == year and (v.get("criterion") or None) == criterion


def _set(table: dict, row: dict, field: str, text: str, r: int):
    kind, key, year, criterion = parse_field(field)
    where = _label(row, r)
    text = " ".join(text.split())
    if kind == "code":
        old, row["code"] = row.get("code"), text.rstrip(".") or None
    elif kind == "name":
        old, row["name"] = row.get("name"), text
    elif kind == "text" and key in TEXT_KEYS:
        old = (row.get("text") or {}).get(key)
        row.setdefault("text", {})
        if text:
            row["text"][key] = text
        else:
            row["text"].pop(key, None)
    elif kind == "value" and key in VALUE_KEYS:
        value = parse_number(text, where)
        values = row.setdefault("values", [])
        old = next((v.get("value") for v in values if _value_matches(v, key, year, criterion)), None)
        values[:] = [v for v in values if not _value_matches(v, key, year, criterion)]
        if value is not None:
            item = {"key": key, **({"year": year} if year else {}), **({"criterion": criterion} if criterion else {}),
                    "value": value}
            values.append(item)
            _ensure_column(table, key, year, criterion)
    else:
        raise CorrectionError(f"{where}: cột «{field}» không sửa được")
    _drop_hints(table, lambda h: h.get("row") == r and h.get("field") == field)
    return old


def _ensure_column(table: dict, key: str, year, criterion) -> None:
    cols = table.setdefault("columns", [])
    if not any(_value_matches(c, key, year, criterion) for c in cols):
        cols.append({"key": key, **({"year": year} if year else {}), **({"criterion": criterion} if criterion else {}),
                     "label": key})


def _drop_hints(table: dict, test) -> None:
    if table.get("review"):
        table["review"] = [h for h in table["review"] if not test(h)]


def _fmt(v) -> str:
    if isinstance(v, list):
        return " - ".join(_fmt(x) for x in v)
    number = as_decimal(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None
    return format_decimal(number, 4, trim=True) if number is not None else str(v).replace(".", ",")


def _retype(table: dict, src: str, dst: str):
    """A column read as the wrong kind: its cells move to the right field (or are dropped)."""
    if src == dst:
        raise CorrectionError("cột mới trùng cột cũ")
    skind, skey, syear, scrit = parse_field(src)
    dkind, dkey, dyear, dcrit = parse_field(dst) if dst != "skip" else ("skip", None, None, None)
    if skind not in ("text", "value") or (skind == "text" and skey not in TEXT_KEYS) or \
            (skind == "value" and skey not in VALUE_KEYS):
        raise CorrectionError(f"không có cột «{src}» để đổi")
    if dkind not in ("text", "value", "skip") or (dkind == "text" and dkey not in TEXT_KEYS) or \
            (dkind == "value" and dkey not in VALUE_KEYS):
        raise CorrectionError(f"kiểu cột «{dst}» không hợp lệ")
    rows = table.get("rows") or []
    moved: list[tuple[int, object]] = []
    for i, row in enumerate(rows):
        if skind == "text":
            cell = (row.get("text") or {}).get(skey)
        else:
            cell = next((v.get("value") for v in row.get("values") or [] if _value_matches(v, skey, syear, scrit)), None)
        if cell not in (None, ""):
            moved.append((i, cell))
    if dkind == "value":  # every cell must be a number before anything moves
        parsed = [(i, parse_number(_fmt(cell) if skind == "value" else str(cell), _label(rows[i], i))) for i, cell in moved]
    else:
        parsed = [(i, _fmt(cell) if skind == "value" else cell) for i, cell in moved]
    for i, _ in moved:
        row = rows[i]
        if skind == "text":
            row["text"].pop(skey, None)
        else:
            row["values"] = [v for v in row["values"] if not _value_matches(v, skey, syear, scrit)]
    for i, cell in parsed:
        row = rows[i]
        if dkind == "text":
            before = (row.get("text") or {}).get(dkey)
            row.setdefault("text", {})[dkey] = f"{before} {cell}" if before else cell
        elif dkind == "value" and cell is not None:
            row["values"] = [v for v in row.get("values") or [] if not _value_matches(v, dkey, dyear, dcrit)]
            row["values"].append({"key": dkey, **({"year": dyear} if dyear else {}),
                                  **({"criterion": dcrit} if dcrit else {}), "value": cell})
    if skind == "value":
        table["columns"] = [c for c in table.get("columns") or [] if not _value_matches(c, skey, syear, scrit)]
    if dkind == "value":
        _ensure_column(table, dkey, dyear, dcrit)
    if table.get("text_columns") is not None:
        labels = [c for c in table["text_columns"] if c.get("key") == skey] if skind == "text" else []
        table["text_columns"] = [c for c in table["text_columns"] if not (skind == "text" and c.get("key") == skey)]
        if dkind == "text":
            table["text_columns"].append({"key": dkey, "label": labels[0]["label"] if labels else dkey})
    _drop_hints(table, lambda h: h.get("field") == src)
    return {"cells": len(moved)}


def _merge(table: dict, r) -> dict:
    """Row `r` is the rest of the row above it: its texts, name and missing values join that row."""
    rows = table.get("rows") or []
    if not isinstance(r, int) or not 1 <= r < len(rows):
        raise CorrectionError("chỉ gộp được một dòng với dòng ngay trên nó")
    upper, lower = rows[r - 1], rows[r]
    old = {"upper": copy.deepcopy(upper), "lower": copy.deepcopy(lower)}
    if lower.get("name"):
        upper["name"] = f"{upper.get('name') or ''} {lower['name']}".strip()
    upper["code"] = upper.get("code") or lower.get("code")
    for key, text in (lower.get("text") or {}).items():
        before = (upper.get("text") or {}).get(key)
        upper.setdefault("text", {})[key] = f"{before} {text}" if before else text
    have = {(v.get("key"), v.get("year") or None, v.get("criterion") or None) for v in upper.get("values") or []}
    for v in lower.get("values") or []:
        if (v.get("key"), v.get("year") or None, v.get("criterion") or None) not in have:
            upper.setdefault("values", []).append(v)
    del rows[r]
    hints = []
    for h in table.get("review") or []:
        row = h.get("row")
        if row == r:
            continue
        hints.append(dict(h, row=row - 1) if isinstance(row, int) and row > r else h)
    if "review" in table:
        table["review"] = hints
    return old


def describe(c: dict, reading: dict | None = None) -> str:
    """One Vietnamese line for the list of corrections."""
    kind = c.get("kind")
    t = (c.get("table") or 0) + 1
    if kind == "cell":
        return f"Bảng {t}, dòng {c.get('row', 0) + 1}: «{c.get('field')}» → «{c.get('value') or '(trống)'}»"
    if kind == "column":
        return f"Bảng {t}: cột «{c.get('from')}» đọc thành «{c.get('to')}»"
    if kind == "merge":
        return f"Bảng {t}: gộp dòng {c.get('row', 0) + 1} vào dòng trên"
    return str(c)

