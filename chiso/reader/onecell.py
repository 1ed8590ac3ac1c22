"""The one-cell-per-line layout: a table printed as a column of paragraphs.

Web pages and some PDF extractions print each table cell as its own line, row after
row, and print nothing for an empty cell. The header labels come first (e.g. "STT",
"Lĩnh vực/Tiêu chí", "Điểm …", "Chủ trì", …), then for each row: its number, its
name, its numeric cells, then its text cells. Which text line belongs to which text
column is inferred from cues (titles such as "Giám đốc …" open a lead cell, time
words a deadline, "Điều tra XHH" a note) with a small dynamic programme.
"""
from __future__ import annotations

import re

from . import codes, units
from .headers import classify, is_group_role_label, is_label
from .interpret import is_total
from .layout import build_layout
from .model import Cell, Table
from .numbers import PLACEHOLDERS, parse_value
from .textcols import Memory, assign, is_unambiguous
from .textutil import fold, key

_NUMBERING = re.compile(r"^\(\s*\d+\s*\)$")
def is_header_start(lines: list[str], i: int) -> bool:
    if key(lines[i]).replace(" ", "") not in ("stt", "tt", "sott", "sothutu", "xephang", "thuhang"):
        return False
    ahead = lines[i + 1:i + 5]
    hits = sum(1 for x in ahead if len(x) < 100 and is_label(x, years=False))
    return hits >= 2


def _leaves(labels: list[str]) -> list[list[str]]:
    """Header labels in reading order -> leaf paths, folding role groups over their sub-labels."""
    kinds = [classify(x) for x in labels]
    specific = [i for i, lab in enumerate(kinds) if lab.kind == "role" and len(lab.roles) == 1
                and lab.key in ("lead", "coordinating", "implementing", "monitoring")]
    paths: list[list[str]] = []
    used: set[int] = set()
    for i, x in enumerate(labels):
        if i in used:
            continue
        subs = [s for s in specific if s > i and s not in used]
        if is_group_role_label(x) and len(subs) >= 2:  # a group has several sub-columns
            for s in subs:
                paths.append([x, labels[s]])
                used.add(s)
            continue
        lab = kinds[i]
        tail = _group_subs(labels, kinds, i, used, set(specific))
        if tail:  # "Năm 2024" over "Điểm tối đa", "Kết quả": the sub-labels come after the top row
            for s in tail:
                paths.append([x, labels[s]])
                used.add(s)
            continue
        if lab.kind == "value" and not lab.year:
            years = []
            for s in range(i + 1, len(labels)):
                if kinds[s].kind == "year":
                    years.append(s)
                else:
                    break
            if years:
                for s in years:
                    paths.append([x, labels[s]])
                    used.add(s)
                continue
        paths.append([x])
    return paths


def _group_subs(labels: list[str], kinds: list, i: int, used: set[int], roles: set[int]) -> list[int]:
    """The sub-labels of a label printed over several score columns, when a header of two rows
    is printed label after label: the top row first, then the sub-labels, last (only the role
    sub-labels of a role group may follow them). The group is a year ("Năm 2024" over "Điểm
    tối đa", "Kết quả") or a generic score label ("Điểm số", "Kết quả chấm điểm" over "Thang
    điểm", "Điểm năm 2024", …); a maximum or a target is a column of its own, never a group."""
    lab = kinds[i]
    if lab.kind == "year":
        dated = False
    elif lab.kind == "value" and not lab.year and lab.key not in ("max_points", "target"):
        dated = True
    else:
        return []
    end = len(kinds)
    while end > i and end - 1 in roles:
        end -= 1
    run: list[int] = []
    s = end - 1
    while s > i + 1 and s not in used and (kinds[s].kind == "value" or (kinds[s].kind is None and units.max_of(labels[s]) is not None)) \
            and (dated or not kinds[s].year):
        run.insert(0, s)
        s -= 1
    return run if len(run) >= 2 else []


