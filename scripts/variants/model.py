"""The logical form of a generated document: what it says, independent of how it is laid out.

A `Doc` is rendered in every format by `render_text` / `render_office`; its golden reading
(chiso.plan-table/1) comes from the same object, so the layout never leaks into the golden.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Column:
    kind: str  # code | name | value | text
    key: str | None = None
    year: str | None = None
    label: str = ""
    group: str | None = None  # a label printed over several columns (two-row header)
    max: float | None = None  # results by unit: the maximum printed in the header
    criterion: str | None = None  # results by unit: the field a column scores
    narrow: bool = False  # printed in a column too narrow for its numbers


@dataclass
class Section:
    index: str
    caption: list[str]  # lines above the table
    columns: list[Column]
    rows: list[dict]  # golden rows: code, name, values, text
    total: list[dict] | None = None
    kind: str = "criteria"  # criteria | unit_results
    heading: str | None = None  # an in-table heading row ("I" | "CHỈ SỐ PAR INDEX") opening this section
    joined: bool = False  # printed in the same physical table as the previous section
    numbering: bool = False  # a "(1) (2) …" row under the header
    code_style: str = "plain"  # plain "1.1" | dotted "1.1."
    comma: bool = True  # decimal comma
    total_label: str = "TỔNG ĐIỂM"
    year: str | None = None  # results by unit: the year the table reports


@dataclass
class Doc:
    name: str
    document: dict  # golden document fields: issuer, number, date, title
    head: list[str]  # the document's own heading lines
    body: list[str] = field(default_factory=list)  # prose before the appendix
    sections: list[Section] = field(default_factory=list)
    tail: list[str] = field(default_factory=list)  # lines after the last table (signature)
    # layout features the renderers honour (see render_text / render_office)
    features: set[str] = field(default_factory=set)
    text_layout: str = "tsv"  # tsv | onecell_tab | onecell_tab_omit | onecell_blank | onecell_lines
    seed: int = 0

    def golden(self, source: str) -> dict:
        tables = []
        for s in self.sections:
            t = {"index": s.index, "caption": golden_caption(s)}
            if s.kind != "criteria":
                t["kind"] = s.kind
            cols = []
            for c in s.columns:
                if c.kind != "value":
                    continue
                col = {"key": c.key}
                if c.year and c.key != "max_points":
                    col["year"] = c.year
                if c.criterion:
                    col["criterion"] = c.criterion
                if c.max is not None:
                    col["max"] = c.max
                col["label"] = full_label(c)
                cols.append(col)
            code = next((c for c in s.columns if c.kind == "code"), None)
            if s.kind == "unit_results" and code and code.label in ("Xếp hạng", "Thứ hạng"):
                cols.append({"key": "rank", "year": s.year, "label": code.label})  # the rank numbers the rows
            if s.kind == "unit_results":
                t["year"] = s.year
            t["columns"] = cols
            t["rows"] = [dict(code=r.get("code"), name=r.get("name") or "", values=list(r.get("values") or []),
                              text=dict(r.get("text") or {})) for r in s.rows]
            if s.total:
                t["total"] = s.total
            tables.append(t)
        return {"schema": "chiso.plan-table/1", "source": source, "document": dict(self.document), "tables": tables}


def full_label(c: Column) -> str:
    return c.label


def golden_caption(s: Section) -> str:
    if s.heading:
        return s.heading
    return " ".join(x for x in s.caption if not x.startswith("("))


def value(key: str, v, year: str | None = None, criterion: str | None = None) -> dict:
    out = {"key": key}
    if year and key != "max_points":
        out["year"] = year
    if criterion:
        out["criterion"] = criterion
    out["value"] = v
    return out
