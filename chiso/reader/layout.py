"""Finding a table's header block and turning it into typed columns."""
from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field

from . import codes, units
from .indexes import heading_index
from .headers import Column, classify_path, header_score, is_label
from .model import Cell, Table
from .numbers import parse_value
from .textutil import clean, fold, key

_NUMBERING = re.compile(r"^\(?\s*(\d+|[a-z]|[ivx]+)\s*\)?(\s*[=+\-*/x]\s*\(?\s*(\d+|[a-z])\s*\)?)*$", re.I)


def is_numbering_row(texts: list[str]) -> bool:
    """A row such as "(1) (2) (3) … (9)" or "1 2 3 4=2-3" under a header."""
    cells = [clean(t) for t in texts if clean(t)]
    if len(cells) < 3:
        return False
    if not all(_NUMBERING.match(c) for c in cells):
        return False
    firsts = [re.match(r"\(?\s*(\d+)", c) for c in cells]
    nums = [int(m.group(1)) for m in firsts if m]
    return len(nums) >= 3 and nums == sorted(nums) and len(set(nums)) == len(nums) and nums[0] <= 2


def _is_header_row(texts: list[str]) -> bool:
    cells = [clean(t) for t in texts if clean(t)]
    if not cells or any(len(c) > 150 for c in cells):
        return False
    if codes.normalize(cells[0]) is not None:
        return False
    if any(parse_value(c) is not None for c in cells) and not is_numbering_row(texts):
        return False
    if len(cells) <= 2 and any(heading_index(c) for c in cells):
        return False  # "CHỈ SỐ PAR INDEX" spanning the table is a heading row, not a header
    if header_score(texts, years=True) >= 1:
        return True
    # the wrapped tail of header labels ("đa" under "Điểm tối", "định" under "Điểm thẩm")
    return all(len(c.split()) <= 4 and c[:1].islower() for c in cells)


_YEAR = re.compile(r"(năm\s*)?(19|20)\d\d(\s*[-–]\s*(19|20)\d\d)?\)?:?", re.IGNORECASE)


def _is_year_tail(texts: list[str]) -> bool:
    """The last wrapped line of a label such as "Điểm thẩm định năm / 2023": years alone, in
    few of the columns (a data row fills more)."""
    cells = [clean(t) for t in texts if clean(t)]
    return bool(cells) and len(cells) * 2 <= len(texts) and all(_YEAR.fullmatch(c) for c in cells)


@dataclass
class Layout:
    header_rows: int  # rows [start, start+header_rows) are the header block
    start: int
    columns: list[Column]
    signatures: list[str] = field(default_factory=list)  # folded header rows, to drop repeats
    demoted: bool = False  # prose-filled value columns already turned into text columns
    kind: str = "criteria"  # criteria | unit_results (rows are units)
    guessed: dict[str, str] = field(default_factory=dict)  # column label -> why its type is a guess

    def col(self, kind: str) -> Column | None:
        return next((c for c in self.columns if c.kind == kind), None)

    def is_repeat(self, texts: list[str]) -> bool:
        return _signature(texts) in self.signatures


def _signature(texts: list[str]) -> str:
    return "|".join(key(t).replace(" ", "") for t in texts).strip("|")


def find_layout(table: Table, max_scan: int | None = None) -> Layout | None:
    """The first header block of the grid, searched down the whole grid (a sheet may print the
    plan's text above its table); rows with fewer than two short cells are passed over cheaply."""
    rows = table.rows
    for i in range(min(len(rows), max_scan or len(rows))):
        texts = [c.own for c in rows[i]]
        if sum(1 for t in texts if t.strip() and len(t) <= 150) < 2:
            continue
        # known labels, a units table's too ("Xếp hạng", "Tỉnh, thành phố")
        if (header_score(texts) < 2 and sum(1 for t in texts if is_label(t, years=False)) < 2) or \
                not _is_header_row(texts):
            continue
        j = i + 1
        while j < len(rows) and j < i + 6:  # labels wrapped over up to five lines in narrow columns
            t = [c.own for c in rows[j]]
            if all(not clean(x) for x in t):
                j += 1
                continue
            if is_numbering_row(t):
                break
            if _is_header_row(t) or _is_year_tail(t):
                j += 1
                continue
            break
        # strip trailing blank rows from the header block
        while j > i + 1 and all(not clean(c.text) for c in rows[j - 1]):
            j -= 1
        layout = build_layout(rows[i:j], i)
        if layout is None:
            continue
        return layout
    return None


