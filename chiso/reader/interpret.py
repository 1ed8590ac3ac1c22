"""The shared interpreter: document model -> chiso.plan-table/1 tables."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import codes
from .headers import header_score
from .indexes import first_index, heading_index
from .layout import Layout, demote_text_values, find_layout, is_numbering_row, retype_lone_role
from .model import Document, Para, Table
from .numbers import parse_value
from .textutil import clean, fold, join_text, key

_TOTAL = re.compile(r"^(tong|cong|tong so)$|^(tong diem|tong cong|tong so diem|diem tong|tong chi so)\b")
_END_PUNCT = tuple(".;:!?)”\"")
_CLOSING = ("noi nhan", "tm. ", "kt. ", "tm.", "kt.", "luu: ", "- luu:", "luu vt")


_DOC_HEAD = re.compile(r"^(so|so hieu)\s*:|ngay \d+ thang \d+ nam \d{4}|^(ke hoach|bao cao|quyet dinh|chuong trinh|"
                       r"huong dan|thong bao|cong van)$|^(uy ban nhan dan|ubnd|cong hoa xa hoi|doc lap)")


@dataclass
class RawRow:
    code: str | None
    cells: dict[int, str]  # column index -> own text
    where: str = ""
    joined: set[int] = field(default_factory=set)  # columns that took a fragment from a page break or a spill
    guessed: set[int] = field(default_factory=set)  # columns whose text was shared out by guess (one-cell text)


@dataclass
class OutTable:
    index: str | None
    caption: str
    layout: Layout
    rows: list[RawRow] = field(default_factory=list)
    total: RawRow | None = None
    where: str = ""


def _same_columns(a: Layout, b: Layout) -> bool:
    """The same header printed again (its labels wrapped differently on another page)."""
    if len(a.columns) != len(b.columns):
        return False
    same = sum(1 for x, y in zip(a.columns, b.columns) if x.kind == y.kind and x.key == y.key
               and (not x.year or not y.year or x.year == y.year))
    return same >= len(a.columns) - 1 and same >= 3  # one label cut short by the page is tolerated


def is_total(text: str) -> bool:
    k = key(text)
    return bool(k) and bool(_TOTAL.match(k)) and len(k.split()) <= 6


def _starts_lower(text: str) -> bool:
    t = clean(text)
    for ch in t:
        if ch.isalpha():
            return ch.islower()
        if ch in "-+•*‘'\"(0123456789":
            return False
    return False


class Interpreter:
    def __init__(self, doc: Document):
        self.doc = doc
        self.out: list[OutTable] = []
        self.current: OutTable | None = None
        self.recent: list[Para] = []  # paragraphs since the last table
        self.warnings: list[str] = []
        self.page_break = False
        self.pending: tuple[str, str] | None = None
        self.seen: list[str] = []  # where each table examined was
        self.lead_in: dict[int, str] = {}
        self.closed = False

    # --- driving -------------------------------------------------------------
    def run(self) -> list[OutTable]:
        for block in self.doc.blocks:
            if isinstance(block, Para):
                self._para(block)
            else:
                self._table(block)
        return [t for t in self.out if (t.rows or t.total) and not self._index_summary(t)]

    def _index_summary(self, t: OutTable) -> bool:
        """A table whose rows are the indexes themselves ("PAR INDEX", "SIPAS", …) summarizes, it is no index table."""
        name_col = t.layout.col("name")
        if name_col is None or len(t.rows) > 6:
            return False
        named = sum(1 for r in t.rows if heading_index(r.cells.get(name_col.index, "")))
        if named * 2 >= len(t.rows):
            self.warnings.append(f"Bảng tóm tắt các chỉ số ({t.where}) không phải bảng tiêu chí; đã bỏ qua.")
            return True
        return False

    def _para(self, p: Para) -> None:
        text = clean(p.text)
        if p.brk:
            self.current = None
        if not text:
            return
        k = fold(text)
        idx = heading_index(re.sub(r"^[IVX]+\s*[.)]\s*", "", text)) if len(text) < 200 else None
        if k.startswith("phu luc"):
            self.current = None  # a new appendix starts a new table
            self.pending = None
        elif idx:
            self.pending = (idx, text)  # the next rows, with or without a header, are this index's
        elif len(text) > 150:
            self.pending = None  # prose in between: the heading was the document's title, not a table's
        self.recent.append(p)
        if len(self.recent) > 40:
            self.recent = self.recent[-40:]

    def _table(self, table: Table) -> None:
        table.square()
        self.closed = False
        self.seen.append(table.where)
        self.warnings.extend(table.notes)
        layout = find_layout(table)
        start = 0
        if layout is None:
            if self.current is None or len(self.current.layout.columns) != table.width:
                return
            layout = self.current.layout
            self.page_break = True
            if self.pending:
                self._split(*self.pending, table.where)
                self.pending = None
        elif self._continues_above(table, layout):
            # the page's first rows continue the table and its header is printed again further
            # down (mid-page): every row is read, the repeated header is dropped where it stands
            layout = self.current.layout
            self.page_break = True
            if self.pending:
                self._split(*self.pending, table.where)
                self.pending = None
        else:
            for r in table.rows[:layout.start]:
                texts = [c.own for c in r if clean(c.own)]
                if texts:
                    self._para(Para(" ".join(texts), table.where))
            start = layout.start + layout.header_rows
            if self.current is not None and (self.current.layout.signatures[:1] == layout.signatures[:1]
                                             or _same_columns(self.current.layout, layout)):
                # a header repeated after a page break: its rows are dropped as repeats one by one, so a
                # cell tail right under it is not mistaken for a wrapped header label
                start = layout.start
                layout = self.current.layout
                self.page_break = True
                if self.pending:
                    self._split(*self.pending, table.where)
            else:
                self._start(layout, table)
                if self.pending:  # "II. CHỈ SỐ SIPAS" just above the table says more than the appendix title
                    self.current.index, self.current.caption = self.pending
            self.pending = None
        data = [[c.own for c in r] for r in table.rows[start:]]
        if layout is not self.current.layout:
            return
        if not layout.demoted:
            for label in demote_text_values(layout, data):
                layout.guessed[label] = "cột có tiêu đề điểm nhưng ghi chữ, đọc như cột văn bản"
                self.warnings.append(f"Cột «{label}» chứa chữ chứ không phải điểm số; đã đọc như cột văn bản.")
            lone = retype_lone_role(layout, data)
            if lone:
                layout.guessed[lone] = "kiểu cột đoán theo nội dung: các ô ghi việc cần làm, đọc như nhiệm vụ"
                self.warnings.append(f"Cột «{lone}» ghi các việc cần làm chứ không phải tên cơ quan; đã đọc như cột "
                                     f"nhiệm vụ, giải pháp.")
            layout.demoted = True
        for i, row in enumerate(table.rows[start:], start):
            where = table.row_where[i] if i < len(table.row_where) else table.where
            self._row([c.own for c in row], [c.text for c in row], where, {j for j, c in enumerate(row) if c.guessed})
        self.recent = []

    def _continues_above(self, table: Table, layout: Layout) -> bool:
        """Rows above the header found in this grid that are rows of the current table."""
        cur = self.current
        if cur is None or layout.start == 0 or len(cur.layout.columns) != table.width or not _same_columns(cur.layout, layout):
            return False
        code_col = cur.layout.col("code")
        above = table.rows[:layout.start]
        filled = [r for r in above if sum(1 for c in r if clean(c.own)) >= 2]
        numbered = code_col is not None and any(codes.normalize(r[code_col.index].own) for r in above)
        return bool(filled) and (numbered or len(filled) * 2 >= len(above))

    def _start(self, layout: Layout, table: Table) -> None:
        caption = self._caption()
        index = first_index(caption) if caption else None
        self.current = OutTable(index, caption, layout, where=table.where)
        self.out.append(self.current)
        self.lead_in = {}
        self.page_break = False
        unknown = [c.label for c in layout.columns if c.kind == "skip" and c.label]
        for label in unknown:
            self.warnings.append(f"Không nhận ra cột «{label}» ({table.where or 'bảng'}); cột này bị bỏ qua.")

    def _caption(self) -> str:
        """The heading just above the table: an appendix heading, else the last short lines
        that are neither prose nor the document's number, date and type."""
        paras = [clean(p.text) for p in self.recent if clean(p.text)]
        start = None
        for i in range(len(paras) - 1, -1, -1):
            if fold(paras[i]).startswith("phu luc"):
                start = i
                break
        if start is not None:
            picked = [p for p in paras[start:start + 6] if not p.startswith("(") and not fold(p).startswith("ban hanh kem")]
            return " ".join(picked)
        tail = []
        for p in reversed(paras[-4:]):
            if p.startswith("("):
                continue
            if len(p) > 300 or (p.endswith(".") and not p.isupper()) or _DOC_HEAD.search(fold(p)):
                break  # prose, or the document's own heading (number, date, type): not the table's
            tail.insert(0, p)
        return " ".join(tail)

    # --- rows ----------------------------------------------------------------
    def _row(self, own: list[str], full: list[str], where: str, guessed: set[int] = frozenset()) -> None:
        cur = self.current
        layout = cur.layout
        if not any(clean(x) for x in full) or self.closed:
            return
        if any(fold(clean(x)).startswith(_CLOSING) or fold(clean(x)) in ("chu tich", "giam doc") for x in own if clean(x)):
            self.closed = True  # the signature block: nothing after it in this grid is a row
            return
        if is_numbering_row(full):
            return
        if layout.is_repeat(full) or self._looks_like_header(own):
            self.page_break = True
            return
        code_col, name_col = layout.col("code"), layout.col("name")
        cells = {c.index: own[c.index] for c in layout.columns if c.kind != "skip" and c.index < len(own)}
        raw_code = clean(own[code_col.index]) if code_col else ""
        code = codes.normalize(raw_code) if raw_code else None
        name_text = clean(cells.get(name_col.index, "")) if name_col else ""
        if code_col is None and name_col is not None:
            code, rest = codes.split_leading_code(name_text)
            if code:
                cells[name_col.index] = rest
        elif code is None and raw_code and name_col is not None and not name_text:
            # the number cell holds text (e.g. "TỔNG ĐIỂM" spanning two cells)
            cells[name_col.index] = raw_code
            name_text = raw_code
        elif code is None and re.fullmatch(r"\d+[a-zđ]?(?:\.\d+[a-zđ]?)*\.?", raw_code):
            code = raw_code.rstrip(".")  # a number printed unusually ("1a", "2.1b"): kept as printed
        if code_col is not None:
            cells.pop(code_col.index, None)
        label = name_text or raw_code
        if (code is None or codes.kind(code) in ("roman", "letter")) and is_total(label):
            cur.total = RawRow(None, cells, where)
            self.page_break = False
            return
        if code is None or codes.kind(code) in ("roman", "letter"):
            idx = heading_index(label)
            # a fragment of a row cut by a page break may name an index ("lòng (SIPAS)"): a heading
            # starts its own sentence and fills no other column
            fragment = code is None and (_starts_lower(label) or label.startswith("(")
                                         or sum(1 for t in cells.values() if clean(t)) > 1)
            if idx and not fragment and not self._values_in(cells):
                self._split(idx, (code + ". " if code else "") + label, where)
                return
        if (code is None and layout.kind == "unit_results" and name_text and not _starts_lower(name_text)
                and self._values_in(cells)):
            cur.rows.append(RawRow(None, cells, where))  # a unit printed without a number (a tie)
            self.page_break = False
            return
        if (code is None or codes.kind(code) == "letter") and self._header_remnant(
                {c.index: own[c.index] for c in layout.columns if c.index < len(own)}):
            self.page_break = True  # the rest of a header row cut by a page break
            return
        if code is None and cur.rows and (code_col is not None or self.page_break
                                          or not name_text or _starts_lower(name_text)):
            self._join(cur.rows[-1], cells)
            self.page_break = False
            return
        if code is None and not cur.rows and code_col is not None and not self._values_in(cells):
            # text above the first number (a vertically centred cell): it opens the first row
            for idx, text in cells.items():
                if clean(text):
                    self.lead_in[idx] = join_text(self.lead_in.get(idx, ""), text)
            return
        if self.lead_in:
            for idx, text in self.lead_in.items():
                cells[idx] = join_text(text, cells.get(idx, ""))
            self.lead_in = {}
        if (cur.rows and code == cur.rows[-1].code and self.page_break
                and (not name_text or _starts_lower(name_text))):
            # the number printed again on the continuation of a row cut by a page break
            self._join(cur.rows[-1], cells)
            self.page_break = False
            return
        if cur.rows:
            self._carry_lowercase(cur.rows[-1], cells)
        self.page_break = False
        cur.rows.append(RawRow(code, cells, where, guessed=set(guessed)))

    def _header_remnant(self, cells: dict[int, str]) -> bool:
        """Every cell of a numberless row is part of its column's header label ("năm 2024" under
        "Điểm đạt được năm 2024", "thành" under "Thời gian hoàn thành")."""
        filled = {i: key(t).replace(" ", "") for i, t in cells.items() if clean(t)}
        if not filled:
            return False
        labels = {c.index: key(" ".join(c.path)).replace(" ", "") for c in self.current.layout.columns}
        if not all(t and t in labels.get(i, "") for i, t in filled.items()):
            return False
        values = {c.index for c in self.current.layout.columns if c.kind == "value"}
        return len(filled) >= 2 or bool(values & filled.keys()) or all(labels[i].endswith(t) for i, t in filled.items())

    def _looks_like_header(self, own: list[str]) -> bool:
        cells = [clean(x) for x in own if clean(x)]
        if len(cells) < 2 or any(len(x.split()) > 8 or parse_value(x) is not None for x in cells):
            return False
        code_col = self.current.layout.col("code")
        if code_col is not None and codes.normalize(own[code_col.index]) is not None:
            return False
        if any(_starts_lower(x) for x in cells):  # a label starts its own line; a cell's wrapped line may not
            return False
        hits = header_score(cells)
        return hits >= 2 and hits * 2 >= len(cells) + 1

    def _values_in(self, cells: dict[int, str]) -> bool:
        for c in self.current.layout.columns:
            if c.kind == "value" and parse_value(cells.get(c.index, "")) is not None:
                return True
        return False

    def _split(self, index: str, caption: str, where: str) -> None:
        cur = self.current
        if not cur.rows and cur.total is None:
            cur.index, cur.caption = index, caption
            return
        nxt = OutTable(index, caption, cur.layout, where=where)
        self.out.append(nxt)
        self.current = nxt

    def _join(self, prev: RawRow, cells: dict[int, str]) -> None:
        for idx, text in cells.items():
            if clean(text):
                if clean(prev.cells.get(idx, "")):
                    prev.joined.add(idx)
                prev.cells[idx] = join_text(prev.cells.get(idx, ""), text)

    def _carry_lowercase(self, prev: RawRow, cells: dict[int, str]) -> None:
        """A cell cut by a page break whose tail landed on the next numbered row."""
        for c in self.current.layout.columns:
            if c.kind != "text" or c.key not in ("tasks", "reason", "deliverable"):
                continue
            text, before = cells.get(c.index, ""), clean(prev.cells.get(c.index, ""))
            if text and before and _starts_lower(text) and not before.endswith(_END_PUNCT):
                prev.cells[c.index] = join_text(before, text)
                prev.joined.add(c.index)
                cells[c.index] = ""
