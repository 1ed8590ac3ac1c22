"""The plan's appendix and deduction table in the official form: .docx and .xlsx.

Word: A4 landscape, Times New Roman 13, the issuer's block and the national heading
as Nghị định 30/2020/NĐ-CP lays them out, tables with a repeated header row, charts
as PNG images (rendered from the pages' SVG). Excel: one sheet per table, numbers as
numbers, the same heading, printable on A4 landscape.
"""
from __future__ import annotations

import io
import re
from decimal import Decimal

from chiso.common.office import clean_text, new_workbook, put, sheet_print_setup, workbook_bytes
from chiso.core import signing
from chiso.units.offices import office_of

from .appendix import Sheet, cell_text

FONT = "Times New Roman"


def issuer_lines(unit) -> tuple[str, str]:
    """The issuer's block: the body above (if any) and the issuer, upper case."""
    return signing.heading(office_of(unit))


def date_line(plan) -> str:
    """The place is the issuer's own (a district's plan is dated in the district)."""
    return signing.date_line(office_of(plan.issuer), plan.date, year=plan.first_year)


def attached_line(plan) -> str:
    number = f"số {plan.number}" if plan.number else ""
    when = f" ngày {plan.date:%d/%m/%Y}" if plan.date else ""
    from .appendix import issuer_kind_name

    return f"(Kèm theo Kế hoạch {number}{when} của Ủy ban nhân dân {issuer_kind_name(plan.issuer)})".replace("  ", " ")


def svg_png(svg: str, width: int = 1400) -> bytes:
    import cairosvg

    fixed = re.sub(r'style="max-width:100%;height:auto"', "", svg, count=1)
    m = re.search(r'viewBox="0 0 (\d+(?:\.\d+)?) (\d+(?:\.\d+)?)"', fixed)
    if m:
        fixed = fixed.replace("<svg ", f'<svg width="{m.group(1)}" height="{m.group(2)}" ', 1)
    fixed = fixed.replace("font-family=\"sans-serif\"", f'font-family="{FONT}"')
    return cairosvg.svg2png(bytestring=fixed.encode("utf-8"), output_width=width, background_color="white")


def caption_text(sheet: Sheet) -> str:
    """The table's caption without its own "PHỤ LỤC 01" (the export numbers the appendices)."""
    return re.sub(r"^PH[UỤ] L[UỤ]C\s*\S*\s*", "", sheet.caption, flags=re.I) or sheet.caption


# -- Word ---------------------------------------------------------------------------------
def _docx_base():
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21)
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    section.top_margin = section.bottom_margin = Cm(2)
    style = doc.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(13)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    style.paragraph_format.space_after = Pt(0)
    for name in ("Table Grid",):
        doc.styles[name].font.name = FONT
    return doc


