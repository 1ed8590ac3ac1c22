"""The plan's body as a Word document in the form of Nghị định 30/2020/NĐ-CP (heading, I. mục
đích, yêu cầu; II. nhiệm vụ, giải pháp; III. tổ chức thực hiện; signature), rendered with
docxtpl from a template the province can replace with its own (PlanDocumentTemplate).

The template is a .docx with Jinja tags (the default one, made by `default_template`, lists
them). It is rendered in Jinja's sandbox with XML escaping: an uploaded template cannot reach
Python, and user text (a task with "<" or "&") stays text. The appendix (the table) is the
analysis app's export; the body refers to it.
"""
from __future__ import annotations

import io
from dataclasses import dataclass

from django.utils import timezone

from chiso.common.office import clean_text
from chiso.core.tree import fmt

from .models import AssignmentRole, Plan, PlanDocumentTemplate, ValueKey
from .selectors import plan_tables
from .services.starting import index_title, issuer_title

PLACEHOLDER_NUMBER = "      /KH-UBND"
MAX_TEMPLATE_BYTES = 5 * 1024 * 1024
# tags the default template uses, documented on the template page
TAGS = [
    ("issuer_upper", "Tên cơ quan ban hành, chữ in hoa (ỦY BAN NHÂN DÂN / TỈNH …)"),
    ("number", "Số, ký hiệu văn bản"), ("place", "Địa danh"), ("day, month, year", "Ngày, tháng, năm ban hành"),
    ("title", "Tên kế hoạch (trích yếu)"), ("grounds", "Các đoạn căn cứ (danh sách)"),
    ("purpose, requirements, organization", "Các đoạn mục đích, yêu cầu, tổ chức thực hiện (danh sách)"),
    ("sections", "Nhiệm vụ, giải pháp theo lĩnh vực: s.heading, s.lines (danh sách)"),
    ("recipients", "Nơi nhận (danh sách)"), ("signer_title, signer_name", "Chức vụ, họ tên người ký"),
]


@dataclass
class Section:
    heading: str
    lines: list[str]


def _paragraphs(text: str) -> list[str]:
    return [clean_text(p.strip()) for p in (text or "").splitlines() if p.strip()]


def _who(task, role: str) -> str:
    return "; ".join(dict.fromkeys(a.unit.name if a.unit else a.text for a in task.assignments.all() if a.role == role))


def task_line(task) -> str:
    """"Nhiệm vụ … (chủ trì: …; phối hợp: …; thời hạn: …; sản phẩm: …)"."""
    parts = []
    lead = _who(task, AssignmentRole.LEAD) or _who(task, AssignmentRole.RESPONSIBLE)
    for label, value in (("chủ trì", lead), ("phối hợp", _who(task, AssignmentRole.COORDINATING)),
                         ("thực hiện", _who(task, AssignmentRole.IMPLEMENTING)),
                         ("thời hạn", task.deadline_text), ("sản phẩm", task.deliverable)):
        if value:
            parts.append(f"{label}: {value}")
    text = " ".join(task.text.split())
    return clean_text(f"{text} ({'; '.join(parts)})" if parts else text)


def sections(plan: Plan) -> list[Section]:
    """Part II: per field (a row at the first level) its heading with the target, then each
    task of the field's rows, in table order."""
    out: list[Section] = []
    for table in plan_tables(plan):
        years = [str(c.get("year") or "") for c in table.columns if c.get("key") == "target"]
        current: Section | None = None
        for item in table.items.all():
            if item.level == 1 or current is None:
                targets = {v.year: v.value for v in item.values.all() if v.key == ValueKey.TARGET}
                goal = "; ".join(f"mục tiêu năm {y}: {fmt(targets[y])}" + (f"/{fmt(item.max_points)} điểm"
                                 if item.max_points is not None else "") for y in years if targets.get(y) is not None)
                heading = f"{len(out) + 1}. {item.name}" + (f" ({goal})" if goal else "")
                current = Section(clean_text(heading), [])
                out.append(current)
            for task in item.tasks.all():
                code = f"Tiêu chí {item.display_code}: " if item.level > 1 and item.display_code else ""
                current.lines.append(f"{code}{task_line(task)}")
    return [s for s in out if s.lines]


