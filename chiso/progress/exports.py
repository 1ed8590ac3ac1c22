"""The periodic report of a plan's execution, as an office signs it: .docx (python-docx) and .xlsx (openpyxl).

Both list, criterion by criterion, each task with its lead unit, status, what was done and
how many evidence documents back it, under the usual national heading and above a signature block.
"""
from __future__ import annotations

import datetime as dt
import io
import re
from collections import Counter
from dataclasses import dataclass

from chiso.common.office import DOCX_TYPE, XLSX_TYPE, clean_text, new_workbook, put, sheet_print_setup, workbook_bytes
from chiso.core import signing
from chiso.core.signing import Office
from chiso.core.text import collapse, fold
from chiso.plans.models import TaskStatus
from chiso.units.models import Unit
from chiso.units.offices import home_affairs_of, office_of

from .models import ReportState
from .selectors import SENT, PeriodRow

HEADERS = ["STT", "Tiêu chí", "Nhiệm vụ, giải pháp", "Đơn vị chủ trì", "Tình hình thực hiện",
           "Kết quả thực hiện", "Số tài liệu kiểm chứng", "Ghi chú"]


@dataclass
class Signing:
    """The report's issuer and foot: who issues it, its number, where it goes, who signs it."""

    office: Office
    number: str
    recipients: list[str]
    signer_title: list[str]
    signer_name: str = ""

    @property
    def recipients_text(self) -> str:
        return "\n".join(self.recipients)

    @property
    def title_text(self) -> str:
        return "\n".join(self.signer_title)


def report_office(period, user) -> Unit:
    """The unit that issues the report: the user's own (an agency, or the Sở Nội vụ compiling
    the province's report), the plan's issuer for a user without a unit."""
    return user.unit if user.unit_id else period.plan.issuer


def default_signing(period, user) -> Signing:
    unit = report_office(period, user)
    office = office_of(unit)
    compiler = home_affairs_of(period.plan.issuer)
    return Signing(office=office, number=signing.number(office),
                   recipients=signing.recipients(office, coordinator=office_of(compiler) if compiler else None,
                                                 issuer=office_of(period.plan.issuer)),
                   signer_title=signing.signer_title(office))


def signing_from(period, user, data) -> Signing:
    """The defaults, with what the user set on the period page (GET: so, noi-nhan, chuc-vu, nguoi-ky)."""
    out = default_signing(period, user)
    text = lambda key, limit: collapse(str(data.get(key) or ""))[:limit]  # noqa: E731
    if text("so", 60):
        number = text("so", 60)
        out.number = number if number.lower().startswith("số") else f"Số: {number}"
    lines = [collapse(line).lstrip("-– ").strip() for line in str(data.get("noi-nhan") or "").splitlines()]
    if any(lines):
        out.recipients = [line for line in lines if line][:15]
    title = [collapse(line) for line in str(data.get("chuc-vu") or "").splitlines() if collapse(line)]
    if title:
        out.signer_title = [line.upper() for line in title[:3]]
    out.signer_name = text("nguoi-ky", 120)
    return out


def file_name(period, user, fmt: str) -> str:
    """"bao-cao-quy-iv-2025-kh-475-kh-ubnd-so-noi-vu.docx": the plan, the period and the office."""
    plan = period.plan
    what = f"kh-{plan.number}" if plan.number else " ".join(plan.title.split()[:8])
    parts = [period.name, what, report_office(period, user).name]
    slug = "-".join(re.sub(r"[^a-z0-9]+", "-", fold(p)).strip("-") for p in parts)
    return f"bao-cao-{slug[:150].strip('-')}.{fmt}"


def _sent(row: PeriodRow) -> bool:
    """Only a report sent to the Sở Nội vụ counts as reported: a draft is the unit's own, a
    report sent back waits to be sent again."""
    return row.report is not None and row.report.state in SENT


