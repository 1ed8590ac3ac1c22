"""Official outputs in the form of NĐ 30/2020 (national heading, number, place and date, title,
body, recipients, signature): a unit's self-assessment report, the appraisal record of a unit, and the
decision publishing the year's index with one appendix per group. python-docx, as the progress
report. The appendix's table is a units-as-rows results table that `chiso ingest` reads back
(columns as docs/plan-table.md lists them for `unit_results`)."""
from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from chiso.common.office import DOCX_TYPE, clean_text
from chiso.core.tree import fmt

from .selectors import Row, UnitLine


def _n(value: Decimal | None) -> str:
    return "" if value is None else fmt(value.quantize(Decimal("0.01")))


class Paper:
    """A Word document on A4 with Times New Roman 13 and the helpers every output uses."""

    def __init__(self, *, landscape: bool = False):
        from docx import Document
        from docx.enum.section import WD_ORIENT
        from docx.shared import Cm, Pt

        self.doc = Document()
        section = self.doc.sections[0]
        if landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = Cm(29.7), Cm(21)
        else:
            section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.left_margin, section.right_margin = Cm(3), Cm(2)
        section.top_margin = section.bottom_margin = Cm(2)
        style = self.doc.styles["Normal"]
        style.font.name, style.font.size = "Times New Roman", Pt(13)

    def para(self, where, text, *, bold=False, italic=False, size=None, align="center"):
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Pt

        p = where.add_paragraph() if hasattr(where, "add_paragraph") else where
        p.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "left": WD_ALIGN_PARAGRAPH.LEFT,
                       "justify": WD_ALIGN_PARAGRAPH.JUSTIFY, "right": WD_ALIGN_PARAGRAPH.RIGHT}[align]
        run = p.add_run(clean_text(text))
        run.bold, run.italic = bold, italic
        if size:
            run.font.size = Pt(size)
        return p

    def heading(self, top: str, issuer: str, number: str, place: str, today: dt.date) -> None:
        head = self.doc.add_table(rows=1, cols=2)
        left, right = head.rows[0].cells
        self.para(left.paragraphs[0], top.upper(), size=12)
        if issuer:
            self.para(left, issuer.upper(), bold=True, size=12)
        self.para(left, f"Số: {number}", size=12)
        self.para(right.paragraphs[0], "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=12)
        self.para(right, "Độc lập - Tự do - Hạnh phúc", bold=True)
        self.para(right, f"{place}, ngày {today.day:02d} tháng {today.month:02d} năm {today.year}", italic=True)

    def table(self, headers: list[str], rows: list[list[str]], *, numeric: set[int] = frozenset(), size: int = 11):
        table = self.doc.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, headers):
            self.para(cell.paragraphs[0], text, bold=True, size=size)
        for values in rows:
            for i, (cell, text) in enumerate(zip(table.add_row().cells, values)):
                self.para(cell.paragraphs[0], text, size=size, align="center" if i in numeric else "left")
        return table

    def signature(self, recipients: list[str], title: str) -> None:
        sign = self.doc.add_table(rows=1, cols=2)
        left, right = sign.rows[0].cells
        self.para(left.paragraphs[0], "Nơi nhận:", bold=True, italic=True, size=12, align="left")
        for line in recipients + ["- Lưu: VT."]:
            self.para(left, line, size=11, align="left")
        self.para(right.paragraphs[0], title, bold=True)
        self.para(right, "(Ký, ghi rõ họ tên và đóng dấu)", italic=True, size=12)

    def bytes(self) -> tuple[bytes, str]:
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue(), DOCX_TYPE


def _province_line(province) -> str:
    name = province.name
    return name if name.upper().startswith(("UBND", "ỦY BAN", "UỶ BAN")) else f"UBND {name}"


