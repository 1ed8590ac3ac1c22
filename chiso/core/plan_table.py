"""The one schema of `chiso.plan-table/1`: what the reader writes and the loader, the upload
preview and the results import read (docs/plan-table.md describes it for people).

Pure (pydantic, no Django). Two kinds of table:

- `criteria` (the default, `kind` may be left out): rows are the criteria of an index
  (fields, criteria, sub-criteria) with scores and tasks;
- `unit_results`: rows are units (departments, districts, communes, provinces) with the
  published results of one year: appraised and survey points, total, index %, rank, or the
  points of each field (a value column scoped to a `criterion`).

    doc = parse(data, "ke-hoach.json")       # PlanTable, or PlanTableError listing every problem
    data = dump(doc)                          # back to the JSON form (empty fields left out)
"""
from __future__ import annotations

from typing import Literal, Union

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from chiso.core.numbers import parse_decimal

SCHEMA = "chiso.plan-table/1"
INDEXES = ("PAR_INDEX", "SIPAS", "PAPI")
KINDS = ("criteria", "unit_results")

# value keys of criteria tables (the spec's five) and the ones results by unit add
CRITERIA_VALUE_KEYS = ("max_points", "achieved", "appraised", "deducted", "target")
UNIT_VALUE_KEYS = ("appraised", "survey", "self_assessed", "deducted", "score", "total", "percent", "rank")
VALUE_KEYS = tuple(dict.fromkeys(CRITERIA_VALUE_KEYS + UNIT_VALUE_KEYS))
TEXT_KEYS = ("tasks", "reason", "lead", "coordinating", "implementing", "monitoring", "responsible",
             "deadline", "deliverable", "note", "grade")
ROLE_KEYS = ("lead", "coordinating", "implementing", "monitoring", "responsible")
# the value keys whose values are points a unit scored (not a maximum, a share or a rank)
SCORE_KEYS = ("achieved", "appraised", "survey", "self_assessed", "score", "total")

Number = Union[float, int]
Amount = Union[Number, tuple[Number, Number]]


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)


class Value(_Model):
    key: Literal[VALUE_KEYS]  # type: ignore[valid-type]
    year: str | None = None
    criterion: str | None = None  # results by unit: the field or criterion the value scores
    value: Amount

    @field_validator("year", "criterion", mode="before")
    @classmethod
    def _text(cls, v):
        return None if v in (None, "") else str(v)

    @field_validator("value", mode="before")
    @classmethod
    def _amount(cls, v):
        if isinstance(v, bool):
            raise ValueError("giá trị phải là số")
        if isinstance(v, str):
            number = parse_decimal(v)
            if number is None:
                raise ValueError(f"'{v}' không phải là số")
            return float(number)
        if isinstance(v, (list, tuple)) and len(v) != 2:
            raise ValueError("khoảng giá trị phải có đúng 2 số")
        return v

    @property
    def low(self) -> float:
        return float(self.value[0] if isinstance(self.value, tuple) else self.value)

    @property
    def high(self) -> float:
        return float(self.value[1] if isinstance(self.value, tuple) else self.value)

    @property
    def column(self) -> tuple[str, str | None, str | None]:
        return self.key, self.year, self.criterion


class Column(_Model):
    key: Literal[VALUE_KEYS]  # type: ignore[valid-type]
    year: str | None = None
    criterion: str | None = None
    max: Number | None = None  # the maximum printed in the header ("Điểm thẩm định (tối đa 61,5)")
    label: str = ""

    @field_validator("year", "criterion", mode="before")
    @classmethod
    def _text(cls, v):
        return None if v in (None, "") else str(v)

    @property
    def ident(self) -> tuple[str, str | None, str | None]:
        return self.key, self.year, self.criterion


