"""Tables copied from a web page or a PDF viewer: every cell on its own line, each line starting
with a tab, a blank line between rows.

    \\tSTT                       header labels, one per line, a long one wrapped over lines
    \\tLĩnh vực/Tiêu chí/Tiêu
    \\tchí thành phần
    \\tĐiểm tối đa
                                ← a blank line ends a row
    \\t1.1                       a row: number, name, scores, then its text cells
    \\tThực hiện kế hoạch CCHC
    \\t1,5
    \\t                          an empty cell: a lone tab (or, in other copies, no line at all)
    \\t- Rà soát, đánh giá …

A row's lines are its cells in order. When every cell printed a line (empty ones as lone tabs)
the row is read by position; otherwise the number, the name and the scores come first and the
text lines are shared among the text columns by `textcols` (a cell's wrapped lines, which start
in lower case, are joined first). A block without a number continues the row above (a page
break), and is joined to it by the interpreter.
"""
from __future__ import annotations

import re

from . import codes
from .headers import is_label
from .interpret import is_total
from .layout import build_layout
from .model import Cell, Table
from .numbers import PLACEHOLDERS, parse_value
from .onecell import _leaves, texts_around_values
from .textcols import assign
from .textutil import key

_NUMBERING = re.compile(r"^\(\s*\d+\s*\)$|^\d{1,2}$")
HEADER_START = ("stt", "tt", "sott", "sothutu", "xephang", "thuhang", "hang")


def is_tab_line(line: str) -> bool:
    """A line of the layout: a leading tab and no other (a lone tab is an empty cell)."""
    return line.startswith("\t") and "\t" not in line[1:]


def starts_table(blocks: list[list[str]]) -> bool:
    first = next((b for b in blocks if any(x.strip() for x in b)), None)
    if not first:
        return False
    texts = [x for x in first if x.strip()]
    if key(texts[0]).replace(" ", "") not in HEADER_START:
        return False
    labels = [x for b in blocks[:3] for x in b if x.strip()][1:8]
    return sum(1 for x in labels if is_label(x, years=False)) >= 2


def _continues(line: str) -> bool:
    """A wrapped line of the cell above: it starts in lower case (or with a digit or bracket in a header)."""
    t = line.strip()
    return bool(t) and t[0].isalpha() and t[0].islower()


def _join_labels(labels: list[str]) -> list[str]:
    out: list[str] = []
    for x in labels:
        t = x.strip()
        if out and (_continues(t) or t[:1] in "(%" or (t[:1].isdigit() and not _NUMBERING.match(t))):
            out[-1] = f"{out[-1]} {t}"
        else:
            out.append(t)
    return out


def _unwrap(block: list[str]) -> list[str]:
    out: list[str] = []
    for x in block:
        t = x.strip()
        if out and out[-1] and _continues(t) and len(out) > 1:
            out[-1] = f"{out[-1]} {t}"
        else:
            out.append(t)
    return out


def _is_numbering(texts: list[str]) -> bool:
    return len(texts) >= 3 and all(_NUMBERING.match(x) for x in texts)


def parse_blocks(blocks: list[list[str]], wheres: list[str]) -> Table:
    """One table from its row blocks (the first ones are its header)."""
    i, labels = 0, []
    while i < len(blocks):
        texts = [x.strip() for x in blocks[i] if x.strip()]
        if not texts:
            i += 1
            continue
        if _is_numbering(texts):
            i += 1
            break
        if labels and (codes.normalize(texts[0]) is not None or is_total(texts[0]) or not blocks[i][0].strip()
                       or any(len(x) > 100 for x in texts)):
            break
        labels.extend(texts)
        i += 1
    paths = _leaves(_join_labels(labels))
    header = [Cell(p[0]) for p in paths]
    sub = [Cell(p[-1]) if len(p) > 1 else Cell(p[0], covered_v=True) for p in paths]
    block = [header, sub] if any(len(p) > 1 for p in paths) else [header]
    rows: list[list[Cell]] = list(block)
    row_where = [wheres[0]] * len(block)
    layout = build_layout(block, 0)
    if layout is None:
        return Table(rows, wheres[0], row_where)
    width = len(paths)
    for b, where in zip(blocks[i:], wheres[i:]):
        if not any(x.strip() for x in b):
            continue
        cells = _row(b, layout, width)
        if cells is not None:
            rows.append(cells)
            row_where.append(where)
    return Table(rows, wheres[0], row_where)


def _row(block: list[str], layout, width: int) -> list[Cell] | None:
    marked = any(not x.strip() for x in block)  # empty cells print a lone tab
    if marked and len(block) == width:
        return [Cell(x.strip()) for x in block]
    lines = _unwrap(block)
    while lines and not lines[-1] and len(lines) > width:
        lines.pop()
    texts = [x for x in lines if x]
    if _is_numbering(texts):
        return None
    if marked and len(lines) == width:
        return [Cell(x) for x in lines]
    cols = layout.columns
    code_i = next((c.index for c in cols if c.kind == "code"), None)
    name_i = next((c.index for c in cols if c.kind == "name"), None)
    value_i = [c.index for c in cols if c.kind == "value"]
    text_cols = [c for c in cols if c.kind == "text"]
    cells = [Cell() for _ in range(width)]
    k = 0
    first = lines[0]
    numbered = codes.normalize(first) is not None or is_total(first)
    if numbered or (marked and not first):
        if code_i is not None:
            cells[code_i] = Cell(first)
        elif name_i is not None and first:
            cells[name_i] = Cell(first)
        k = 1
        if name_i is not None and k < len(lines) and not (is_total(first) and parse_value(lines[k]) is not None):
            if lines[k] or marked:
                cells[name_i] = Cell(lines[k]) if lines[k] else cells[name_i]
                k += 1
        before = [c for c in text_cols if value_i and name_i is not None and name_i < c.index < min(value_i)]
        if before:  # text columns stand between the name and the scores: the scores follow their lines
            return texts_around_values(cells, lines[k:], before, [c for c in text_cols if c not in before],
                                        value_i, marked)
        for vi in value_i:
            if k < len(lines) and (parse_value(lines[k]) is not None or lines[k].lower() in PLACEHOLDERS):
                cells[vi] = Cell(lines[k] if parse_value(lines[k]) is not None else "")
                k += 1
    elif not numbered and name_i is not None:
        # a row cut by a page break, printed without its number: its tails, in column order
        kinds = ["name"] + [c.key for c in text_cols]
        runs = assign(kinds, [x for x in lines if x])
        cells[name_i] = Cell(" ".join(runs[0]))
        for col, run in zip(text_cols, runs[1:]):
            cells[col.index] = Cell(" ".join(run))
        return cells
    rest = lines[k:]
    if text_cols and any(rest):
        runs = assign([c.key for c in text_cols], rest, marked=marked)
        guess = len(text_cols) > 1 and len([x for x in rest if x]) != len(text_cols)
        for col, run in zip(text_cols, runs):
            cells[col.index] = Cell(" ".join(run), guessed=guess)
    return cells