def _criteria_rows(rows: list[Row], *, appraised: bool) -> list[list[str]]:
    out = []
    for r in rows:
        e = r.entry
        na = e is not None and not e.applicable
        line = [r.criterion.code, r.criterion.name, _n(r.criterion.max_points),
                "K/AD" if na else _n(r.self_total)]
        if appraised:
            diff = e.difference if e is not None else None
            line += ["K/AD" if na else _n(r.score_total), "" if diff is None else fmt(diff),
                     (e.comment if e else "")]
        else:
            line += [str(len(r.evidence)) if e else "", e.explanation if e else ""]
        out.append(line)
    return out


def self_report_docx(sheet, rows: list[Row], self_result, *, today: dt.date) -> tuple[bytes, str]:
    """Báo cáo kết quả tự đánh giá, chấm điểm của đơn vị: the summary table and the explanations."""
    cycle = sheet.cycle
    paper = Paper(landscape=True)
    paper.heading(_province_line(cycle.framework.province), sheet.unit.name, "      /BC-", cycle.framework.province.name,
                  today)
    paper.para(paper.doc, "BÁO CÁO", bold=True, size=14)
    paper.para(paper.doc, f"Kết quả tự đánh giá, chấm điểm Chỉ số cải cách hành chính năm {cycle.framework.year}",
               bold=True)
    paper.para(paper.doc, f"Căn cứ Bộ chỉ số {cycle.framework} và hướng dẫn của Sở Nội vụ, {sheet.unit.name} báo cáo "
               "kết quả tự đánh giá, chấm điểm như sau:", align="justify")
    paper.para(paper.doc, f"1. Tổng điểm tự đánh giá: {_n(self_result.points)}/{_n(self_result.max_points)} điểm "
               f"(các tiêu chí áp dụng với đơn vị); chỉ số {_n(self_result.index)}%.", align="justify")
    paper.para(paper.doc, "2. Kết quả tự đánh giá theo từng tiêu chí:", align="left")
    paper.table(["Mã", "Lĩnh vực, tiêu chí", "Điểm tối đa", "Điểm tự đánh giá", "Số tài liệu kiểm chứng",
                 "Giải trình"], _criteria_rows(rows, appraised=False), numeric={0, 2, 3, 4})
    explained = [r for r in rows if r.entry is not None and r.entry.explanation]
    if explained:
        paper.para(paper.doc, "3. Giải trình các tiêu chí không có tài liệu kiểm chứng hoặc không áp dụng:", align="left")
        for r in explained:
            paper.para(paper.doc, f"- Tiêu chí {r.criterion.code}: {r.entry.explanation}", align="justify")
    paper.signature(["- Sở Nội vụ (để thẩm định);"], "THỦ TRƯỞNG ĐƠN VỊ")
    return paper.bytes()


def record_docx(sheet, rows: list[Row], self_result, result, *, today: dt.date) -> tuple[bytes, str]:
    """Biên bản thẩm định: self-score beside appraised score with the difference, the council's comments,
    the exchange of explanations."""
    cycle = sheet.cycle
    paper = Paper(landscape=True)
    paper.heading(_province_line(cycle.framework.province), "HỘI ĐỒNG THẨM ĐỊNH", "      /BB-HĐTĐ",
                  cycle.framework.province.name, today)
    paper.para(paper.doc, "BIÊN BẢN", bold=True, size=14)
    paper.para(paper.doc, f"Thẩm định kết quả tự đánh giá Chỉ số cải cách hành chính năm {cycle.framework.year} "
               f"của {sheet.unit.name}", bold=True)
    paper.para(paper.doc, f"Điểm tự đánh giá: {_n(self_result.points)}; điểm thẩm định: {_n(result.points)} trên "
               f"{_n(result.max_points)} điểm các tiêu chí áp dụng; chỉ số {_n(result.index)}%.", align="justify")
    paper.table(["Mã", "Lĩnh vực, tiêu chí", "Điểm tối đa", "Tự đánh giá", "Thẩm định", "Chênh lệch", "Ý kiến thẩm định"],
                _criteria_rows(rows, appraised=True), numeric={0, 2, 3, 4, 5})
    exchanges = [(r, sb) for r in rows for sb in r.send_backs]
    if exchanges:
        paper.para(paper.doc, "Yêu cầu giải trình, bổ sung và ý kiến của đơn vị:", bold=True, align="left")
        for r, sb in exchanges:
            answer = sb.answer or "chưa trả lời"
            paper.para(paper.doc, f"- Tiêu chí {r.criterion.code} ({sb.asked_at:%d/%m/%Y}): {sb.message} — Đơn vị: "
                       f"{answer}", align="justify")
    paper.signature([f"- {sheet.unit.name};", "- Sở Nội vụ;"], "CHỦ TỊCH HỘI ĐỒNG")
    return paper.bytes()


