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

from .. import codes
from ..headers import is_label
from ..model import Cell, Para, Table
from ..textutil import fold, key

Run = tuple[float, float, float, str]  # top, x0, x1, text
_START = ("stt", "tt", "sott", "sothutu", "xephang", "thuhang")
_PAGE_NUMBER = re.compile(r"[-–—\s]*(trang\s*)?\d{1,3}(\s*/\s*\d+)?[-–—\s]*", re.IGNORECASE)
_NUMBERING = re.compile(r"^\(\s*\d+\s*\)$")
_STOP = ("phu luc", "noi nhan", "tm. ", "kt. ", "tm ", "kt ", "tren day")
_GUTTER = 4.0  # narrowest gap between two columns' text, in points
_LEADING_CODE = re.compile(r"^((?:[IVX]+|\d+(?:\.\d+)*)\.?)\s+(\S.*)$")


@dataclass
class Line:
    top: float
    runs: list[Run]

    @property
    def text(self) -> str:
        return " ".join(r[3].strip() for r in self.runs)


def group_lines(runs: list[Run], tol: float = 3.0) -> list[Line]:
    lines: list[Line] = []
    for run in sorted(runs, key=lambda r: (round(r[0]), r[1])):
        if lines and abs(lines[-1].top - run[0]) <= tol:
            lines[-1].runs.append(run)
        else:
            lines.append(Line(run[0], [run]))
    for ln in lines:
        ln.runs.sort(key=lambda r: r[1])
    return lines


def _pitch(lines: list[Line]) -> float:
    """The line spacing inside a cell: the usual gap between a run and the next run below it
    that starts at the same x (staggered labels of different columns interleave closer)."""
    below: dict[int, float] = {}
    gaps = []
    for ln in lines:
        for r in ln.runs:
            x = round(r[1] / 2)
            if x in below and 1 < ln.top - below[x] < 40:
                gaps.append(ln.top - below[x])
            below[x] = ln.top
    gaps.sort()
    return gaps[len(gaps) // 4] if gaps else 12.0


def _is_data(line: Line, first_x: float) -> bool:
    """A line whose first run, in the first column, is a row number or a numbering cell."""
    r = line.runs[0]
    t = r[3].strip()
    return r[1] <= first_x + 12 and (codes.normalize(t.split(" ")[0]) is not None or bool(_NUMBERING.match(t)))


def _labelish(line: Line) -> bool:
    """A line that can belong to a header block: short pieces, not a numbered row."""
    first = line.runs[0][3].strip()
    if codes.normalize(first.split(" ")[0]) is not None and len(first.split()) <= 1 and len(line.runs) > 1:
        return False
    return all(len(r[3].split()) <= 6 and len(r[3].strip()) <= 60 for r in line.runs) and not _stops(line)


def _stacks(lines: list[Line]) -> list[str]:
    """Header labels rebuilt from wrapped pieces: runs whose x ranges overlap, top to bottom."""
    runs = sorted((r for ln in lines for r in ln.runs), key=lambda r: r[1])
    groups: list[list[Run]] = []
    for r in runs:
        if groups and r[1] < max(x[2] for x in groups[-1]) - 1:
            groups[-1].append(r)
        else:
            groups.append([r])
    return [" ".join(x[3].strip() for x in sorted(g, key=lambda x: x[0])) for g in groups]


def _is_start(line: Line) -> bool:
    return _labelish(line) and any(key(r[3]).replace(" ", "") in _START for r in line.runs)


def _find_header(lines: list[Line], i: int, pitch: float) -> tuple[int, int] | None:
    """[first, end) of the next header block: the line with the row number's label ("STT",
    "TT", "Xếp hạng"), the short lines above it and the label tails below it, whose stacked
    labels include at least three known ones."""
    for s in range(i, len(lines)):
        if not _is_start(lines[s]):
            continue
        first = s
        while first > i and _labelish(lines[first - 1]) and lines[first].top - lines[first - 1].top <= pitch * 1.6:
            first -= 1
        end = s + 1
        while end < len(lines) and end - s < 12 and _label_line(lines[end]) and \
                lines[end].top - lines[end - 1].top <= pitch * 1.6 and not _is_data(lines[end], lines[s].runs[0][1]):
            end += 1
        if sum(1 for x in _stacks(lines[first:end]) if is_label(x)) >= 3:
            return first, end
    return None


def _label_line(line: Line) -> bool:
    """A line of wrapped header labels: short pieces, each a label or a label's tail."""
    for r in line.runs:
        t = r[3].strip()
        if len(t.split()) > 5:
            return False
        if not (is_label(t) or t[:1].islower() or t[:1] in "(%" or re.fullmatch(r"(năm\s*)?(19|20)\d\d\)?", t)):
            return False
    return True


def _stops(line: Line) -> bool:
    f = fold(line.text)
    return f.startswith(_STOP) or f in ("chu tich", "giam doc")


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
    groups: list[tuple[int, int, str]] = []
    for ln in header:
        for r in ln.runs:
            a, b = grid.column(r[1]), grid.column(r[2] - 2)
            if b > a and grid.spans(r):
                groups.append((a, b, r[3].strip()))
            else:
                own[a].append(r[3].strip())
    merged: dict[tuple[int, int], list[str]] = {}
    for a, b, t in groups:
        merged.setdefault((a, b), []).append(t)
    top = [Cell(" ".join(o)) for o in own]
    if not merged:
        return [top]
    sub = [Cell(" ".join(o), covered_v=True) for o in own]
    for (a, b), texts in merged.items():
        label = " ".join(texts)
        for j in range(a, b + 1):
            top[j] = Cell(label, covered_h=j > a)
            sub[j] = Cell(" ".join(own[j]))
    return [top, sub]


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


def read_pages(pages: list[list[Run]], paragraphs) -> list:
    """Blocks (Para, Table) of pages without ruled tables; `paragraphs(runs)` gives text lines."""
    blocks: list = []
    grid: Grid | None = None
    for pno, runs in enumerate(pages, 1):
        where = f"trang {pno}"
        lines = [ln for ln in group_lines(runs) if ln.text.strip()]
        if lines and _PAGE_NUMBER.fullmatch(lines[0].text):
            lines = lines[1:]
        if lines and _PAGE_NUMBER.fullmatch(lines[-1].text):
            lines = lines[:-1]
        pitch = _pitch(lines)
        i = 0
        while i < len(lines):
            found = _find_header(lines, i, pitch)
            if grid is not None and i == 0 and (found is None or found[0] > 2):
                # the table goes on from the previous page
                end = _region_end(lines, 0, pitch)
                rows = [_row(ln, grid) for ln in lines[:end]]
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
            grid = _grid(header, data)
            rows = _header_rows(header, grid) + [_row(ln, grid) for ln in data]
            blocks.append(Table(rows, where, [where] * len(rows)))
            i = end
            if end < len(lines):
                grid = None
    return blocks


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
