"""PDF with a text layer -> document model.

pypdfium2 (PDFium, the engine pdfplumber itself uses for rendering) gives the text
and the ruling lines fast; pdfplumber's table geometry (edges -> intersections ->
cells -> tables) turns the rules into cells. Text outside tables becomes paragraph
lines; a page without ruled tables is read as text lines split into cells at wide gaps.
"""
from __future__ import annotations

import re

from ..errors import ReaderError
from ..model import Cell, Document, Para, Table
from ..syllables import rejoin

MAX_PAGES = 400
_PAGE_NUMBER = re.compile(r"[-–—\s]*(trang\s*)?\d+(\s*/\s*\d+)?[-–—\s]*", re.IGNORECASE)
_GAP = 14.0  # points between two runs of a line that separate two cells
_TOL = 3.0


def _edges(page, height: float) -> list[dict]:
    import pypdfium2.raw as raw

    edges = []
    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_PATH], max_depth=3):
        try:
            left, bottom, right, top = obj.get_bounds()
        except Exception:  # a path without geometry
            continue
        w, h = right - left, top - bottom
        y0, y1 = height - top, height - bottom
        if w <= 2.5 and h > 2.5:
            x = (left + right) / 2
            edges.append({"x0": x, "x1": x, "top": y0, "bottom": y1, "width": 0, "height": h, "orientation": "v"})
        elif h <= 2.5 and w > 2.5:
            y = (y0 + y1) / 2
            edges.append({"x0": left, "x1": right, "top": y, "bottom": y, "width": w, "height": 0, "orientation": "h"})
        elif w > 2.5 and h > 2.5 and (w < 0.9 * 10000):
            for x in (left, right):
                edges.append({"x0": x, "x1": x, "top": y0, "bottom": y1, "width": 0, "height": h, "orientation": "v"})
            for y in (y0, y1):
                edges.append({"x0": left, "x1": right, "top": y, "bottom": y, "width": w, "height": 0, "orientation": "h"})
    return edges


def _close_open_rows(edges: list[dict]) -> list[dict]:
    """A row cut by a page break has side rules running down to where no bottom rule is drawn."""
    verticals = [e for e in edges if e["orientation"] == "v"]
    horizontals = [e for e in edges if e["orientation"] == "h"]
    if not verticals or not horizontals:
        return edges
    low = max(e["bottom"] for e in verticals)
    x0 = min(e["x0"] for e in verticals)
    x1 = max(e["x1"] for e in verticals)
    return edges + [{"x0": x0, "x1": x1, "top": low, "bottom": low, "width": x1 - x0, "height": 0, "orientation": "h"}]


def _tables(edges: list[dict]) -> list[list[tuple]]:
    from pdfplumber.table import cells_to_tables, edges_to_intersections, intersections_to_cells, merge_edges

    edges = merge_edges(edges, _TOL, _TOL, _TOL, _TOL)
    edges = [e for e in edges if (e["height"] if e["orientation"] == "v" else e["width"]) >= 3]
    cells = intersections_to_cells(edges_to_intersections(edges, _TOL, _TOL))
    return [t for t in cells_to_tables(cells) if len(t) > 1]


def _text(textpage, height: float, box: tuple) -> str:
    x0, top, x1, bottom = box
    return textpage.get_text_bounded(left=x0 + 0.5, bottom=height - bottom + 0.5, right=x1 - 0.5, top=height - top - 0.5)


def _chars(textpage, height: float) -> list[tuple[float, float, str]] | None:
    """Every character as (x centre, y centre from the top, char); line breaks as None.
    None when PDFium's text and its character indices do not line up."""
    n = textpage.count_chars()
    text = textpage.get_text_range(0, n)
    if len(text) != n:
        return None
    out: list = []
    for i, ch in enumerate(text):
        if ch in "\r\n":
            out.append(None)
            continue
        left, bottom, right, top = textpage.get_charbox(i)
        out.append(((left + right) / 2, height - (bottom + top) / 2, ch))
    return out


