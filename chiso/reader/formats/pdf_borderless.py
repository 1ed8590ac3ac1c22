"""Tables a PDF prints without ruling lines, rebuilt from the positions of their text.

Per page, text runs are grouped into lines. A table starts at its header block (a line with
"STT", "TT" or "Xếp hạng" and other known labels, with the wrapped label lines above and below
it) and runs down while lines follow each other without a blank line's gap. Its columns are
found once, from the gutters: the vertical strips that no run of a data line crosses (a cell's
text wraps inside its cell, so text never bridges two columns). Header fragments that cross a
gutter are group labels ("Trách nhiệm thực hiện" over "Chủ trì" and "Phối hợp"). The same
columns serve the table's later pages. Each line becomes a grid row; the interpreter joins a
cell's wrapped lines (rows without a number) to the row above, as it does for every format.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..headers import is_label
from ..model import Cell, Para, Table
from ..syllables import rejoin
from ..textutil import key
from .pdf_lines import Line, Run, _find_header, _header_at, _is_data, _pitch, _stops, group_lines  # noqa: F401

_PAGE_NUMBER = re.compile(r"[-–—\s]*(trang\s*)?\d{1,3}(\s*/\s*\d+)?[-–—\s]*", re.IGNORECASE)
_GUTTER = 4.0  # narrowest gap between two columns' text, in points
_LEADING_CODE = re.compile(r"^((?:[IVX]+|\d+(?:\.\d+)*)\.?)\s+(\S.*)$")


def _gutters(lines: list[Line], lo: float, hi: float, exclude: set = frozenset()) -> list[tuple[float, float]]:
    """x intervals, between lo and hi, that (almost) no line's text crosses: a heading row
    printed across the whole table ("I. CHỈ SỐ PAR INDEX") does not close the gutters."""
    width = int(hi - lo) + 2
    count = [0] * width
    n = 0
    for i, ln in enumerate(lines):
        if len(lines) > 4 and len(ln.runs) <= 2 and len(ln.runs[0][3].split()) >= 3 and \
                _LEADING_CODE.match(ln.runs[0][3].strip()):
            continue  # a numbered heading printed across the columns
        covered = set()
        for r in ln.runs:
            if (i, r) in exclude:
                continue
            covered.update(range(max(0, int(r[1] - lo)), min(width, int(r[2] - lo) + 1)))
        for x in covered:
            count[x] += 1
        n += 1
    limit = 0
    out, start = [], None
    for x in range(width + 1):
        free = x < width and count[x] <= limit
        if free and start is None:
            start = x
        elif not free and start is not None:
            if x - start >= _GUTTER and start > 0 and x < width:
                out.append((lo + start, lo + x))
            start = None
    return out


@dataclass
class Grid:
    bounds: list[float]  # x where each column after the first starts
    gutters: list[tuple[float, float]] = None  # the data's gutters, to tell group labels

    def spans(self, run: Run) -> bool:
        """A header run crossing a whole gutter of the data: a label over several columns."""
        return any(run[1] < a and run[2] > b for a, b in self.gutters or [])

    def column(self, x: float) -> int:
        k = 0
        for i, b in enumerate(self.bounds, 1):
            if x + 1 >= b:
                k = i
        return k

    @property
    def width(self) -> int:
        return len(self.bounds) + 1


def _grid(header: list[Line], data: list[Line]) -> Grid:
    allx = [r[1] for ln in header + data for r in ln.runs]
    lo, hi = min(allx) - 1, max(r[2] for ln in header + data for r in ln.runs) + 1
    data_gaps = _gutters(data, lo, hi) if data else []
    spanning = set()
    for i, ln in enumerate(header):
        for r in ln.runs:
            if any(r[1] < a and r[2] > b for a, b in data_gaps):
                spanning.add((i, r))
    gaps = _gutters(header, lo, hi, spanning) if header else []
    if not data_gaps:
        return Grid(sorted((a + b) / 2 for a, b in gaps), [])
    # a data gutter is a column boundary; where the data left a column empty, the gutter is wide
    # and holds that column's header label between two header gutters
    bounds = []
    for ga, gb in data_gaps:
        inner = [(a + b) / 2 for a, b in gaps if ga - 1 <= a and b <= gb + 1]
        bounds.extend(inner if len(inner) >= 2 else [(ga + gb) / 2])
    return Grid(sorted(bounds), data_gaps)


def _header_rows(header: list[Line], grid: Grid) -> list[list[Cell]]:
    """The header block as one row of labels, or two when group labels span sub-columns."""
    own: list[list[str]] = [[] for _ in range(grid.width)]
    tops: list[list[float]] = [[] for _ in range(grid.width)]
    groups: list[tuple[int, int, str]] = []
    for ln in header:
        for r in ln.runs:
            a, b = grid.column(r[1]), grid.column(r[2] - 2)
            if b > a and grid.spans(r):
                groups.append((a, b, r[3].strip()))
            else:
                own[a].append(r[3].strip())
                tops[a].append(ln.top)
    groups += _left_groups(own, tops, _pitch(header) if len(header) > 2 else 12.0)
    merged: dict[tuple[int, int], list[str]] = {}
    for a, b, t in groups:
        merged.setdefault((a, b), []).append(t)
    top = [Cell(rejoin(o)) for o in own]
    if not merged:
        return [top]
    sub = [Cell(rejoin(o), covered_v=True) for o in own]
    for (a, b), texts in merged.items():
        label = " ".join(texts)
        for j in range(a, b + 1):
            top[j] = Cell(label, covered_h=j > a)
            sub[j] = Cell(rejoin(own[j]))
    return [top, sub]


def _left_groups(own: list[list[str]], tops: list[list[float]], pitch: float) -> list[tuple[int, int, str]]:
    """Group labels printed at the left of their span, too short to cross a gutter: a label on
    the header's first row, a cell's padding above the rest of its column, over the columns
    whose labels stand in the header's lower half ("Cơ quan thực hiện" over "Cơ quan chủ
    trì", "Cơ quan phối hợp"); a label spanning both header rows is centred on the header's
    middle or starts on its first line. The group label is taken out of its column's pieces."""
    every = [t for col in tops for t in col]
    if not every:
        return []
    mid = (min(every) + max(every)) / 2

    def low(col: list[float]) -> bool:
        return bool(col) and sum(col) / len(col) > mid + pitch * 0.3

    out = []
    for j in range(len(own) - 1):
        if len(own[j]) < 2 or tops[j][1] - tops[j][0] < pitch * 1.5 or not is_label(own[j][0]):
            continue
        if not low(tops[j][1:]) or not is_label(rejoin(own[j][1:]).replace("\n", " ")):
            continue
        k = j
        while k + 1 < len(own) and low(tops[k + 1]) and min(tops[k + 1]) > tops[j][0] + pitch * 0.8:
            k += 1
        if k > j:
            out.append((j, k, own[j].pop(0)))
            tops[j].pop(0)
    return out