class _Seq:
    """Which numbers may start a row next (successors of the last number of each kind)."""

    def __init__(self):
        self.last: dict[str, str] = {}

    def plausible(self, code: str) -> bool:
        k = codes.kind(code)
        prev = self.last.get(k)
        if prev is None:
            return codes.first_of_kind(code) or k == "arabic"
        if codes.is_successor(prev, code):
            return True
        return codes.first_of_kind(code) and k in ("roman", "lower")

    def add(self, code: str) -> None:
        k = codes.kind(code)
        self.last[k] = code
        if k == "letter":
            self.last.pop("roman", None)
        if k in ("letter", "roman"):
            self.last.pop("arabic", None)  # a new section may restart its numbering


class _RankSeq(_Seq):
    """Rows numbered by their rank: ties repeat a rank, a partial table skips ranks."""

    def plausible(self, code: str) -> bool:
        if not code.isdigit():
            return False
        prev = self.last.get("rank")
        return prev is None or int(code) >= int(prev)

    def add(self, code: str) -> None:
        self.last["rank"] = code


def _fill_text(pending: list[tuple[list[Cell], list[str]]], text_cols: list) -> None:
    """Text lines into text columns: a first pass learns from rows with nothing to guess."""
    if not text_cols:
        return
    kinds = [c.key for c in text_cols]
    first = [assign(kinds, rest) if rest else [] for _, rest in pending]
    memory = Memory()
    for (_, rest), runs in zip(pending, first):
        if rest and is_unambiguous(kinds, rest, runs):
            memory.learn(runs)
    for (cells, rest), runs in zip(pending, first):
        if not rest:
            continue
        if memory.seen and not is_unambiguous(kinds, rest, runs):
            runs = assign(kinds, rest, memory)
        guess = not is_unambiguous(kinds, rest, runs)
        for col, run in zip(text_cols, runs):
            cells[col.index] = Cell(" ".join(run), guessed=guess and len(text_cols) > 1)


def _starts_row(lines: list[str], j: int, seq: _Seq) -> bool:
    """Whether a number line opens the next row (a code followed by a name) rather than being a value."""
    code = codes.normalize(lines[j])
    if code is None or not seq.plausible(code) or j + 1 >= len(lines):
        return False
    nxt = lines[j + 1]
    if parse_value(nxt) is not None or codes.normalize(nxt) is not None or nxt.strip().lower() in PLACEHOLDERS:
        return False
    # a new row prints its own numbers after its name; a value followed by task text does not
    return j + 2 < len(lines) and (parse_value(lines[j + 2]) is not None or lines[j + 2].strip().lower() in PLACEHOLDERS)


_PROSE_HEADING = re.compile(r"^([IVX]+|\d+)\.\s+[A-ZĐÀ-Ỹ][A-ZĐÀ-Ỹ ,]{6,}$")


def _stop(line: str) -> bool:
    """Lines that end a one-cell table: the next appendix, the signature block, closing prose."""
    f = fold(line)
    return (f.startswith(("phu luc", "noi nhan", "tm. ", "kt. ", "tm ", "kt ", "tren day la", "tren day ", "ghi chu:"))
            or f in ("chu tich", "giam doc", "pho chu tich") or bool(_PROSE_HEADING.match(line.strip())))