def body_context(plan: Plan) -> dict:
    issuer = plan.issuer
    date = plan.date
    baseline = plan.results.year if plan.results_id else plan.first_year - 1
    tables = list(plan.tables.select_related("version__framework"))
    what = index_title(tables[0].version, tables[0].index) if tables else "chỉ số"
    head = f"ỦY BAN NHÂN DÂN\n{issuer_title(issuer).upper()}" if issuer.kind in {"province", "district", "commune"} \
        else issuer.name.upper()
    title = plan.title
    if title.lower().startswith("kế hoạch "):
        title = title[len("kế hoạch "):]
    return {
        "issuer_upper": head, "number": plan.number or PLACEHOLDER_NUMBER,
        "place": issuer.name if issuer.kind == "province" else (issuer.root.name if issuer.root_id else issuer.name),
        "day": f"{date.day:02d}" if date else "    ", "month": f"{date.month:02d}" if date else "    ",
        "year": str(date.year) if date else str(timezone.localdate().year),
        "title": clean_text(title[:1].upper() + title[1:]),
        "grounds": [f"Căn cứ kết quả đánh giá {what} năm {baseline} của {issuer_title(issuer)};",
                    f"Ủy ban nhân dân {issuer_title(issuer)} ban hành Kế hoạch {clean_text(plan.title[:1].lower() + plan.title[1:])} "
                    "như sau:"],
        "purpose": _paragraphs(plan.purpose), "requirements": _paragraphs(plan.requirements),
        "organization": _paragraphs(plan.organization), "sections": sections(plan),
        "recipients": ["Như trên;", "Bộ Nội vụ (b/c);", "TT Tỉnh ủy, TT HĐND tỉnh (b/c);", "CT, các PCT UBND tỉnh;",
                       "Các sở, ban, ngành;", "Lưu: VT, SNV."],
        "signer_title": "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH", "signer_name": "",
    }


def template_for(plan: Plan) -> PlanDocumentTemplate | None:
    root = plan.issuer.root_id or plan.issuer_id
    return PlanDocumentTemplate.objects.filter(owner_id=root).order_by("-uploaded_at").first()


def render_body(template_bytes: bytes, context: dict) -> bytes:
    """The template filled in (sandboxed Jinja, XML-escaped)."""
    from docxtpl import DocxTemplate
    from jinja2.sandbox import SandboxedEnvironment

    doc = DocxTemplate(io.BytesIO(template_bytes))
    doc.render(context, jinja_env=SandboxedEnvironment(), autoescape=True)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def plan_body_docx(plan: Plan) -> bytes:
    custom = template_for(plan)
    data = custom.file.read() if custom is not None else default_template()
    return render_body(data, body_context(plan))


def check_template(data: bytes) -> str | None:
    """Why an uploaded template cannot be used (it must render a sample plan), or None."""
    if not data.startswith(b"PK\x03\x04"):
        return "Tệp không phải tài liệu Word .docx."
    if len(data) > MAX_TEMPLATE_BYTES:
        return "Mẫu văn bản lớn quá 5 MB."
    sample = {"issuer_upper": "ỦY BAN NHÂN DÂN\nTỈNH MẪU", "number": "1/KH-UBND", "place": "Mẫu", "day": "01",
              "month": "01", "year": "2025", "title": "Kế hoạch mẫu", "grounds": ["Căn cứ"], "purpose": ["Mục đích"],
              "requirements": ["Yêu cầu"], "organization": ["Tổ chức"],
              "sections": [Section("1. Lĩnh vực", ["Nhiệm vụ"])], "recipients": ["Như trên;"],
              "signer_title": "CHỦ TỊCH", "signer_name": "Nguyễn Văn A"}
    try:
        render_body(data, sample)
    except Exception as exc:  # a broken template: Jinja syntax, a forbidden attribute, a damaged zip
        return f"Mẫu văn bản không dùng được: {str(exc)[:200]}"
    return None