def _cell_texts(chars: list, cells: list[tuple]) -> list[str]:
    """The text of each cell: the characters whose centre lies inside it, in reading order.

    A character is in the cell its centre is in, not any cell its box touches: the stacked
    accents of "Ỉ", "Ố" reach above a row's top rule into the row above."""
    import bisect

    xs = sorted({c[0] for c in cells})
    ys = sorted({c[1] for c in cells})
    slots: dict[tuple[int, int], int] = {}  # (column start, row start) → the cell covering it
    for k, (x0, top, x1, bottom) in enumerate(cells):
        for a in range(bisect.bisect_left(xs, x0), bisect.bisect_left(xs, x1)):
            for b in range(bisect.bisect_left(ys, top), bisect.bisect_left(ys, bottom)):
                slots[(a, b)] = k
    parts: list[list[str]] = [[] for _ in cells]
    last: list[tuple[int, float] | None] = [None] * len(cells)
    for i, item in enumerate(chars):
        if item is None:
            continue
        x, y, ch = item
        k = slots.get((bisect.bisect_right(xs, x) - 1, bisect.bisect_right(ys, y) - 1))
        if k is None:
            continue
        x0, top, x1, bottom = cells[k]
        if not (x0 <= x <= x1 and top <= y <= bottom):
            continue
        prev = last[k]
        if prev is not None and prev[0] != i - 1:  # skipped a line break or another cell's text
            parts[k].append("\n" if abs(prev[1] - y) > 3 else " ")
        parts[k].append(ch)
        last[k] = (i, y)
    return [rejoin("".join(p).split("\n")) for p in parts]


def _grid(textpage, height: float, cells: list[tuple], chars: list | None = None) -> list[list[Cell]]:
    xs = sorted({round(c[0], 1) for c in cells})
    tops = sorted({round(c[1], 1) for c in cells})
    xi = {x: i for i, x in enumerate(xs)}
    ti = {t: i for i, t in enumerate(tops)}
    grid = [[Cell() for _ in xs] for _ in tops]
    texts = _cell_texts(chars, cells) if chars is not None else [_text(textpage, height, c) for c in cells]
    for c, text in zip(cells, texts):
        grid[ti[round(c[1], 1)]][xi[round(c[0], 1)]] = Cell(text)
    return [r for r in grid if any(c.text.strip() for c in r)]


def _runs(textpage, height: float) -> list[tuple[float, float, float, str]]:
    """Text runs as (top, x0, x1, text)."""
    out = []
    for i in range(textpage.count_rects()):
        left, bottom, right, top = textpage.get_rect(i)
        text = textpage.get_text_bounded(left=left, bottom=bottom, right=right, top=top)
        if text.strip():
            out.append((height - top, left, right, text.replace("\r", " ").replace("\n", " ").replace("\ufffe", "-")))
    return out


def _group_lines(runs: list[tuple[float, float, float, str]]) -> list[list[tuple]]:
    """Text runs (y, x, …) grouped into lines: runs whose baselines lie within _TOL."""
    lines: list[list[tuple]] = []
    for run in sorted(runs, key=lambda r: (round(r[0]), r[1])):
        if lines and abs(lines[-1][0][0] - run[0]) <= _TOL:
            lines[-1].append(run)
        else:
            lines.append([run])
    return lines


_COLUMN_GAP = 36.0  # points between the two halves of a heading printed side by side


def _paragraphs(runs: list[tuple[float, float, float, str]]) -> list[tuple[float, str]]:
    """Text lines outside tables. A block of lines printed in two halves (the national heading:
    issuer and number on the left, motto and date on the right) is read left half first."""
    out: list[tuple[float, str]] = []
    block: list[tuple[float, list[str]]] = []

    def flush():
        ordered = [parts[k] for k in range(2) for _, parts in block if k < len(parts)]
        out.extend((block[0][0] + i * 1e-6, text) for i, text in enumerate(ordered))  # stays in this order when sorted
        block.clear()

    for line in _group_lines(runs):
        line.sort(key=lambda r: r[1])
        parts, prev = [], None
        for run in line:
            if prev is None or run[1] - prev[2] > _COLUMN_GAP:
                parts.append(run[3].strip())
            else:
                parts[-1] += " " + run[3].strip()
            prev = run
        if len(parts) == 2:
            block.append((line[0][0], parts))
            continue
        flush()
        out.append((line[0][0], " ".join(parts)))
    flush()
    return out


