"""The format-neutral document model: paragraphs and tables of cells.

Every format extractor (text, HTML, docx, xlsx/xls, PDF) produces a `Document`;
one interpreter turns it into plan tables.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Cell:
    text: str = ""
    # True when the cell is covered by a merge whose origin is to the left (h) or above (v);
    # `text` then repeats the origin's text, which header analysis uses and data rows ignore.
    covered_h: bool = False
    covered_v: bool = False
    guessed: bool = False  # the text was put in this column by guess (one-cell-per-line text)

    @property
    def own(self) -> str:
        return "" if (self.covered_h or self.covered_v) else self.text


@dataclass
class Table:
    rows: list[list[Cell]]
    where: str = ""  # "trang 3", "trang tính «PAR»", "dòng 12"
    row_where: list[str] = field(default_factory=list)
    # what the extractor could not place (shown to the user as warnings)
    notes: list[str] = field(default_factory=list)

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def square(self) -> "Table":
        w = self.width
        for r in self.rows:
            if len(r) < w:
                r.extend(Cell() for _ in range(w - len(r)))
        return self


@dataclass
class Para:
    text: str
    where: str = ""
    # True for a hard section break (a new sheet): the next table never continues the previous one
    brk: bool = False


@dataclass
class Document:
    source: str
    blocks: list = field(default_factory=list)  # Para | Table
    fmt: str = "text"
    warnings: list[str] = field(default_factory=list)

    def text_lines(self) -> list[str]:
        out = []
        for b in self.blocks:
            if isinstance(b, Para):
                out.append(b.text)
        return out


def grid_from_spans(cells: list[tuple[int, int, int, int, str]], n_rows: int, n_cols: int) -> list[list[Cell]]:
    """Expand merged cells (row, col, rowspan, colspan, text) into a full grid of Cells."""
    grid = [[Cell() for _ in range(n_cols)] for _ in range(n_rows)]
    for r, c, rs, cs, text in cells:
        for i in range(r, min(r + rs, n_rows)):
            for j in range(c, min(c + cs, n_cols)):
                grid[i][j] = Cell(text, covered_h=j > c, covered_v=i > r)
    return grid