# -- the default template ---------------------------------------------------------------------

def default_template() -> bytes:
    """The NĐ 30 layout with docxtpl tags: A4 portrait, margins 20/15/30/20 mm, Times New Roman
    14, the two-column heading, and paragraph loops ({%p for … %}) for the lists."""
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = Mm(20), Mm(20), Mm(30), Mm(15)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = "Times New Roman", Pt(14)
    normal.paragraph_format.space_after = Pt(6)

    def para(text="", *, bold=False, italic=False, center=False, indent=True, size=None):
        p = doc.add_paragraph()
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        else:
            p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            if indent:
                p.paragraph_format.first_line_indent = Mm(10)
        run = p.add_run(text)
        run.bold, run.italic = bold, italic
        if size:
            run.font.size = Pt(size)
        return p

    heading = doc.add_table(rows=1, cols=2)
    heading.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = heading.rows[0].cells
    left.width, right.width = Mm(65), Mm(100)
    for cell, lines in ((left, [("{{ issuer_upper }}", True, False), ("———", False, False),
                                ("Số: {{ number }}", False, False)]),
                        (right, [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True, False),
                                 ("Độc lập - Tự do - Hạnh phúc", True, False), ("———", False, False),
                                 ("{{ place }}, ngày {{ day }} tháng {{ month }} năm {{ year }}", False, True)])):
        cell.paragraphs[0].text = ""
        for i, (text, bold, italic) in enumerate(lines):
            p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = p.add_run(text)
            run.bold, run.italic, run.font.size = bold, italic, Pt(13)
    para()
    para("KẾ HOẠCH", bold=True, center=True)
    para("{{ title }}", bold=True, center=True)
    para("———", center=True)
    para("{%p for g in grounds %}")
    para("{{ g }}", italic=True)
    para("{%p endfor %}")
    para("I. MỤC ĐÍCH, YÊU CẦU", bold=True)
    para("1. Mục đích", bold=True)
    para("{%p for p in purpose %}")
    para("{{ p }}")
    para("{%p endfor %}")
    para("2. Yêu cầu", bold=True)
    para("{%p for p in requirements %}")
    para("{{ p }}")
    para("{%p endfor %}")
    para("II. NHIỆM VỤ, GIẢI PHÁP", bold=True)
    para("(Chi tiết mục tiêu, nhiệm vụ, cơ quan chủ trì, phối hợp, thời hạn tại Phụ lục kèm theo)", italic=True)
    para("{%p for s in sections %}")
    para("{{ s.heading }}", bold=True)
    para("{%p for line in s.lines %}")
    para("- {{ line }}")
    para("{%p endfor %}")
    para("{%p endfor %}")
    para("III. TỔ CHỨC THỰC HIỆN", bold=True)
    para("{%p for p in organization %}")
    para("{{ p }}")
    para("{%p endfor %}")
    para("Trên đây là Kế hoạch {{ title[:1]|lower }}{{ title[1:] }}; yêu cầu các cơ quan, đơn vị triển khai thực hiện./.")
    sign = doc.add_table(rows=1, cols=2)
    left, right = sign.rows[0].cells
    left.paragraphs[0].text = ""
    run = left.paragraphs[0].add_run("Nơi nhận:")
    run.bold, run.italic, run.font.size = True, True, Pt(12)
    p = left.add_paragraph("{%p for r in recipients %}")
    p = left.add_paragraph()
    run = p.add_run("- {{ r }}")
    run.font.size = Pt(11)
    left.add_paragraph("{%p endfor %}")
    right.paragraphs[0].text = ""
    for i, text in enumerate(["TM. ỦY BAN NHÂN DÂN", "{{ signer_title }}", "", "", "", "{{ signer_name }}"]):
        p = right.paragraphs[0] if i == 0 else right.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run(text).bold = True
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