def _para(target, text: str, *, bold=False, italic=False, align="center", underline=False):
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    aligns = {"center": WD_ALIGN_PARAGRAPH.CENTER, "left": WD_ALIGN_PARAGRAPH.LEFT,
              "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}
    p = target if hasattr(target, "runs") else target.add_paragraph()
    p.alignment = aligns[align]
    lines = clean_text(text).split("\n")
    for i, line in enumerate(lines):
        run = p.add_run(line)
        run.bold, run.italic, run.underline = bold, italic, underline
        if i < len(lines) - 1:
            run.add_break()
    return p


def _no_borders(table) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    table._tbl.tblPr.append(borders)


def _fixed_layout(table) -> None:
    """Column widths as set (Word and LibreOffice both honour a fixed layout's grid)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)


def _repeat_header(row) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def _heading(doc, plan) -> None:
    from docx.shared import Cm

    upper, issuer = issuer_lines(plan.issuer)
    head = doc.add_table(rows=1, cols=2)
    _no_borders(head)
    _fixed_layout(head)
    left, right = head.rows[0].cells
    head.columns[0].width, head.columns[1].width = Cm(9), Cm(15.7)
    left.width, right.width = Cm(9), Cm(15.7)
    _para(left.paragraphs[0], upper) if upper else None
    _para(left.paragraphs[0] if not upper else left, issuer, bold=True)
    _para(left, "________")
    _para(left, f"Số: {plan.number}" if plan.number else "Số:       /KH-UBND")
    _para(right.paragraphs[0], "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True)
    _para(right, "Độc lập - Tự do - Hạnh phúc", bold=True)
    _para(right, "________________________")
    _para(right, date_line(plan), italic=True)
    _para(doc, "")


def _docx_table(doc, sheet: Sheet) -> None:
    from docx.shared import Cm

    headers = ["STT", "Lĩnh vực, tiêu chí"] + [c["label"] for c in sheet.columns] + [label for _, label in sheet.texts]
    widths = [1.6, 5.0] + [1.7] * len(sheet.columns)
    rest = 24.7 - sum(widths)
    text_weights = {"tasks": 3.0, "reason": 2.2, "lead": 1.6, "coordinating": 1.6, "implementing": 1.6,
                    "monitoring": 1.4, "responsible": 1.6, "deadline": 1.2, "deliverable": 1.3, "note": 1.0}
    weight_sum = sum(text_weights[k] for k, _ in sheet.texts)
    widths += [rest * text_weights[k] / weight_sum for k, _ in sheet.texts]
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.autofit = False
    _fixed_layout(table)
    for column, width in zip(table.columns, widths):
        column.width = Cm(width)
    for cell, text, width in zip(table.rows[0].cells, headers, widths):
        cell.width = Cm(width)
        _para(cell.paragraphs[0], text, bold=True)
    _repeat_header(table.rows[0])
    for line in sheet.lines:
        cells = table.add_row().cells
        values = [line.code, line.name] + [cell_text(v) for v in line.values] + [line.text.get(k, "") for k, _ in sheet.texts]
        for i, (cell, text, width) in enumerate(zip(cells, values, widths)):
            cell.width = Cm(width)
            _para(cell.paragraphs[0], text, bold=line.level == 1 and i < 2 + len(sheet.columns),
                  align="center" if i == 0 or 2 <= i < 2 + len(sheet.columns) else "left")
    if sheet.total:
        cells = table.add_row().cells
        totals = {(t["key"], t.get("year", "")): t["value"] for t in sheet.total}
        values = ["", "TỔNG ĐIỂM"] + [cell_text(totals.get((c["key"], c.get("year", "")))) for c in sheet.columns]
        for i, (cell, text) in enumerate(zip(cells, values)):
            _para(cell.paragraphs[0], text, bold=True, align="left" if i == 1 else "center")


def appendix_docx(plan, sheets: list[Sheet], charts: list[tuple[str, str]] = ()) -> bytes:
    from docx.enum.text import WD_BREAK
    from docx.shared import Cm

    doc = _docx_base()
    _heading(doc, plan)
    for n, sheet in enumerate(sheets):
        if n:
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        _para(doc, f"PHỤ LỤC {n + 1:02d}", bold=True)
        _para(doc, caption_text(sheet), bold=True)
        _para(doc, attached_line(plan), italic=True)
        _para(doc, "")
        _docx_table(doc, sheet)
    if charts:
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        _para(doc, "BIỂU ĐỒ", bold=True)
        for title, svg in charts:
            caption = _para(doc, title, italic=True)
            caption.paragraph_format.keep_with_next = True  # the caption stays on its chart's page
            m = re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg)
            ratio = float(m.group(1)) / float(m.group(2)) if m else 1.5
            width = min(24.0, 14.0 * ratio)  # within the landscape page, under its title
            try:
                png = svg_png(svg)
            except (ImportError, OSError):  # no cairo library on this server: the pages still show the charts
                _para(doc, "(Máy chủ chưa tạo được ảnh biểu đồ; xem biểu đồ trên trang chiso.)", italic=True)
                continue
            picture = doc.add_paragraph()
            _para(picture, "")
            picture.runs[0].add_picture(io.BytesIO(png), width=Cm(width))
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


# -- Excel --------------------------------------------------------------------------------
def appendix_xlsx(plan, sheets: list[Sheet]) -> bytes:
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    book = new_workbook(keep_first_sheet=False)
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    upper, issuer = issuer_lines(plan.issuer)
    for n, sheet in enumerate(sheets, start=1):
        ws = book.create_sheet(title=("Phụ lục" if sheet.kind == "appendix" else "Điểm bị trừ") + f" {n:02d}")
        headers = ["STT", "Lĩnh vực, tiêu chí"] + [c["label"] for c in sheet.columns] + [label for _, label in sheet.texts]
        width = len(headers)
        half = max(2, width // 3)

        def styled(row, col, value, *, bold=False, italic=False, merge_to=None, align="center"):
            cell = put(ws, row, col, value)
            cell.font = Font(name=FONT, size=13, bold=bold, italic=italic)
            cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)
            if merge_to and merge_to > col:
                ws.merge_cells(start_row=row, start_column=col, end_row=row, end_column=merge_to)
            return cell

        styled(1, 1, upper, merge_to=half)
        styled(2, 1, issuer, bold=True, merge_to=half)
        styled(3, 1, f"Số: {plan.number}" if plan.number else "", merge_to=half)
        styled(1, half + 1, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, merge_to=width)
        styled(2, half + 1, "Độc lập - Tự do - Hạnh phúc", bold=True, merge_to=width)
        styled(3, half + 1, date_line(plan), italic=True, merge_to=width)
        styled(5, 1, f"PHỤ LỤC {n:02d}", bold=True, merge_to=width)
        styled(6, 1, caption_text(sheet), bold=True, merge_to=width)
        styled(7, 1, attached_line(plan), italic=True, merge_to=width)
        ws.row_dimensions[6].height = 36
        head_row = 9
        for col, text in enumerate(headers, start=1):
            styled(head_row, col, text, bold=True).border = border
        row = head_row
        for line in sheet.lines:
            row += 1
            values = [line.code, line.name] + [float(v) if isinstance(v, Decimal) else v for v in line.values]
            values += [line.text.get(k, "") or None for k, _ in sheet.texts]
            for col, value in enumerate(values, start=1):
                is_value = 3 <= col < 3 + len(sheet.columns)
                styled(row, col, value, bold=line.level == 1 and col <= 2 + len(sheet.columns),
                       align="center" if col == 1 or is_value else "left").border = border
        if sheet.total:
            row += 1
            totals = {(t["key"], t.get("year", "")): t["value"] for t in sheet.total}
            styled(row, 2, "TỔNG ĐIỂM", bold=True, align="left").border = border
            ws.cell(row=row, column=1).border = border
            for col, c in enumerate(sheet.columns, start=3):
                styled(row, col, totals.get((c["key"], c.get("year", ""))), bold=True).border = border
        widths = [7, 45] + [13] * len(sheet.columns) + [{"tasks": 60, "reason": 40}.get(k, 26) for k, _ in sheet.texts]
        for col, w in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(col)].width = w
        for r in range(head_row, row + 1):  # wrapped text: a row as tall as its longest cell
            lines = 1
            for col, w in enumerate(widths, start=1):
                value = ws.cell(row=r, column=col).value
                if isinstance(value, str):
                    lines = max(lines, sum(len(part) // max(1, int(w * 0.95)) + 1 for part in value.split("\n")))
            ws.row_dimensions[r].height = min(409, 17 * lines)
        sheet_print_setup(ws, header_row=head_row, freeze_column=3)
    return workbook_bytes(book)
