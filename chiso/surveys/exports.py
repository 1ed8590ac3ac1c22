"""Survey outputs: the printed QR sheet (PDF), the data (XLSX, no identifiers) and the report (DOCX, NĐ 30).

Exports carry no identifier: no token, receipt, serial number, IP address or staff name; a
unit's figures with fewer than MIN_CELL answers are left out. User text stays text (a text
answer starting with "=" is never a formula: chiso.common.office writes every cell).
"""
from __future__ import annotations

import datetime as dt
import io
from html import escape

from chiso.common.office import DOCX_TYPE, XLSX_TYPE, clean_text, new_workbook, put, sheet_print_setup, workbook_bytes
from chiso.core import questionnaire as qdef
from chiso.core.survey_math import MIN_CELL
from chiso.core.tree import fmt

from .models import Channel, Response
from .selectors import CampaignResults, unit_element_cells

HIDDEN = f"< {MIN_CELL} phiếu"


def pct(value) -> str:
    return "" if value is None else fmt(value)


def interval(cell) -> str:
    if cell is None or cell.value is None:
        return ""
    return f"{fmt(cell.low)} – {fmt(cell.high)}"


# -- QR sheet ----------------------------------------------------------------------------------

def qr_sheet_pdf(cu, tokens: list[tuple[str, bool]], base_url: str, batch: int) -> bytes:
    """A4 pages of 12 cards: the QR code of each single-use link, its code written out, the unit."""
    import segno
    from weasyprint import HTML

    campaign = cu.campaign
    cards = []
    for key, used in tokens:
        url = f"{base_url}{key}/"
        svg = segno.make(url, error="m").svg_inline(scale=4, border=2, dark="#000", light="#fff")
        cards.append(
            f'<div class="card{" used" if used else ""}"><div class="qr">{svg}</div>'
            f'<p class="call">Quét mã để góp ý về sự phục vụ</p><p class="code">{escape(key)}</p>'
            f'<p class="unit">{escape(cu.unit.name)}</p>'
            f'{"<p class=stamp>ĐÃ SỬ DỤNG</p>" if used else ""}</div>')
    html = f"""<!doctype html><html lang="vi"><head><meta charset="utf-8"><style>
@page {{ size: A4; margin: 10mm; @bottom-center {{ content: "{escape(campaign.name)} · {escape(cu.unit.name)} · tờ số {batch} · trang " counter(page); font-size: 8pt; }} }}
body {{ font-family: "DejaVu Sans", sans-serif; margin: 0; }}
.grid {{ display: flex; flex-wrap: wrap; }}
.card {{ width: 62mm; height: 67mm; box-sizing: border-box; border: 0.3mm dashed #888; padding: 3mm; text-align: center;
         page-break-inside: avoid; position: relative; }}
.qr svg {{ width: 38mm; height: 38mm; }}
.call {{ font-size: 9pt; margin: 1mm 0; font-weight: bold; }}
.code {{ font-family: "DejaVu Sans Mono", monospace; font-size: 9pt; margin: 0; letter-spacing: 0.3mm; }}
.unit {{ font-size: 7pt; margin: 1mm 0 0; color: #333; }}
.stamp {{ position: absolute; top: 20mm; left: 0; right: 0; color: #b42318; font-weight: bold; font-size: 14pt; }}
.used .qr {{ opacity: 0.25; }}
</style></head><body><div class="grid">{''.join(cards)}</div></body></html>"""
    return HTML(string=html).write_pdf()


# -- XLSX --------------------------------------------------------------------------------------