def _row(line: Line, grid: Grid) -> list[Cell]:
    cells = [""] * grid.width
    for r in line.runs:
        k = grid.column(r[1])
        text = r[3].strip()
        m = _LEADING_CODE.match(text)
        if k == 0 and grid.width > 1 and m and grid.column(r[2] - 2) > 0:
            # a row printed across the columns ("I. CHỈ SỐ PAR INDEX"): its number, then its name
            cells[0] = (cells[0] + " " + m.group(1)).strip()
            cells[1] = (cells[1] + " " + m.group(2)).strip()
            continue
        cells[k] = (cells[k] + " " + text).strip()
    return [Cell(c) for c in cells]


def _rows(lines: list[Line], grid: Grid, pitch: float) -> list[list[Cell]]:
    """Grid rows of a table's lines. Lines closer than a cell's padding make a band; a band
    with one numbered line is one row (its cells read top to bottom), so a cell printed
    centred in its row, whose first lines stand above the row's number, stays in that row.
    Other bands give a row per line, which the interpreter joins as it does in every format."""
    if not lines:
        return []
    x0 = grid.bounds[0] - 1 if grid.bounds else lines[0].runs[0][1]
    bands: list[list[Line]] = [[lines[0]]]
    for prev, ln in zip(lines, lines[1:]):
        if ln.top - prev.top > pitch * 1.5:
            bands.append([ln])
        else:
            bands[-1].append(ln)
    out = []
    for band in bands:
        numbered = [ln for ln in band if ln.runs[0][1] < x0 and _is_data(ln, ln.runs[0][1])]
        if len(numbered) != 1 or len(band) == 1:
            out.extend(_row(ln, grid) for ln in band)
            continue
        cells = [[] for _ in range(grid.width)]
        for ln in band:
            for j, c in enumerate(_row(ln, grid)):
                if c.text:
                    cells[j].append(c.text)
        out.append([Cell(rejoin(c)) for c in cells])
    return out


