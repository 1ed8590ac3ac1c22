"""Text lines of a PDF page without ruling lines, and the header block of a table printed on
them: the line with the row number's label ("STT", "TT", "Xếp hạng", wrapped or not), the label
lines above it and the label tails below it (pdf_borderless rebuilds the table from there)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .. import codes
from ..headers import is_label
from ..textutil import fold, key

Run = tuple[float, float, float, str]  # top, x0, x1, text
_START = ("stt", "tt", "sott", "sothutu", "xephang", "thuhang")
_NUMBERING = re.compile(r"^\(\s*\d+\s*\)$")
_STOP = ("phu luc", "noi nhan", "tm. ", "kt. ", "tm ", "kt ", "tren day")


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


def _is_start(lines: list[Line], s: int, pitch: float) -> int | None:
    """A header line with the row number's label, or the first line of that label wrapped in a
    narrow first column ("Xếp" over "hạng", "S T" over "T"): the label's last line, or None."""
    line = lines[s]
    if not _labelish(line):
        return None
    if any(key(r[3]).replace(" ", "") in _START for r in line.runs):
        return s
    first = line.runs[0]
    stacked, last = [first[3]], line.top
    for k, nxt in enumerate(lines[s + 1:s + 6], s + 1):
        if len(stacked) >= 3 or nxt.top - last > pitch * 1.6:
            break
        below = [r for r in nxt.runs if r[1] <= first[2] and r[2] >= first[1]]
        if not below:
            continue  # a line of labels of other columns, interleaved
        if len(below[0][3].split()) > 2:
            break
        stacked.append(below[0][3])
        last = nxt.top
        if key(" ".join(stacked)).replace(" ", "") in _START:
            return k
    return None


def _find_header(lines: list[Line], i: int, pitch: float) -> tuple[int, int] | None:
    """[first, end) of the next header block: the line with the row number's label ("STT",
    "TT", "Xếp hạng"), the short lines above it and the label tails below it, whose stacked
    labels include at least three known ones."""
    for s in range(i, len(lines)):
        found = _header_at(lines, s, i, pitch)
        if found:
            return found
    return None


def _header_at(lines: list[Line], s: int, lo: int, pitch: float) -> tuple[int, int] | None:
    """The header block whose row-number label starts on line s (not above line lo)."""
    stack_end = _is_start(lines, s, pitch)
    if stack_end is None:
        return None
    first = s
    while first > lo and _labelish(lines[first - 1]) and (
            lines[first].top - lines[first - 1].top <= pitch * 1.6
            or (lines[first].top - lines[first - 1].top <= pitch * 2.2 and all(is_label(r[3]) for r in lines[first - 1].runs))):
        first -= 1  # a label over several columns stands a cell's padding above its sub-labels
    end = stack_end + 1
    while end < len(lines) and end - s < 14 and _label_line(lines, end, first, pitch) and \
            lines[end].top - lines[end - 1].top <= pitch * 1.6 and not _is_data(lines[end], lines[s].runs[0][1]):
        end += 1
    if sum(1 for x in _stacks(lines[first:end]) if is_label(x)) >= 3:
        return first, end
    return None


def _label_line(lines: list[Line], at: int, first: int, pitch: float) -> bool:
    """A line of wrapped header labels: short pieces, each a label or a label's tail. In a
    column too narrow for its label's words, a piece of a word or a year ("Điể", "m", "202",
    "5") stacked under a piece of the header above is a tail too, and a piece that the pieces
    stacked under it make a label ("Thang" over "điểm") is a label's head."""
    line, above = lines[at], lines[first:at]
    for r in line.runs:
        t = r[3].strip()
        if len(t.split()) > 5:
            return False
        if (is_label(t) and not t[:1].islower()) or _upper_tail(t):
            continue
        # a tail stands right under a piece of the header, no farther than a wrapped line
        stacked = any(a[1] <= r[2] and a[2] >= r[1] and line.top - ln.top <= pitch * 1.6
                      for ln in above for a in ln.runs)
        if stacked and (t[:1].islower() or t[:1] in "(%" or re.fullmatch(r"(năm\s*)?(19|20)\d\d\)?", t)
                        or (len(t) <= 4 and " " not in t)):
            continue
        if len(t.split()) <= 2 and is_label(_stacked_below(lines, at, r, pitch)):
            continue
        return False
    return True


def _stacked_below(lines: list[Line], at: int, run: Run, pitch: float) -> str:
    """A run's text with the pieces wrapped under it (overlapping it, a line's pitch apart)."""
    parts, last = [run[3].strip()], lines[at].top
    for ln in lines[at + 1:at + 6]:
        if ln.top - last > pitch * 1.6 or len(parts) >= 4:
            break
        below = [r for r in ln.runs if r[1] <= run[2] and r[2] >= run[1] and len(r[3].split()) <= 2]
        if below:
            parts.append(below[0][3].strip())
            last = ln.top
    return " ".join(parts)


def _upper_tail(t: str) -> bool:
    """A label wrapped in a header printed in capitals ("CHÍ THÀNH PHẦN", "HIỆN", "T")."""
    letters = [c for c in t if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters) and codes.normalize(t.split(" ")[0]) is None


def _stops(line: Line) -> bool:
    f = fold(line.text)
    return f.startswith(_STOP) or f in ("chu tich", "giam doc")
