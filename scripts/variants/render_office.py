"""Word and Excel layouts of a document (PDFs are made from the Word files by LibreOffice).

Features honoured here: `head_table` (the national heading as a borderless two-column table,
as Word templates print it), `vcenter` (cells centred vertically, so a row cut by a page
break prints its number and scores in the middle), `narrow` (score columns too narrow for
their numbers), `sheet_preamble` (the plan's text above the table in the sheet), `one_sheet`.
"""
from __future__ import annotations

import random

from .model import Doc
from .physical import Row, groups, table_rows

CM = 360000  # EMU per cm


def _widths(columns, narrow: bool, total_cm: float) -> list[float]:
    base = []
    for c in columns:
        if c.kind == "code":
            base.append(1.1)
        elif c.kind == "name":
            base.append(5.0)
        elif c.kind == "value":
            base.append(0.95 if (narrow or c.narrow) else 1.7)
        else:
            base.append(4.2 if c.key in ("tasks", "reason") else 3.0)
    scale = total_cm / sum(base)
    return [w * scale if sum(base) > total_cm else w for w in base]


def _set_cell(cell, paras: list[str], *, bold=False, size=None, vcenter=False):
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
    from docx.shared import Pt

    texts = paras or [""]
    cell.text = ""
    p = cell.paragraphs[0]
    for i, t in enumerate(texts):
        if i:
            p = cell.add_paragraph()
        run = p.add_run(t)
        run.bold = bold
        if size:
            run.font.size = Pt(size)
    if vcenter:
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def _el(tag: str, **attrs):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    el = OxmlElement(tag)
    for k, v in attrs.items():
        el.set(qn(f"w:{k}"), str(v))
    return el


def _tc(paras: list[str], width: int, *, span: int, vmerge: str | None, bold: bool, vcenter: bool):
    tc = _el("w:tc")
    pr = _el("w:tcPr")
    pr.append(_el("w:tcW", w=width, type="dxa"))
    if span > 1:
        pr.append(_el("w:gridSpan", val=span))
    if vmerge:
        pr.append(_el("w:vMerge", val=vmerge) if vmerge == "restart" else _el("w:vMerge"))
    if vcenter:
        pr.append(_el("w:vAlign", val="center"))
    tc.append(pr)
    for text in (paras or [""]) if vmerge != "continue" else [""]:
        p = _el("w:p")
        r = _el("w:r")
        rpr = _el("w:rPr")
        if bold:
            rpr.append(_el("w:b"))
        rpr.append(_el("w:sz", val=18))
        r.append(rpr)
        t = _el("w:t")
        t.text = text
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        r.append(t)
        p.append(r)
        tc.append(p)
    return tc


def _docx_table(document, rows: list[Row], columns, *, ruled: bool, vcenter: bool, narrow: bool, width_cm: float):
    """The table written as WordprocessingML directly (python-docx's cell() is quadratic)."""
    n = len(columns)
    widths = [int(w * 567) for w in _widths(columns, narrow, width_cm)]  # twips
    tbl = _el("w:tbl")
    pr = _el("w:tblPr")
    if ruled:
        borders = _el("w:tblBorders")
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            borders.append(_el(f"w:{side}", val="single", sz=4, space=0, color="000000"))
        pr.append(borders)
    pr.append(_el("w:tblW", w=sum(widths), type="dxa"))
    pr.append(_el("w:tblLayout", type="fixed"))
    tbl.append(pr)
    grid = _el("w:tblGrid")
    for w in widths:
        grid.append(_el("w:gridCol", w=w))
    tbl.append(grid)
    first_data = next((i for i, r in enumerate(rows) if r.kind not in ("header", "numbering")), len(rows))
    # vertical merges: (row, col) covered from above
    vcover: dict[tuple[int, int], int] = {}
    for i, r in enumerate(rows):
        for j, (rs, cs) in r.spans.items():
            for k in range(1, rs):
                vcover[(i + k, j)] = cs
    for i, r in enumerate(rows):
        tr = _el("w:tr")
        if i < first_data:
            trpr = _el("w:trPr")
            trpr.append(_el("w:tblHeader"))
            tr.append(trpr)
        j = 0
        while j < n:
            if (i, j) in vcover:
                cs = vcover[(i, j)]
                tr.append(_tc([], sum(widths[j:j + cs]), span=cs, vmerge="continue", bold=False, vcenter=False))
                j += cs
                continue
            if j in r.covered:
                j += 1
                continue
            rs, cs = r.spans.get(j, (1, 1))
            tr.append(_tc(r.cells[j], sum(widths[j:j + cs]), span=cs, vmerge="restart" if rs > 1 else None,
                          bold=r.kind in ("header", "heading", "total"), vcenter=vcenter or r.kind == "header"))
            j += cs
        tbl.append(tr)
    body = document.element.body
    body.insert(len(body) - 1, tbl)  # before the section properties
    return tbl