def data_xlsx(results: CampaignResults) -> tuple[bytes, str]:
    """Sheets: the responses (one row each, answers as labels), the questions, the results."""
    from openpyxl.styles import Alignment, Font

    campaign, spec = results.campaign, results.spec
    wb = new_workbook()
    ws = wb.active
    ws.title = "Phiếu trả lời"
    bold = Font(bold=True)
    head = ["STT", "Đơn vị", "Kênh thu phiếu", "Ngày gửi"] + [q.code for q in spec.questions]
    for c, text in enumerate(head, start=1):
        put(ws, 1, c, text).font = bold
    names = {cu.cu.pk: cu.cu.unit.name for cu in results.units}
    channels = dict(Channel.choices)
    rows = (Response.objects.filter(campaign=campaign).order_by("campaign_unit_id", "submitted_on", "pk")
            .values_list("campaign_unit_id", "channel", "submitted_on", "answers").iterator(chunk_size=5000))
    r = 1
    for cu_id, channel, day, answers in rows:
        r += 1
        values = [r - 1, names.get(cu_id, ""), channels.get(channel, channel), day.strftime("%d/%m/%Y")]
        for q in spec.questions:
            value = answers.get(q.code)
            values.append(value if q.kind == "rating" and isinstance(value, int) else
                          qdef.answer_label(q, value, spec.scale))
        for c, value in enumerate(values, start=1):
            put(ws, r, c, value)
    sheet_print_setup(ws, header_row=1, freeze_column=3)

    qs = wb.create_sheet("Câu hỏi")
    for c, text in enumerate(["Mã", "Yếu tố", "Loại", "Nội dung", "Các mức / lựa chọn", "Căn cứ"], start=1):
        put(qs, 1, c, text).font = bold
    elements = {e.code: e.name for e in spec.elements}
    for i, q in enumerate(spec.questions, start=2):
        choices = "; ".join(f"{n}={s}" for n, s in enumerate(q.scale or spec.scale, start=1)) if q.kind == "rating" \
            else "; ".join(f"{v}={label}" for v, label in q.choices)
        for c, value in enumerate([q.code, elements.get(q.element, ""), qdef.KINDS[q.kind], q.text, choices, q.source],
                                  start=1):
            put(qs, i, c, value).alignment = Alignment(wrap_text=True, vertical="top")
    for col, width in zip("ABCDEF", (8, 30, 16, 70, 50, 30)):
        qs.column_dimensions[col].width = width

    rs = wb.create_sheet("Kết quả")
    put(rs, 1, 1, f"{campaign.name}: chỉ số (%) với khoảng tin cậy 95 %; đơn vị dưới {MIN_CELL} phiếu không ghi số.").font = bold
    line = 3
    for c, text in enumerate(["Nội dung", "Số phiếu (n)", "Chỉ số (%)", "Khoảng tin cậy 95 %"], start=1):
        put(rs, line, c, text).font = bold
    for label, cell in [("Chỉ số chung", results.total.overall)] + \
            [(f"Yếu tố: {e.name}", c) for e, c in results.elements] + [(f"{q.code}. {q.text}", c) for q, c in results.items]:
        line += 1
        for c, value in enumerate([label, cell.n, cell.value, interval(cell)], start=1):
            put(rs, line, c, float(value) if c == 3 and value is not None else value)
    line += 2
    head = ["Xếp hạng", "Đơn vị", "Số phiếu", "Chỉ tiêu mẫu", "Chỉ số chung (%)", "Khoảng tin cậy 95 %",
            "Năm trước (%)", "Thay đổi"] + [e.name for e, _ in results.elements]
    for c, text in enumerate(head, start=1):
        put(rs, line, c, text).font = bold
    for row in results.units:
        line += 1
        overall = row.result.overall if row.shown else None
        values = [row.rank, row.cu.unit.name, row.respondents, row.target,
                  float(overall.value) if overall else HIDDEN if row.respondents else "",
                  interval(overall), float(row.previous) if row.previous is not None else None,
                  float(row.change) if row.change is not None else None]
        values += [float(c.value) if c else None for c in unit_element_cells(results, row)]
        for c, value in enumerate(values, start=1):
            put(rs, line, c, value)
    rs.column_dimensions["A"].width = 60
    rs.column_dimensions["B"].width = 40
    return workbook_bytes(wb), XLSX_TYPE


# -- DOCX (NĐ 30/2020/NĐ-CP) ------------------------------------------------------------------