def _segments(line: list[tuple]) -> list[tuple[float, str]]:
    """Runs of one line merged into (x0, text) segments wherever the gap is narrow."""
    segs: list[list] = []
    for run in sorted(line, key=lambda r: r[1]):
        if segs and run[1] - segs[-1][1] <= _GAP:
            segs[-1][1] = run[2]
            segs[-1][2] += " " + run[3].strip()
        else:
            segs.append([run[1], run[2], run[3].strip()])
    return [(x0, text) for x0, _, text in segs]


def _column_lines(runs: list[tuple[float, float, float, str]]) -> list[str]:
    """A page without ruled tables: lines with cells at consistent column starts, tab-separated."""
    lines = _group_lines(runs)
    segmented = [_segments(line) for line in lines]
    starts = sorted(x for segs in segmented if len(segs) > 1 for x, _ in segs)
    columns: list[float] = []
    for x in starts:
        if not columns or x - columns[-1] > 8:
            columns.append(x)
    multi = [i for i, segs in enumerate(segmented) if len(segs) > 1]
    out = []
    for i, segs in enumerate(segmented):
        inside = bool(multi) and multi[0] <= i <= multi[-1]
        if multi and i > multi[-1] and segs and not _PAGE_NUMBER.fullmatch(segs[0][1]):
            # the wrapped tail of the page's last row sits at one of the later columns' starts
            inside = any(abs(segs[0][0] - c) <= 8 for c in columns[1:])
        if not columns or (len(segs) < 2 and not (inside and segs and segs[0][0] > columns[0] + 8)):
            out.append(" ".join(t for _, t in segs))
            continue
        cells = [""] * len(columns)
        # runs, not merged segments, go to their columns: in narrow columns the gap between a
        # wrapped name and the next column's number is narrower than _GAP
        for run in sorted(lines[i], key=lambda r: r[1]):
            k = max((j for j, c in enumerate(columns) if c <= run[1] + 8), default=0)
            cells[k] = (cells[k] + " " + run[3].strip()).strip()
        out.append("\t".join(cells))
    return out


def _open(data: bytes, source: str):
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        if "password" in str(e).lower() or "security" in str(e).lower():
            raise ReaderError("encrypted", source) from e
        raise ReaderError("corrupt", source, "tệp PDF bị hỏng, không mở được") from e


def read_pdf(data: bytes, source: str) -> Document:
    pdf = _open(data, source)
    doc = Document(source, fmt="pdf")
    chars_seen = 0
    fallback: list[list] = []
    try:
        if len(pdf) > MAX_PAGES:
            raise ReaderError("too_large", source, f"PDF có {len(pdf)} trang, vượt quá {MAX_PAGES} trang")
        for pno in range(len(pdf)):
            page = pdf[pno]
            where = f"trang {pno + 1}"
            height = page.get_height()
            textpage = page.get_textpage()
            n = textpage.count_chars()
            chars_seen += n
            if n == 0:
                continue
            tables = _tables(_close_open_rows(_edges(page, height)))
            items: list[tuple[float, object]] = []
            boxes = []
            chars = _chars(textpage, height) if tables else None
            for cells in tables:
                box = (min(c[0] for c in cells), min(c[1] for c in cells), max(c[2] for c in cells), max(c[3] for c in cells))
                boxes.append(box)
                grid = _grid(textpage, height, cells, chars)
                if grid:
                    items.append((box[1], Table(grid, where, [where] * len(grid)).square()))

            def outside(run, boxes=boxes):
                x, y = (run[1] + run[2]) / 2, run[0] + 2
                return not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)

            runs = [r for r in _runs(textpage, height) if outside(r)]
            lines = _paragraphs(runs)
            if not tables:
                fallback.append(runs)
            items.extend((top, Para(text.replace("\t", " "), where)) for top, text in lines)
            items.sort(key=lambda it: it[0])
            doc.blocks.extend(b for _, b in items)
    finally:
        pdf.close()
    if chars_seen == 0:
        raise ReaderError("no_text_layer", source)
    if not any(isinstance(b, Table) for b in doc.blocks) and fallback:
        from .pdf_borderless import read_pages

        doc.blocks = read_pages(fallback, _paragraphs)
    return doc