def _head_table(document, doc: Doc) -> None:
    """The national heading: issuer and number on the left, motto and date on the right."""
    head = doc.head
    if len(head) < 8:
        for line in head:
            document.add_paragraph(line)
        return
    t = document.add_table(rows=2, cols=2)
    _set_cell(t.cell(0, 0), [head[0], head[1]], bold=True, size=11)
    _set_cell(t.cell(0, 1), [head[2], head[3]], bold=True, size=11)
    _set_cell(t.cell(1, 0), [head[4]], size=11)
    _set_cell(t.cell(1, 1), [head[5]], size=11)
    for line in head[6:]:
        document.add_paragraph(line)


def make_docx(doc: Doc, path, *, ruled: bool) -> None:
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Pt

    rng = random.Random(doc.seed)
    d = docx.Document()
    sec = d.sections[0]
    sec.orientation = WD_ORIENT.LANDSCAPE
    sec.page_width, sec.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(sec, side, Cm(1.5))
    style = d.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(11)
    if "head_table" in doc.features:
        _head_table(d, doc)
    else:
        for line in doc.head:
            d.add_paragraph(line)
    for line in doc.body:
        d.add_paragraph(line)
    for group in groups(doc.sections):
        for line in group[0].caption:
            p = d.add_paragraph()
            p.add_run(line).bold = not line.startswith("(")
        rows = table_rows(group, doc.features, rng)
        _docx_table(d, rows, group[0].columns, ruled=ruled, vcenter="vcenter" in doc.features,
                    narrow="narrow" in doc.features, width_cm=26.5)
        d.add_paragraph("")
    for line in doc.tail:
        d.add_paragraph(line)
    d.save(str(path))


def _xlsx_value(text: str, is_value: bool):
    if not is_value or not text or " - " in text:
        return text or None
    try:
        return float(text.replace(",", ".")) if ("," in text or "." in text) else int(text)
    except ValueError:
        return text


def make_xlsx(doc: Doc, path) -> None:
    import openpyxl
    from openpyxl.styles import Alignment

    rng = random.Random(doc.seed)
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    one = "one_sheet" in doc.features
    ws = None
    r0 = 1
    for gi, group in enumerate(groups(doc.sections)):
        first = group[0]
        width = len(first.columns)
        if ws is None or not one:
            ws = wb.create_sheet((first.index.replace("_", " ") + (f" {gi + 1}" if gi else ""))[:31])
            r0 = 1
            if "sheet_preamble" in doc.features or gi == 0:
                lines = list(doc.head) if gi == 0 else []
                if "sheet_preamble" in doc.features:
                    lines += doc.body
                for line in lines:
                    ws.cell(r0, 1, line)
                    if width > 1:
                        ws.merge_cells(start_row=r0, start_column=1, end_row=r0, end_column=width)
                    r0 += 1
                r0 += 1
        for line in first.caption:
            ws.cell(r0, 1, line)
            ws.merge_cells(start_row=r0, start_column=1, end_row=r0, end_column=width)
            r0 += 1
        rows = table_rows(group, doc.features, rng)
        value_cols = {j for j, c in enumerate(first.columns) if c.kind == "value"}
        for i, r in enumerate(rows):
            for j in range(width):
                if j in r.covered:
                    continue
                text = "\n".join(r.cells[j])
                v = _xlsx_value(text, j in value_cols and r.kind in ("data", "total"))
                cell = ws.cell(r0 + i, j + 1, v)
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                rs, cs = r.spans.get(j, (1, 1))
                if rs > 1 or cs > 1:
                    ws.merge_cells(start_row=r0 + i, start_column=j + 1, end_row=r0 + i + rs - 1, end_column=j + cs)
        r0 += len(rows) + 2
    if not one:
        pass
    wb.save(str(path))