class Row(_Model):
    code: str | None = None
    name: str = ""
    values: list[Value] = Field(default_factory=list)
    text: dict[str, str] = Field(default_factory=dict)

    @field_validator("code", mode="before")
    @classmethod
    def _code(cls, v):
        return None if v in (None, "") else str(v)

    @field_validator("name", mode="before")
    @classmethod
    def _name(cls, v):
        return "" if v is None else str(v)

    def value(self, key: str, year: str | None = None, criterion: str | None = None) -> Amount | None:
        for v in self.values:
            if v.key == key and (year is None or v.year == year) and v.criterion == criterion:
                return v.value
        return None


class Hint(_Model):
    """A cell (or, without `row`, a column) a person should check before confirming."""
    row: int | None = None
    field: str  # "name", "text.lead", "value.achieved.2023", "value.score.2024@1"
    why: str = ""


def field_name(kind: str, key: str | None = None, year: str | None = None, criterion: str | None = None) -> str:
    """"text.lead", "value.target.2025", "value.score.2024@1"; "code" and "name" as they are."""
    if kind in ("code", "name"):
        return kind
    out = f"{kind}.{key}"
    if kind == "value" and year:
        out += f".{year}"
    if kind == "value" and criterion:
        out += f"@{criterion}"
    return out


def parse_field(field: str) -> tuple[str, str | None, str | None, str | None]:
    """The inverse of `field_name`: (kind, key, year, criterion)."""
    if field in ("code", "name"):
        return field, None, None, None
    kind, _, rest = field.partition(".")
    rest, _, criterion = rest.partition("@")
    key, _, year = rest.partition(".")
    return kind, key or None, year or None, criterion or None


class TextColumn(_Model):
    key: str
    label: str = ""


class Table(_Model):
    kind: Literal[KINDS] = "criteria"  # type: ignore[valid-type]
    index: Literal[INDEXES]  # type: ignore[valid-type]
    caption: str = ""
    year: str | None = None  # results by unit: the year the results are for
    columns: list[Column] = Field(default_factory=list)
    text_columns: list[TextColumn] | None = None
    rows: list[Row] = Field(default_factory=list)
    total: list[Value] | None = None
    review: list[Hint] = Field(default_factory=list)

    @field_validator("year", mode="before")
    @classmethod
    def _year(cls, v):
        return None if v in (None, "") else str(v)

    @property
    def is_unit_results(self) -> bool:
        return self.kind == "unit_results"

    def column_years(self, *keys: str) -> list[int]:
        out = []
        for c in self.columns:
            if (not keys or c.key in keys) and c.year and c.year[:4].isdigit():
                out.append(int(c.year[:4]))
        return out


class DocumentFields(_Model):
    issuer: str | None = None
    number: str | None = None
    date: str | None = None
    title: str | None = None


class PlanTable(_Model):
    schema_: Literal[SCHEMA] = Field(SCHEMA, alias="schema")  # type: ignore[valid-type]
    source: str = ""
    document: DocumentFields = Field(default_factory=DocumentFields)
    tables: list[Table] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)

    def unknown_text_keys(self) -> list[str]:
        """Text columns this schema does not know, as "tables[0].rows[3] (STT 1.1): […]" lines."""
        out = []
        for t_i, t in enumerate(self.tables):
            for r_i, r in enumerate(t.rows):
                unknown = sorted(set(r.text) - set(TEXT_KEYS))
                if unknown:
                    out.append(f"{_where(t_i, r_i, r.code)}: {unknown}")
        return out

    @property
    def unit_results(self) -> list[Table]:
        return [t for t in self.tables if t.is_unit_results]


class PlanTableError(ValueError):
    """Every structural problem of a document, each naming its place (tables[0].rows[3]…)."""

    def __init__(self, name: str, problems: list[str]):
        self.name = name
        self.problems = problems
        super().__init__(f"{name}: {len(problems)} lỗi: " + "; ".join(problems[:5]))


_MESSAGES = {
    "literal_error": "giá trị không hợp lệ",
    "missing": "thiếu trường bắt buộc",
    "dict_type": "phải là một đối tượng",
    "list_type": "phải là một danh sách",
    "string_type": "phải là chữ",
    "float_type": "phải là số",
    "float_parsing": "phải là số",
    "int_type": "phải là số",
    "tuple_type": "phải là một số hoặc một khoảng [a, b]",
    "model_type": "phải là một đối tượng",
}