def _status(row: PeriodRow) -> str:
    if row.report is not None and row.report.state == ReportState.RETURNED:
        return "Bị trả lại, chờ báo cáo lại"
    if not _sent(row):
        return "Chưa báo cáo"
    text = TaskStatus(row.report.status).label
    if row.report.status not in {TaskStatus.DONE, TaskStatus.NOT_STARTED}:
        text += f" ({row.report.percent}%)"
    return text


def _note(row: PeriodRow) -> str:
    notes = []
    if _sent(row):
        if row.report.reason:
            notes.append(f"Lý do: {row.report.reason}")
        if row.report.state == ReportState.SUBMITTED:
            notes.append(row.report.get_state_display())
    if row.late:
        notes.append("Nộp báo cáo muộn" if _sent(row) else "Chưa nộp báo cáo")
    if row.contributions:
        notes.append(f"{row.contributions} đơn vị phối hợp đã báo cáo")
    return "; ".join(notes)


def table_rows(rows: list[PeriodRow]) -> list[list[str]]:
    """The body of the report: one line per task; the criterion is printed on its first task."""
    out, last_item, n = [], None, 0
    for row in rows:
        item = row.task.item
        n += 1
        criterion = f"{item.display_code} {item.name}".strip() if item.pk != last_item else ""
        last_item = item.pk
        leads = "; ".join(a.unit.name if a.unit else a.text for a in row.task.leads)
        evidence = getattr(row.report, "n_evidence", 0) if _sent(row) else 0
        done = row.report.done if _sent(row) else ""
        out.append([str(n), criterion, row.task.text, leads, _status(row), done, str(evidence), _note(row)])
    return out


def summary_lines(period, rows: list[PeriodRow]) -> list[str]:
    """The counts of part I; the breakdown by status adds up to the reports sent."""
    sent = [r for r in rows if _sent(r)]
    accepted = sum(1 for r in sent if r.report.state == ReportState.ACCEPTED)
    returned = sum(1 for r in rows if r.report is not None and r.report.state == ReportState.RETURNED)
    missing = len(rows) - len(sent) - returned
    late = sum(1 for r in rows if r.late and not _sent(r))
    lines = [f"Tổng số nhiệm vụ phải báo cáo trong kỳ: {len(rows)}; đã báo cáo: {len(sent)} (đã duyệt {accepted}, "
             f"chờ duyệt {len(sent) - accepted}); bị trả lại chờ báo cáo lại: {returned}; chưa báo cáo: {missing}"
             + (f" (quá hạn nộp: {late})" if late else "") + "."]
    counts = Counter(r.report.status for r in sent)
    lines.append(f"Trong {len(sent)} nhiệm vụ đã báo cáo: " + "; ".join(
        f"{label.lower()} {counts.get(value, 0)}" for value, label in TaskStatus.choices) + ".")
    return lines