def _infer_spans(block: list[list[Cell]]) -> list[list[str]]:
    """Header texts with merges made explicit when the source has no merge info (plain text)."""
    h = len(block)
    w = max(len(r) for r in block)
    grid = [[(r[j].text if j < len(r) else "") for j in range(w)] for r in block]
    covered = [[(j < len(r) and (r[j].covered_h or r[j].covered_v)) for j in range(w)] for r in block]
    out = [row[:] for row in grid]
    for i in range(h - 1):
        for j in range(w):
            if not clean(grid[i][j]) or covered[i][j]:
                continue
            if not clean(grid[i + 1][j]):
                continue
            # a label with a sub-label below it: it spans right over empty cells with sub-labels
            k = j + 1
            while k < w and not clean(grid[i][k]) and not covered[i][k] and clean(grid[i + 1][k]):
                out[i][k] = grid[i][j]
                k += 1
    for i in range(1, h):
        for j in range(w):
            if not clean(out[i][j]) and clean(out[i - 1][j]):
                out[i][j] = out[i - 1][j]
    return out


def _join_wrapped(block: list[list[Cell]]) -> list[list[Cell]]:
    """Header label tails printed on the next line (lowercase start) go back onto the label above."""
    rows = [[Cell(c.text, c.covered_h, c.covered_v) for c in r] for r in block]
    for i in range(1, len(rows)):
        for j, c in enumerate(rows[i]):
            t = clean(c.own)
            if not t or not t[:1].islower():
                continue
            above = next((k for k in range(i - 1, -1, -1) if j < len(rows[k]) and clean(rows[k][j].text)), None)
            if above is not None:
                a = rows[above][j]
                rows[above][j] = Cell(clean(a.text) + " " + t, a.covered_h, a.covered_v)
                rows[i][j] = Cell()
    kept = [r for r in rows if any(clean(c.text) for c in r)]
    return kept or rows[:1]


def build_layout(block: list[list[Cell]], start: int) -> Layout | None:
    sigs = [_signature([c.text for c in r]) for r in block]
    block = _join_wrapped(block)
    texts = _infer_spans(block)
    w = max(len(r) for r in texts)
    columns = [classify_path(j, [texts[i][j] for i in range(len(texts))]) for j in range(w)]
    as_units = copy.deepcopy(columns)
    if units.classify_columns(as_units):
        return Layout(len(sigs), start, as_units, [s for s in sigs if s], kind="unit_results")
    # A generic role group ("Cơ quan thực hiện", "Trách nhiệm thực hiện") over sub-columns is no
    # column of its own: each leaf ("Chủ trì", "Phối hợp") decides, as classify_path does.
    labeled = [c for c in columns if c.label]
    if labeled and labeled[0].kind == "skip" and units.is_rank_label(labeled[0].label) and \
            not any(c.kind == "code" for c in columns):
        labeled[0].kind, labeled[0].key, labeled[0].rank = "code", "code", True  # ranked criteria rows
    kinds = [c.kind for c in columns]
    if "name" not in kinds:
        _promote_name(columns)
    kinds = {c.kind for c in columns}
    # an index table names criteria and gives them scores or tasks (or numbers them and scores them)
    if not (("name" in kinds and kinds & {"value", "text"}) or ("code" in kinds and "value" in kinds)):
        return None
    return Layout(len(sigs), start, columns, [s for s in sigs if s])