def read_pages(pages: list[list[Run]], paragraphs) -> list:
    """Blocks (Para, Table) of pages without ruled tables; `paragraphs(runs)` gives text lines."""
    blocks: list = []
    grid: Grid | None = None
    grids: dict[tuple, Grid] = {}
    for pno, runs in enumerate(pages, 1):
        where = f"trang {pno}"
        lines = [ln for ln in group_lines(runs) if ln.text.strip()]
        pitch = _pitch(lines)
        # a page number stands apart from the text (a margin away), not a line's pitch below
        # it like the last piece of a year cut in a narrow header cell ("202" over "4")
        if len(lines) > 1 and _PAGE_NUMBER.fullmatch(lines[0].text) and lines[1].top - lines[0].top > pitch * 1.6:
            lines = lines[1:]
        if len(lines) > 1 and _PAGE_NUMBER.fullmatch(lines[-1].text) and lines[-1].top - lines[-2].top > pitch * 1.6:
            lines = lines[:-1]
        i = 0
        while i < len(lines):
            found = _find_header(lines, i, pitch)
            if grid is not None and i == 0 and (found is None or found[0] > 2):
                # the table goes on from the previous page
                end = _region_end(lines, 0, pitch)
                rows = _rows(lines[:end], grid, pitch)
                blocks.append(Table(rows, where, [where] * len(rows)))
                i = end
                grid = None if end < len(lines) else grid
                continue
            if found is None:
                blocks.extend(Para(t, where) for _, t in paragraphs([r for ln in lines[i:] for r in ln.runs]))
                grid = None
                break
            first, head_end = found
            if first > i:
                blocks.extend(Para(t, where) for _, t in paragraphs([r for ln in lines[i:first] for r in ln.runs]))
            end = _region_end(lines, head_end, pitch)
            header, data = lines[first:head_end], lines[head_end:end]
            # the same header printed again (the next page, mid-page) has the same columns: a page
            # whose rows leave a column empty shows no gutter for it, so the most columns found win
            sig = _header_signature(header)
            grid = _grid(header, data)
            if sig in grids and len(grids[sig].bounds) > len(grid.bounds):
                grid = grids[sig]
            grids[sig] = grid
            rows = _header_rows(header, grid) + _rows(data, grid, pitch)
            blocks.append(Table(rows, where, [where] * len(rows)))
            i = end
            if end < len(lines):
                grid = None
    return blocks


def _header_signature(header: list[Line]) -> tuple:
    """The header's pieces and where they start, to know the same header printed again."""
    return tuple(sorted((round(r[1] / 3), key(r[3])) for ln in header for r in ln.runs))


def _region_end(lines: list[Line], i: int, pitch: float, x0: float | None = None) -> int:
    """Where a table's lines end: a closing line, the next appendix, or a gap wider than a
    paragraph's spacing before a line that is no table row (one run of prose)."""
    if x0 is None:
        x0 = min((r[1] for ln in lines[i:i + 5] for r in ln.runs), default=0)
    j = i
    while j < len(lines):
        ln = lines[j]
        if _stops(ln):
            break
        if j > i and not _is_data(ln, x0):
            header = _header_at(lines, j, i + 1, pitch)
            if header:  # the header printed again mid-page: the next table goes on from here
                return header[0]
        if j > i and ln.top - lines[j - 1].top > pitch * 2.2 and not _row_like(ln, x0):
            break
        j += 1
    return j


def _row_like(line: Line, x0: float) -> bool:
    """A table row: numbered in the first column, or text in several columns."""
    if _is_data(line, x0):
        return True
    runs = line.runs
    return len(runs) >= 2 and any(b[1] - a[2] >= 2 * _GUTTER for a, b in zip(runs, runs[1:]))