def export_docx(period, rows: list[PeriodRow], *, sign: Signing, today: dt.date) -> tuple[bytes, str]:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2))
    section.top_margin = section.bottom_margin = Cm(1.5)
    style = doc.styles["Normal"]
    style.font.name, style.font.size = "Times New Roman", Pt(13)

    def para(cell_or_doc, text, *, bold=False, italic=False, size=None, align=WD_ALIGN_PARAGRAPH.CENTER):
        p = cell_or_doc.add_paragraph() if hasattr(cell_or_doc, "add_paragraph") else cell_or_doc
        p.alignment = align
        run = p.add_run(clean_text(text))
        run.bold, run.italic = bold, italic
        if size:
            run.font.size = Pt(size)
        return p

    top, issuer = signing.heading(sign.office)
    head = doc.add_table(rows=1, cols=2)
    left, right = head.rows[0].cells
    para(left.paragraphs[0], top, size=12)
    para(left, issuer, bold=True, size=12)
    para(left, sign.number, size=12)
    para(right.paragraphs[0], "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=12)
    para(right, "Độc lập - Tự do - Hạnh phúc", bold=True, size=13)
    para(right, signing.date_line(sign.office, today), italic=True, size=13)

    para(doc, "BÁO CÁO", bold=True, size=14)
    para(doc, f"Kết quả thực hiện {period.plan.title}", bold=True)
    para(doc, f"{period.name} (từ ngày {period.start:%d/%m/%Y} đến ngày {period.end:%d/%m/%Y})", italic=True)

    para(doc, "I. TÌNH HÌNH CHUNG", bold=True, align=WD_ALIGN_PARAGRAPH.LEFT)
    for line in summary_lines(period, rows):
        para(doc, f"- {line}", align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    para(doc, "II. KẾT QUẢ THỰC HIỆN TỪNG NHIỆM VỤ", bold=True, align=WD_ALIGN_PARAGRAPH.LEFT)

    body = table_rows(rows)
    table = doc.add_table(rows=1, cols=len(HEADERS))
    table.style = "Table Grid"
    widths = [Cm(w) for w in (1.0, 4.0, 5.5, 3.2, 2.8, 6.0, 1.8, 3.4)]
    for cell, text, width in zip(table.rows[0].cells, HEADERS, widths):
        cell.width = width
        para(cell.paragraphs[0], text, bold=True, size=11)
    for values in body:
        cells = table.add_row().cells
        for i, (cell, text, width) in enumerate(zip(cells, values, widths)):
            cell.width = width
            para(cell.paragraphs[0], text, size=11,
                 align=WD_ALIGN_PARAGRAPH.CENTER if i in (0, 6) else WD_ALIGN_PARAGRAPH.LEFT)

    foot = doc.add_table(rows=1, cols=2)
    left, right = foot.rows[0].cells
    para(left.paragraphs[0], "Nơi nhận:", bold=True, italic=True, size=12, align=WD_ALIGN_PARAGRAPH.LEFT)
    for line in sign.recipients:
        para(left, f"- {line}", size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    for i, line in enumerate(sign.signer_title):
        para(right.paragraphs[0] if i == 0 else right, line, bold=True)
    for _ in range(4):  # room for the signature and the seal
        para(right, "")
    para(right, sign.signer_name, bold=True)

    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue(), DOCX_TYPE


def export_xlsx(period, rows: list[PeriodRow], *, sign: Signing, today: dt.date) -> tuple[bytes, str]:
    from openpyxl.styles import Alignment, Border, Font, Side

    wb = new_workbook()
    ws = wb.active
    ws.title = "Báo cáo"
    ncol = len(HEADERS)
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    font = "Times New Roman"

    top, unit = signing.heading(sign.office)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=3)
    put(ws, 1, 1, top).font = Font(name=font, size=12)
    ws.cell(1, 1).alignment = center
    ws.merge_cells(start_row=1, start_column=5, end_row=1, end_column=ncol)
    put(ws, 1, 5, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM").font = Font(name=font, size=12, bold=True)
    ws.cell(1, 5).alignment = center
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=3)
    put(ws, 2, 1, unit).font = Font(name=font, size=12, bold=True)
    ws.cell(2, 1).alignment = center
    ws.merge_cells(start_row=2, start_column=5, end_row=2, end_column=ncol)
    put(ws, 2, 5, "Độc lập - Tự do - Hạnh phúc").font = Font(name=font, size=12, bold=True)
    ws.cell(2, 5).alignment = center
    ws.merge_cells(start_row=3, start_column=5, end_row=3, end_column=ncol)
    put(ws, 3, 5, signing.date_line(sign.office, today)).font = Font(name=font, italic=True)
    ws.cell(3, 5).alignment = center
    ws.merge_cells(start_row=3, start_column=1, end_row=3, end_column=3)
    put(ws, 3, 1, sign.number).font = Font(name=font, size=12)
    ws.cell(3, 1).alignment = center
    titles = ["BÁO CÁO", f"Kết quả thực hiện {period.plan.title}",
              f"{period.name} (từ ngày {period.start:%d/%m/%Y} đến ngày {period.end:%d/%m/%Y})"]
    for offset, text in enumerate(titles):
        r = 5 + offset
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncol)
        put(ws, r, 1, text).font = Font(name=font, size=13, bold=offset < 2, italic=offset == 2)
        ws.cell(r, 1).alignment = center
    ws.row_dimensions[6].height = 36
    r = 9
    for line in summary_lines(period, rows):
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncol)
        put(ws, r, 1, f"- {line}").font = Font(name=font)
        r += 1
    header_row = r + 1
    for c, text in enumerate(HEADERS, start=1):
        cell = put(ws, header_row, c, text)
        cell.font, cell.alignment, cell.border = Font(name=font, bold=True), center, border
    for values in table_rows(rows):
        r = ws.max_row + 1
        for c, text in enumerate(values, start=1):
            value = int(text) if c in (1, 7) and text.isdigit() else text
            cell = put(ws, r, c, value)
            cell.font, cell.border = Font(name=font), border
            cell.alignment = center if c in (1, 7) else wrap
    for c, width in enumerate((6, 30, 45, 24, 20, 50, 12, 28), start=1):
        ws.column_dimensions[ws.cell(header_row, c).column_letter].width = width
    r = ws.max_row + 2
    put(ws, r, 1, "Nơi nhận:").font = Font(name=font, bold=True, italic=True)
    for i, line in enumerate(sign.recipients, start=1):
        ws.merge_cells(start_row=r + i, start_column=1, end_row=r + i, end_column=3)
        put(ws, r + i, 1, f"- {line}").font = Font(name=font, size=11)
    lines = sign.signer_title + [""] * 4 + ([sign.signer_name] if sign.signer_name else [])
    for i, line in enumerate(lines):
        ws.merge_cells(start_row=r + i, start_column=5, end_row=r + i, end_column=ncol)
        put(ws, r + i, 5, line).font = Font(name=font, bold=True)
        ws.cell(r + i, 5).alignment = center
    sheet_print_setup(ws, header_row=header_row)
    return workbook_bytes(wb), XLSX_TYPE


