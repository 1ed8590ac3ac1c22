"""HTML -> document model with the standard library's html.parser (rowspan/colspan kept)."""
from __future__ import annotations

from html.parser import HTMLParser

from ..model import Document, Para, Table, grid_from_spans
from ..textutil import collapse

_SKIP = {"script", "style", "noscript", "head", "template", "svg", "button", "select", "option"}
_BREAKS = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section",
           "article", "header", "footer", "blockquote", "pre", "hr", "dt", "dd", "center"}


def _span(attrs: dict, name: str) -> int:
    try:
        return max(1, min(int(str(attrs.get(name) or "1").strip().rstrip(";") or 1), 200))
    except ValueError:
        return 1


class _TableState:
    def __init__(self):
        self.rows: list[list[tuple[int, int, str]]] = []  # per row: (rowspan, colspan, text)
        self.cell: list[str] | None = None
        self.cell_spans = (1, 1)


class _Parser(HTMLParser):
    def __init__(self, doc: Document):
        super().__init__(convert_charrefs=True)
        self.doc = doc
        self.skip = 0
        self.tables: list[_TableState] = []
        self.buf: list[str] = []

    # paragraphs outside tables
    def _flush(self):
        text = "".join(self.buf)
        self.buf = []
        for line in text.split("\n"):
            line = collapse(line)
            if line:
                self.doc.blocks.append(Para(line, "HTML"))

    def _sink(self) -> list[str] | None:
        if self.tables:
            return self.tables[-1].cell
        return self.buf

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in _SKIP:
            self.skip += 1
            return
        if self.skip:
            return
        if tag == "table":
            if self.tables and self.tables[-1].cell is None:
                pass
            if not self.tables:
                self._flush()
            elif self.tables[-1].cell is not None:
                # nested table: its text becomes part of the outer cell
                self.tables[-1].cell.append("\n")
                self.tables.append(_TableState())
                self.tables[-1].nested = True  # type: ignore[attr-defined]
                return
            self.tables.append(_TableState())
            return
        if self.tables:
            t = self.tables[-1]
            if tag == "tr":
                self._close_cell(t)
                t.rows.append([])
            elif tag in ("td", "th"):
                self._close_cell(t)
                if not t.rows:
                    t.rows.append([])
                t.cell = []
                t.cell_spans = (_span(a, "rowspan"), _span(a, "colspan"))
            elif tag in _BREAKS and t.cell is not None:
                t.cell.append("\n")
            return
        if tag in _BREAKS:
            self.buf.append("\n")

    def _close_cell(self, t: _TableState):
        if t.cell is not None:
            if not t.rows:
                t.rows.append([])
            t.rows[-1].append((t.cell_spans[0], t.cell_spans[1], "".join(t.cell)))
            t.cell = None

    def handle_endtag(self, tag):
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
            return
        if self.skip:
            return
        if tag == "table" and self.tables:
            t = self.tables.pop()
            self._close_cell(t)
            if getattr(t, "nested", False) and self.tables:
                outer = self.tables[-1]
                text = "\n".join(" ".join(c[2] for c in r) for r in t.rows)
                if outer.cell is not None:
                    outer.cell.append(text + "\n")
                return
            self.doc.blocks.append(_to_table(t, len([b for b in self.doc.blocks if isinstance(b, Table)]) + 1))
            return
        if self.tables:
            t = self.tables[-1]
            if tag in ("td", "th"):
                self._close_cell(t)
            elif tag in _BREAKS and t.cell is not None:
                t.cell.append("\n")
            return
        if tag in _BREAKS:
            self.buf.append("\n")

    def handle_data(self, data):
        if self.skip:
            return
        sink = self._sink()
        if sink is not None:
            sink.append(data)

    def close(self):
        super().close()
        while self.tables:
            t = self.tables.pop()
            self._close_cell(t)
            self.doc.blocks.append(_to_table(t, 0))
        self._flush()


def _to_table(t: _TableState, n: int) -> Table:
    placed: list[tuple[int, int, int, int, str]] = []
    occupied: set[tuple[int, int]] = set()
    width = 0
    for r, row in enumerate(t.rows):
        c = 0
        for rs, cs, text in row:
            while (r, c) in occupied:
                c += 1
            rs = min(rs, len(t.rows) - r)
            placed.append((r, c, rs, cs, text))
            for i in range(r, r + rs):
                for j in range(c, c + cs):
                    occupied.add((i, j))
            c += cs
            width = max(width, c)
    grid = grid_from_spans(placed, len(t.rows), min(width, 200))
    grid = [row for row in grid if any(cell.text.strip() for cell in row)]
    return Table(grid, where=f"bảng {n}" if n else "bảng", row_where=[f"bảng {n}, hàng {i + 1}" for i in range(len(grid))])


def read_html(data: bytes, source: str) -> Document:
    from .text import decode

    text = decode(data, source)
    doc = Document(source, fmt="html")
    p = _Parser(doc)
    p.feed(text)
    p.close()
    return doc
