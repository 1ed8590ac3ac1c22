"""Word .docx -> document model: body paragraphs and tables in order, merges kept.

Reads the WordprocessingML directly through python-docx's parsed XML so that
horizontal merges (gridSpan) and vertical merges (vMerge) become covered cells.
"""
from __future__ import annotations

from io import BytesIO

from ..errors import ReaderError
from ..model import Cell, Document, Para, Table

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _text(el) -> str:
    """Paragraph texts of an element, one per line (tabs and breaks as spaces)."""
    lines = []
    for p in el.iter(W + "p"):
        parts = []
        for node in p.iter():
            tag = node.tag
            if tag == W + "t" and node.text:
                parts.append(node.text)
            elif tag in (W + "tab", W + "br", W + "cr"):
                parts.append(" ")
        lines.append("".join(parts))
    return "\n".join(lines).strip()


def _int(el, name: str, default: int) -> int:
    if el is None:
        return default
    try:
        return max(0, int(el.get(W + name) or default))
    except ValueError:
        return default


def _table(tbl, n: int) -> Table:
    rows: list[list[Cell]] = []
    for tr in tbl.findall(W + "tr"):
        row: list[Cell] = []
        trpr = tr.find(W + "trPr")
        before = _int(trpr.find(W + "gridBefore") if trpr is not None else None, "val", 0)
        row.extend(Cell() for _ in range(min(before, 100)))
        for tc in tr.findall(W + "tc"):
            pr = tc.find(W + "tcPr")
            span = _int(pr.find(W + "gridSpan") if pr is not None else None, "val", 1) or 1
            vm = pr.find(W + "vMerge") if pr is not None else None
            cont = vm is not None and (vm.get(W + "val") or "continue") == "continue"
            col = len(row)
            if cont and rows and col < len(rows[-1]):
                above = rows[-1][col]
                text = above.text
                row.append(Cell(text, covered_v=True))
            else:
                row.append(Cell(_text(tc)))
            for _ in range(min(span, 100) - 1):
                row.append(Cell(row[col].text, covered_h=True, covered_v=row[col].covered_v))
        rows.append(row)
    t = Table(rows, where=f"bảng {n}", row_where=[f"bảng {n}, hàng {i + 1}" for i in range(len(rows))])
    return t.square()


def read_docx(data: bytes, source: str) -> Document:
    import docx  # lazy: only for Word files
    from docx.opc.exceptions import PackageNotFoundError

    try:
        d = docx.Document(BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError) as e:
        raise ReaderError("corrupt", source, "tệp Word bị hỏng, không mở được") from e
    doc = Document(source, fmt="docx")
    body = d.element.body
    n = 0
    for el in body.iterchildren():
        if el.tag == W + "p":
            text = _text(el)
            for line in text.split("\n"):
                if line.strip():
                    doc.blocks.append(Para(line, "Word"))
        elif el.tag == W + "tbl":
            n += 1
            doc.blocks.append(_table(el, n))
        elif el.tag == W + "sdt":
            content = el.find(W + "sdtContent")
            if content is not None:
                for sub in content.iterchildren():
                    if sub.tag == W + "tbl":
                        n += 1
                        doc.blocks.append(_table(sub, n))
                    elif sub.tag == W + "p" and _text(sub):
                        doc.blocks.append(Para(_text(sub), "Word"))
    if n == 0:
        raise ReaderError("no_table", source, "tài liệu Word không có bảng nào")
    return doc