def _promote_name(columns: list[Column]) -> None:
    """No name column: the descriptive column where the name would stand is the name."""
    code_idx = next((i for i, c in enumerate(columns) if c.kind == "code"), None)
    order = columns[(code_idx + 1 if code_idx is not None else 0):]
    for c in order:
        if c.kind == "skip" and not c.label:
            continue
        if (c.kind == "text" and c.key == "tasks") or c.kind == "skip":
            c.kind, c.key = "name", "name"
        break


def demote_text_values(layout: Layout, data: list[list[str]]) -> list[str]:
    """Value columns whose cells are mostly prose are text (tasks) columns, not scores."""
    notes = []
    has_tasks = any(c.kind == "text" and c.key == "tasks" for c in layout.columns)
    for c in layout.columns:
        if c.kind != "value":
            continue
        cells = [clean(r[c.index]) for r in data if c.index < len(r) and clean(r[c.index])]
        if not cells:
            continue
        numeric = sum(parse_value(x) is not None for x in cells)
        if numeric / len(cells) < 0.5:
            if c.key == "deducted" and not any(x.kind == "text" and x.key == "reason" for x in layout.columns):
                c.kind, c.key, c.year = "text", "reason", None
            elif c.key == "target" or not has_tasks:
                c.kind, c.key, c.year = "text", "tasks", None
                has_tasks = True
            else:
                c.kind = "skip"
            notes.append(c.label)
    return notes


_ACTION = re.compile(r"^(?:[-+•*]\s*)?(?:tiếp tục|tổ chức|thực hiện|triển khai|xây dựng|rà soát|tham mưu|đẩy mạnh|"
                     r"nâng cao|kiểm tra|cập nhật|ban hành|hoàn thành|phấn đấu|tăng cường|duy trì|đảm bảo|bảo đảm|"
                     r"chỉ đạo|đôn đốc|theo dõi|quán triệt|phối hợp|công khai|niêm yết|khắc phục|đánh giá|rà|100%|"
                     r"\d+%|trên \d|đạt|các báo cáo|tiến hành|xử lý|ứng dụng|cải thiện|đề xuất)", re.I)


def _is_agency_list(text: str) -> bool:
    """"Sở Nội vụ; Sở Tư pháp; UBND cấp huyện": every part names an agency."""
    from .textcols import AGENCIES, TITLES
    parts = [p.strip(" -+•.") for p in re.split(r"[;\n]|,\s*(?=[A-ZĐÀ-Ỹ])", text) if p.strip(" -+•.")]
    if not parts:
        return False
    named = sum(1 for p in parts if fold(p).startswith(AGENCIES + TITLES) and len(p.split()) <= 14)
    return named * 3 >= len(parts) * 2


def retype_lone_role(layout: Layout, data: list[list[str]]) -> str | None:
    """A single "Thực hiện" / "Tổ chức thực hiện" column, with no tasks, lead or coordinating
    column beside it, holds what its cells hold: sentences of actions are the tasks, lists of
    agencies the implementing agencies. Returns the label of a column retyped as tasks."""
    texts = [c for c in layout.columns if c.kind == "text"]
    roles = [c for c in texts if c.key in ("implementing", "responsible", "monitoring", "lead", "coordinating")]
    if len(roles) != 1 or roles[0].key not in ("implementing", "responsible") or any(c.key == "tasks" for c in texts):
        return None
    col = roles[0]
    code = layout.col("code")
    merged: list[str] = []  # a cell's wrapped lines (rows with no number: PDF lines, page breaks) joined
    for r in data:
        x = clean(r[col.index]) if col.index < len(r) else ""
        numbered = code is None or (code.index < len(r) and bool(clean(r[code.index])))
        if merged and not numbered:
            merged[-1] = f"{merged[-1]} {x}".strip()
        else:
            merged.append(x)
    cells = [x for x in merged if x]
    if not cells:
        return None
    actions = sum(1 for x in cells if not _is_agency_list(x) and (_ACTION.match(x) or len(x.split()) > 15))
    if actions * 2 > len(cells):
        col.key = "tasks"
        return col.label
    return None