APPENDIX_HEADERS = ["Xếp hạng", "Tên đơn vị", "Điểm thẩm định (tối đa {a} điểm)",
                    "Điểm điều tra xã hội học (tối đa {s} điểm)", "Tổng điểm đạt được", "Chỉ số CCHC (%)", "Xếp loại"]


def appendix_rows(lines: list[UnitLine]) -> list[list[str]]:
    return [[str(line.rank or ""), line.sheet.unit.name, _n(line.result.points - line.measured), _n(line.measured),
             _n(line.result.points), _n(line.result.index), line.classification] for line in lines]


def appendix_maxima(cycle) -> tuple[Decimal, Decimal]:
    leaves = cycle.framework.version.criteria.filter(children__isnull=True)
    survey = sum((c.max_points for c in leaves if c.method in {"survey", "statistics", "computed"}), Decimal(0))
    return cycle.framework.version.total_points - survey, survey


def decision_docx(groups: list[tuple[object, list[UnitLine]]], *, province, number: str, today: dt.date,
                  year: int) -> tuple[bytes, str]:
    """Quyết định công bố Chỉ số CCHC năm … with one appendix (Phụ lục) per group."""
    paper = Paper()
    paper.heading(f"ỦY BAN NHÂN DÂN {province.name.upper()}", "", number or "      /QĐ-UBND", province.name, today)
    paper.para(paper.doc, "QUYẾT ĐỊNH", bold=True, size=14)
    paper.para(paper.doc, f"Công bố Chỉ số cải cách hành chính năm {year} của các cơ quan, đơn vị thuộc {province.name}",
               bold=True)
    paper.para(paper.doc, f"CHỦ TỊCH ỦY BAN NHÂN DÂN {province.name.upper()}", bold=True)
    paper.para(paper.doc, "Căn cứ các Bộ chỉ số cải cách hành chính do Ủy ban nhân dân tỉnh ban hành; theo đề nghị "
               "của Giám đốc Sở Nội vụ,", italic=True, align="justify")
    paper.para(paper.doc, "QUYẾT ĐỊNH:", bold=True)
    listed = "; ".join(f"{cycle.framework.get_group_display()} (Phụ lục {i})" for i, (cycle, _) in
                       enumerate(groups, start=1))
    paper.para(paper.doc, f"Điều 1. Công bố Chỉ số cải cách hành chính năm {year} của {listed} kèm theo Quyết định "
               "này.", align="justify")
    paper.para(paper.doc, "Điều 2. Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng UBND tỉnh, Giám đốc Sở "
               "Nội vụ, Thủ trưởng các cơ quan, đơn vị có tên tại Phụ lục chịu trách nhiệm thi hành.", align="justify")
    paper.signature(["- Như Điều 2;", "- Bộ Nội vụ;"], "CHỦ TỊCH")
    for i, (cycle, lines) in enumerate(groups, start=1):
        paper.doc.add_page_break()
        paper.para(paper.doc, f"Phụ lục {i}", bold=True)
        paper.para(paper.doc, f"KẾT QUẢ XẾP HẠNG CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {year} "
                   f"CỦA {cycle.framework.get_group_display().upper()}", bold=True)
        paper.para(paper.doc, f"(Kèm theo Quyết định số {number or '      /QĐ-UBND'})", italic=True)
        a, s = appendix_maxima(cycle)
        headers = [h.format(a=fmt(a), s=fmt(s)) for h in APPENDIX_HEADERS]
        paper.table(headers, appendix_rows(lines), numeric={0, 2, 3, 4, 5})
    return paper.bytes()
