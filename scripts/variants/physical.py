"""From a logical section to the physical rows every format prints: header rows with spans, the
numbering row, index heading rows, data rows, page-break fragments, spilled tails, repeated
headers and the total row. Cells are lists of paragraphs."""
from __future__ import annotations

import random
from dataclasses import dataclass, field

from .model import Column, Section


@dataclass
class Row:
    kind: str  # header | numbering | heading | data | fragment | total
    cells: list[list[str]]
    spans: dict[int, tuple[int, int]] = field(default_factory=dict)  # col -> (rowspan, colspan)
    covered: set[int] = field(default_factory=set)
    page_break: bool = False  # a page break falls just before this row


def fmt_num(v, comma: bool) -> str:
    if isinstance(v, list):
        return " - ".join(fmt_num(x, comma) for x in v)
    s = str(int(v)) if float(v) == int(v) else repr(float(v))
    return s.replace(".", ",") if comma else s


def printed_code(code: str | None, style: str) -> str:
    if not code:
        return ""
    if style == "dotted" and code[0].isdigit() and code.count(".") <= 1:
        return code + "."
    return code


def header(columns: list[Column]) -> list[Row]:
    """One header row, or two when some columns sit under a group label."""
    if not any(c.group for c in columns):
        return [Row("header", [[c.label] for c in columns])]
    top = Row("header", [[] for _ in columns])
    sub = Row("header", [[] for _ in columns])
    j = 0
    while j < len(columns):
        c = columns[j]
        if c.group:
            k = j
            while k + 1 < len(columns) and columns[k + 1].group == c.group:
                k += 1
            top.cells[j] = [c.group]
            top.spans[j] = (1, k - j + 1)
            top.covered.update(range(j + 1, k + 1))
            for m in range(j, k + 1):
                sub.cells[m] = [columns[m].label]
            j = k + 1
        else:
            top.cells[j] = [c.label]
            top.spans[j] = (2, 1)
            sub.covered.add(j)
            j += 1
    return [top, sub]


def _cells(section: Section, row: dict) -> list[list[str]]:
    vals = {(v["key"], v.get("year"), v.get("criterion")): v["value"] for v in row.get("values") or []}
    paras = row.get("_paras") or {}
    out = []
    for c in section.columns:
        if c.kind == "code":
            out.append([printed_code(row.get("code"), section.code_style)] if row.get("code") else [])
        elif c.kind == "name":
            out.append([row.get("name") or ""])
        elif c.kind == "value":
            v = vals.get((c.key, c.year if c.key != "max_points" else None, c.criterion))
            out.append([] if v is None else [fmt_num(v, section.comma)])
        else:
            if c.key in paras:
                out.append(list(paras[c.key]))
            else:
                t = (row.get("text") or {}).get(c.key)
                out.append([t] if t else [])
    return out


def _split_tail(text: str, rng: random.Random, min_head: int = 3) -> tuple[str, str] | None:
    """Cut a paragraph where the next word starts in lower case (a line that a page break cut)."""
    words = text.split(" ")
    spots = [i for i in range(min_head, len(words) - 1) if words[i][:1].islower()]
    if not spots:
        return None
    i = rng.choice(spots[len(spots) // 3:] or spots)
    return " ".join(words[:i]), " ".join(words[i:])


def body(section: Section, features: set[str], rng: random.Random) -> list[Row]:
    """The section's rows as printed, with fragments and spills where the features ask for them."""
    rows: list[Row] = []
    width = len(section.columns)
    if section.heading:
        numeral, _, title = section.heading.partition(". ")
        cells = [[numeral], [title]] + [[] for _ in range(width - 2)]
        r = Row("heading", cells)
        if "heading_span" in features:
            r.spans[1] = (1, width - 1)
            r.covered.update(range(2, width))
        rows.append(r)
    text_cols = [j for j, c in enumerate(section.columns) if c.kind == "text"]
    name_col = next(j for j, c in enumerate(section.columns) if c.kind == "name")
    every = 7 if "fragments" in features else 0
    since = 0
    for logical in section.rows:
        cells = _cells(section, logical)
        rows.append(Row("data", cells))
        since += 1
        if not every or since < every:
            continue
        # a page break inside this row: its tails go to a fragment row with no number and no values
        frag = [[] for _ in range(width)]
        cut = False
        for j in [name_col] + text_cols:
            if not cells[j]:
                continue
            last = cells[j][-1]
            split = _split_tail(last, rng, 2 if j == name_col else 3)
            if split is None or (j == name_col and rng.random() < 0.4 and not _has_index_name(last)):
                continue
            cells[j][-1], frag[j] = split[0], [split[1]]
            cut = True
        if cut:
            rows.append(Row("fragment", frag, page_break=True))
            since = 0
    if "spill" in features and text_cols:
        _spill(rows, text_cols, rng)
    return rows


def _has_index_name(text: str) -> bool:
    return any(w in text for w in ("SIPAS", "PAPI", "PAR INDEX"))


def _spill(rows: list[Row], text_cols: list[int], rng: random.Random) -> None:
    """The tail of a task cell printed on the next numbered row, whose own cell is empty."""
    done = 0
    for i in range(len(rows) - 1):
        a, b = rows[i], rows[i + 1]
        if a.kind != "data" or b.kind != "data" or done >= 3:
            continue
        j = text_cols[0]
        if not a.cells[j] or b.cells[j] or rng.random() < 0.5:
            continue
        split = _split_tail(a.cells[j][-1], rng, 4)
        if split is None:
            continue
        a.cells[j][-1], b.cells[j] = split[0], [split[1]]
        b.page_break = True
        done += 1


def numbering(section: Section) -> Row:
    return Row("numbering", [[f"({j + 1})"] for j in range(len(section.columns))])


def total(section: Section) -> Row | None:
    if not section.total:
        return None
    vals = {(v["key"], v.get("year"), v.get("criterion")): v["value"] for v in section.total}
    cells = []
    for c in section.columns:
        if c.kind == "name":
            cells.append([section.total_label])
        elif c.kind == "value":
            v = vals.get((c.key, c.year if c.key != "max_points" else None, c.criterion))
            cells.append([] if v is None else [fmt_num(v, section.comma)])
        else:
            cells.append([])
    return Row("total", cells)


def table_rows(sections: list[Section], features: set[str], rng: random.Random) -> list[Row]:
    """Every physical row of one printed table (sections joined under index headings)."""
    first = sections[0]
    out = header(first.columns)
    if first.numbering:
        out.append(numbering(first))
    for s in sections:
        out.extend(body(s, features, rng))
        t = total(s)
        if t:
            out.append(t)
    if "repeat_header" in features:
        out = _repeat_headers(out, header(first.columns), rng)
    return out


def _repeat_headers(rows: list[Row], head: list[Row], rng: random.Random) -> list[Row]:
    """The header printed again in the middle of the table (a second page's header carried
    into the text, or two tables pasted as one)."""
    out, since = [], 0
    start = len(head)
    for i, r in enumerate(rows):
        if i >= start + 4 and r.kind == "data" and since >= 12 and rng.random() < 0.5:
            for h in head:
                out.append(Row("header", [list(c) for c in h.cells], dict(h.spans), set(h.covered), page_break=True))
            since = 0
        out.append(r)
        since += 1
    return out


def groups(sections: list[Section]) -> list[list[Section]]:
    """Sections printed in the same physical table."""
    out: list[list[Section]] = []
    for s in sections:
        if s.joined and out:
            out[-1].append(s)
        else:
            out.append([s])
    return out