LIST_HEADERS = ["STT", "Tiêu chí", "Nhiệm vụ", "Đơn vị chủ trì", "Thời hạn", "Báo cáo", "Tình hình thực hiện",
                "Tỷ lệ (%)", "Nộp muộn"]


def period_list_workbook(period, rows: list[PeriodRow]) -> bytes:
    """The period page's list as filtered, one line per task (numbers as numbers)."""
    from openpyxl.styles import Font

    book = new_workbook()
    ws = book.active
    ws.title = "Danh sách"
    put(ws, 1, 1, f"{period.name}: {period.plan.title}").font = Font(bold=True)
    for col, text in enumerate(LIST_HEADERS, start=1):
        put(ws, 3, col, text).font = Font(bold=True)
    for n, row in enumerate(rows, start=1):
        item, report = row.task.item, row.report
        values = [n, f"{item.display_code} {item.name}".strip(), row.task.text,
                  "; ".join(a.unit.name if a.unit else a.text for a in row.task.leads),
                  row.task.due_date.strftime("%d/%m/%Y") if row.task.due_date else row.task.deadline_text,
                  report.get_state_display() if report else "Chưa có báo cáo",
                  report.get_status_display() if report else "", report.percent if report else None,
                  "Có" if row.late else ""]
        for col, value in enumerate(values, start=1):
            put(ws, 3 + n, col, value)
    for col, width in enumerate((6, 40, 60, 30, 14, 18, 18, 10, 10), start=1):
        ws.column_dimensions[ws.cell(3, col).column_letter].width = width
    sheet_print_setup(ws, header_row=3)
    return workbook_bytes(book)
