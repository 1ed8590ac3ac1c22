"""Plain-text layouts of a document, as text extracted from PDFs, web pages and viewers looks:

- `tsv`: one line per row, cells separated by tabs; a page break prints a blank line and the
  header again, and the page's first row may be the fragment of a row cut by the break;
- `onecell_tab`: every cell on its own line starting with a tab, an empty cell as a lone tab,
  a blank line between rows, header labels wrapped over several lines;
- `onecell_tab_omit`: the same with empty cells left out and long cells wrapped over lines;
- `onecell_blank`: every non-empty cell (each paragraph) on its own line, blank lines between;
- `onecell_lines`: every non-empty cell on its own line, no blank lines at all.
"""
from __future__ import annotations

import random
import textwrap

from .model import Doc
from .physical import Row, groups, header, table_rows


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width=width, break_long_words=False, break_on_hyphens=False) or [text]


def _tsv(rows: list[Row], head: list[Row], midpage: bool) -> list[str]:
    out = []
    for r in rows:
        if r.page_break and not midpage:
            out.append("")
            if r.kind != "header":
                out.extend(_tsv_line(h) for h in head)
        out.append(_tsv_line(r))
    return out


def _tsv_line(r: Row) -> str:
    cells = []
    for j, c in enumerate(r.cells):
        cells.append("" if j in r.covered else " ".join(c))
    return "\t".join(cells)


def _onecell(rows: list[Row], *, tab: bool, empty: bool, blank_rows: bool, blank_cells: bool,
             wrap_header: int, wrap_cells: int) -> list[str]:
    lead = "\t" if tab else ""
    out: list[str] = []
    head_done = False
    for r in rows:
        if r.kind == "header" and head_done and r.page_break:
            pass  # a repeated header prints like the first one
        lines: list[str] = []
        for j, c in enumerate(r.cells):
            if j in r.covered:
                continue
            if not c:
                if empty:
                    lines.append("")
                continue
            for para in c:
                if r.kind == "header" and wrap_header:
                    lines.extend(_wrap(para, wrap_header))
                elif wrap_cells and len(para) > wrap_cells:
                    lines.extend(_wrap(para, wrap_cells))
                else:
                    lines.append(para)
        if r.kind == "header":
            head_done = True
        for x in lines:
            out.append(lead + x)
            if blank_cells:
                out.append("")
        if blank_rows and not blank_cells:
            out.append("")
    return out


def render(doc: Doc) -> str:
    rng = random.Random(doc.seed)
    lines: list[str] = []
    lines.extend(doc.head)
    lines.append("")
    lines.extend(doc.body)
    for group in groups(doc.sections):
        first = group[0]
        lines.append("")
        lines.extend(first.caption)
        lines.append("")
        rows = table_rows(group, doc.features, rng)
        lay = doc.text_layout
        if lay == "tsv":
            lines.extend(_tsv(rows, header(first.columns), "midpage" in doc.features))
        elif lay == "onecell_tab":
            lines.extend(_onecell(rows, tab=True, empty=True, blank_rows=True, blank_cells=False, wrap_header=24, wrap_cells=0))
        elif lay == "onecell_tab_omit":
            lines.extend(_onecell(rows, tab=True, empty=False, blank_rows=True, blank_cells=False, wrap_header=0, wrap_cells=90))
        elif lay == "onecell_blank":
            lines.extend(_onecell(rows, tab=False, empty=False, blank_rows=False, blank_cells=True, wrap_header=0, wrap_cells=0))
        elif lay == "onecell_lines":
            lines.extend(_onecell(rows, tab=False, empty=False, blank_rows=False, blank_cells=False, wrap_header=0, wrap_cells=0))
        else:
            raise ValueError(lay)
    lines.append("")
    lines.extend(doc.tail)
    return "\n".join(lines) + "\n"