def parse(lines: list[str], wheres: list[str], start: int) -> tuple[Table, int]:
    """Read one table from `lines[start]` (its "STT" label); returns it and the index after it."""
    j, labels, numbering = start, [], 0
    while j < len(lines):
        t = lines[j]
        if _NUMBERING.match(t):
            numbering += 1
            j += 1
            continue
        if numbering or (j > start and codes.normalize(t) is not None) or len(t) > 100:
            break
        if j > start and not is_label(t):
            break
        labels.append(t)
        j += 1
    paths = _leaves(labels)
    # a numbering row printed as bare numbers "1", "2", … under the labels (not "(1)", "(2)")
    run = 0
    while j + run < len(lines) and lines[j + run].strip() == str(run + 1):
        run += 1
    if run >= 3 and abs(run - len(paths)) <= 1:
        j += run
    header = [Cell(p[0]) for p in paths]
    sub = [Cell(p[-1]) if len(p) > 1 else Cell(p[0], covered_v=True) for p in paths]
    two_rows = any(len(p) > 1 for p in paths)
    block = [header, sub] if two_rows else [header]
    layout = build_layout(block, 0)
    rows: list[list[Cell]] = list(block)
    row_where: list[str] = [wheres[start]] * len(block)
    if layout is None:
        return Table(rows, wheres[start], row_where), j
    cols = layout.columns
    code_i = next((c.index for c in cols if c.kind == "code"), None)
    name_i = next((c.index for c in cols if c.kind == "name"), None)
    value_i = [c.index for c in cols if c.kind == "value"]
    text_cols = [c for c in cols if c.kind == "text"]
    seq = _RankSeq() if any(c.kind == "code" and c.rank for c in cols) else _Seq()
    current: list[str] | None = None
    orphans: list[str] = []
    pending: list[tuple[list[Cell], list[str]]] = []  # each row's cells and its text lines
    width = len(paths)

    def flush():
        if current is None:
            return
        cells = [Cell() for _ in range(width)]
        head, body = current[0], current[1:]
        if code_i is not None:
            cells[code_i] = Cell(head)
        k = 0
        if name_i is not None and body and not (parse_value(body[0]) is not None and value_i):
            cells[name_i] = Cell(body[0])
            k = 1
        elif is_total(head) and name_i is not None:
            cells[name_i] = Cell(head)
            if code_i is not None:
                cells[code_i] = Cell()
        before = [c for c in text_cols if value_i and name_i is not None and name_i < c.index < min(value_i)]
        if before and k < len(body) and parse_value(body[k]) is None:
            # text columns stand between the name and the scores: the scores follow their lines
            texts_around_values(cells, body[k:], before, [c for c in text_cols if c not in before], value_i, False)
            rows.append(cells)
            return
        for vi in value_i:
            if k < len(body) and (parse_value(body[k]) is not None or body[k].strip().lower() in PLACEHOLDERS):
                cells[vi] = Cell(body[k] if parse_value(body[k]) is not None else "")
                k += 1
        rows.append(cells)
        pending.append((cells, body[k:]))

    while j < len(lines):
        t = lines[j]
        if _stop(t) or is_header_start(lines, j):
            break
        code = codes.normalize(t)
        if (code is not None and seq.plausible(code)) or is_total(t):
            flush()
            if code is not None:
                seq.add(code)
            current = [t]
            row_where.append(wheres[j])
            # the name and the numbers belong to the row whatever they look like
            j += 1
            take = (1 if name_i is not None else 0)
            while take and j < len(lines) and not _stop(lines[j]):
                current.append(lines[j])
                j += 1
                take -= 1
            while (j < len(lines) and (parse_value(lines[j]) is not None or lines[j].strip().lower() in PLACEHOLDERS)
                   and len(current) - 1 < (1 if name_i is not None else 0) + len(value_i)
                   and not _starts_row(lines, j, seq)):
                current.append(lines[j])
                j += 1
            continue
        if current is not None:
            current.append(t)
        else:
            orphans.append(wheres[j])
        j += 1
    flush()
    _fill_text(pending, text_cols)
    table = Table(rows, wheres[start], row_where)
    if orphans:
        table.notes.append(f"{len(orphans)} dòng sau tiêu đề bảng ({orphans[0]}) không thuộc dòng số thứ tự nào; đã bỏ qua.")
    return table, j


def texts_around_values(cells: list[Cell], rest: list[str], before: list, after: list, value_i: list[int],
                         marked: bool) -> list[Cell]:
    """A row whose scores come after some of its text cells: the first run of numbers is the
    scores; the lines before it fill the text columns before them, the lines after the others."""
    is_num = [parse_value(x) is not None for x in rest]
    start = next((i for i, n in enumerate(is_num) if n), None)
    if start is None:
        head, tail = rest, []
    else:
        end = start
        while end < len(rest) and is_num[end] and end - start < len(value_i):
            end += 1
        for vi, x in zip(value_i, rest[start:end]):
            cells[vi] = Cell(x)
        head, tail = rest[:start], rest[end:]
    for cols, part in ((before, head), (after, tail)):
        if cols and any(part):
            runs = assign([c.key for c in cols], part, marked=marked)
            guess = len(cols) > 1 and len([x for x in part if x]) != len(cols)
            for col, run in zip(cols, runs):
                cells[col.index] = Cell(" ".join(run), guessed=guess)
    return cells