def report_docx(results: CampaignResults, *, issuer: str, office: str, place: str, today: dt.date) -> tuple[bytes, str]:
    """The results report as an administrative document (Nghị định 30/2020/NĐ-CP): A4 portrait,
    Times New Roman, the issuer and national heading side by side, number and date, title,
    body, recipients and signature."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    campaign = results.campaign
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    style = doc.styles["Normal"]
    style.font.name, style.font.size = "Times New Roman", Pt(14)
    CENTER, LEFT, JUSTIFY = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.JUSTIFY

    def para(target, text, *, bold=False, italic=False, size=None, align=CENTER):
        p = target if not hasattr(target, "add_paragraph") else target.add_paragraph()
        p.alignment = align
        run = p.add_run(clean_text(text))
        run.bold, run.italic = bold, italic
        if size:
            run.font.size = Pt(size)
        return p

    head = doc.add_table(rows=1, cols=2)
    left, right = head.rows[0].cells
    para(left.paragraphs[0], issuer.upper(), size=13)
    para(left, office.upper(), bold=True, size=13)
    para(left, "Số:       /BC-SNV", size=13)
    para(right.paragraphs[0], "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=13)
    para(right, "Độc lập - Tự do - Hạnh phúc", bold=True, size=14)
    para(right, f"{place}, ngày {today.day:02d} tháng {today.month:02d} năm {today.year}", italic=True, size=14)

    para(doc, "BÁO CÁO", bold=True)
    para(doc, f"Kết quả {campaign.name[:1].lower()}{campaign.name[1:]}", bold=True)
    total = results.total
    body = [
        ("I. PHẠM VI, PHƯƠNG PHÁP", True),
        (f"- Phiếu khảo sát: {results.spec.title} (phiên bản {campaign.questionnaire.version}"
         f"{', ' + campaign.questionnaire.label if campaign.questionnaire.label else ''}).", False),
        (f"- Thời gian thu phiếu: từ ngày {campaign.starts_on:%d/%m/%Y} đến ngày {campaign.ends_on:%d/%m/%Y}; "
         f"{len(results.units)} đơn vị được khảo sát.", False),
        (f"- Cỡ mẫu mỗi đơn vị tính theo công thức n = N/(1 + N·e²) với N là số hồ sơ đã giải quyết, "
         f"e = {fmt(campaign.margin)}; tổng chỉ tiêu {sum(r.target or 0 for r in results.units)} phiếu, "
         f"đã thu {total.respondents} phiếu.", False),
        ("- Chỉ số của mỗi nội dung là tỷ lệ % ý kiến “hài lòng” và “rất hài lòng”; chỉ số yếu tố là trung bình "
         "các nội dung; chỉ số chung là trung bình các yếu tố. Khoảng tin cậy 95 % đi kèm từng chỉ số. "
         f"Đơn vị có dưới {MIN_CELL} phiếu không công bố số liệu riêng.", False),
        ("II. KẾT QUẢ", True),
        (f"1. Chỉ số chung: {pct(total.overall.value)}% (khoảng tin cậy 95 %: {interval(total.overall)} %; "
         f"n = {total.overall.n}).", False),
    ]
    for text, is_heading in body:
        para(doc, text, bold=is_heading, align=LEFT if is_heading else JUSTIFY)

    def table(headers, rows, widths):
        t = doc.add_table(rows=1, cols=len(headers))
        t.style = "Table Grid"
        for cell, text, w in zip(t.rows[0].cells, headers, widths):
            cell.width = Cm(w)
            para(cell.paragraphs[0], text, bold=True, size=12)
        for values in rows:
            for i, (cell, text, w) in enumerate(zip(t.add_row().cells, values, widths)):
                cell.width = Cm(w)
                para(cell.paragraphs[0], str(text), size=12, align=LEFT if i == 1 else CENTER)

    para(doc, "2. Chỉ số theo yếu tố", bold=True, align=LEFT)
    table(["TT", "Yếu tố", "n", "Chỉ số (%)", "KTC 95 %"],
          [[i, e.name, c.n, pct(c.value), interval(c)] for i, (e, c) in enumerate(results.elements, start=1)],
          (1, 8.5, 1.5, 2.5, 3))
    para(doc, "3. Chỉ số và xếp hạng theo đơn vị", bold=True, align=LEFT)
    table(["Hạng", "Đơn vị", "Số phiếu", "Chỉ số (%)", "So với năm trước"],
          [[r.rank or "", r.cu.unit.name, r.respondents,
            f"{pct(r.result.overall.value)} ({interval(r.result.overall)})" if r.shown else HIDDEN,
            "" if r.change is None else (f"+{fmt(r.change)}" if r.change > 0 else fmt(r.change))]
           for r in results.units], (1.3, 7, 1.7, 3.5, 3))
    para(doc, "4. Chỉ số theo từng nội dung", bold=True, align=LEFT)
    table(["Mã", "Nội dung", "n", "Chỉ số (%)", "KTC 95 %"],
          [[q.code, q.text, c.n, pct(c.value), interval(c)] for q, c in results.items], (1.2, 9, 1.3, 2, 3))
    lowest = sorted(((c.value, q) for q, c in results.items if c.value is not None and c.n >= MIN_CELL),
                    key=lambda p: p[0])[:3]
    para(doc, "III. ĐÁNH GIÁ, KIẾN NGHỊ", bold=True, align=LEFT)
    if lowest:
        para(doc, "- Các nội dung có chỉ số thấp nhất, cần tập trung cải thiện: " +
             "; ".join(f"{q.text} ({pct(v)}%)" for v, q in lowest) + ".", align=JUSTIFY)
    para(doc, "- …", align=JUSTIFY)

    sign = doc.add_table(rows=1, cols=2)
    left, right = sign.rows[0].cells
    para(left.paragraphs[0], "Nơi nhận:", bold=True, italic=True, size=12, align=LEFT)
    for line in ("- UBND tỉnh (để báo cáo);", "- Các cơ quan, đơn vị được khảo sát;", "- Lưu: VT."):
        para(left, line, size=11, align=LEFT)
    para(right.paragraphs[0], "GIÁM ĐỐC", bold=True)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue(), DOCX_TYPE