def _where(t_i: int, r_i: int | None = None, code: str | None = None) -> str:
    out = f"tables[{t_i}]"
    if r_i is not None:
        out += f".rows[{r_i}]" + (f" (STT {code})" if code else "")
    return out


def _loc(loc: tuple) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in ("function-after", "function-before", "union", "tagged-union") or "[" in str(part):
            continue
        else:
            out += ("." if out else "") + str(part)
    return out or "tài liệu"


def _problems(err: ValidationError) -> list[str]:
    out, seen = [], set()
    for e in err.errors():
        loc = _loc(tuple(p for p in e["loc"] if not (isinstance(p, str) and p in ("float", "int", "tuple[...]"))))
        msg = _MESSAGES.get(e["type"], e["msg"])
        if e["type"] == "literal_error" and "expected" in (e.get("ctx") or {}):
            msg = f"'{e.get('input')}' không thuộc {e['ctx']['expected'].replace(' or ', ', ')}"
        elif e["type"] == "value_error":
            msg = str((e.get("ctx") or {}).get("error") or e["msg"])
        line = f"{loc}: {msg}"
        if line not in seen:
            seen.add(line)
            out.append(line)
    return out


def parse(data: object, name: str = "tài liệu") -> PlanTable:
    """The document as a `PlanTable`; `PlanTableError` lists every problem with its place."""
    if not isinstance(data, dict):
        raise PlanTableError(name, ["không phải một đối tượng JSON chiso.plan-table/1"])
    if data.get("schema") != SCHEMA:
        problems = [f"schema phải là '{SCHEMA}' (đang là {data.get('schema')!r})"]
    else:
        problems = []
    try:
        doc = PlanTable.model_validate(data)
    except ValidationError as e:
        raise PlanTableError(name, problems + [p for p in _problems(e) if not p.startswith("schema")]) from None
    if problems:
        raise PlanTableError(name, problems)
    for t_i, t in enumerate(doc.tables):
        for r_i, r in enumerate(t.rows):
            if not r.name.strip() and not r.code:
                problems.append(f"{_where(t_i, r_i)}: dòng không có STT và tên")
    if problems:
        raise PlanTableError(name, problems)
    return doc


def dump(doc: PlanTable) -> dict:
    """The JSON form: `kind` only for results by unit, empty optional fields left out."""
    out = {"schema": SCHEMA, "source": doc.source, "document": doc.document.model_dump(), "tables": []}
    for t in doc.tables:
        td: dict = {}
        if t.kind != "criteria":
            td["kind"] = t.kind
        td["index"] = t.index
        td["caption"] = t.caption
        if t.year:
            td["year"] = t.year
        td["columns"] = [_column(c) for c in t.columns]
        td["rows"] = [{"code": r.code, "name": r.name, "values": [_value(v) for v in r.values], "text": dict(r.text)}
                      for r in t.rows]
        if t.total:
            td["total"] = [_value(v) for v in t.total]
        if t.text_columns is not None:
            td["text_columns"] = [c.model_dump() for c in t.text_columns]
        if t.review:
            td["review"] = [h.model_dump() for h in t.review]
        out["tables"].append(td)
    out["warnings"] = list(doc.warnings)
    return out


def _value(v: Value) -> dict:
    d: dict = {"key": v.key}
    if v.year and v.key != "max_points":
        d["year"] = v.year
    if v.criterion:
        d["criterion"] = v.criterion
    d["value"] = list(v.value) if isinstance(v.value, tuple) else v.value
    return d


def _column(c: Column) -> dict:
    d: dict = {"key": c.key}
    if c.year and c.key != "max_points":
        d["year"] = c.year
    if c.criterion:
        d["criterion"] = c.criterion
    if c.max is not None:
        d["max"] = c.max
    d["label"] = c.label
    return d
