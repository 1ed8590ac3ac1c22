#!/usr/bin/env python3
"""Build .docx, .xlsx, .html and .pdf versions of the seed tables for the reader's tests.

The tables are rendered from the hand-checked golden readings (chiso/data/demo/golden),
with the layout features real documents have: a two-line header whose group label
spans its sub-columns, a numbering row, vertically merged cells where the golden
notes say a cell spans several rows (the text then belongs to the first row only),
horizontally merged field rows, roman index headings and a TỔNG ĐIỂM row.
Each fixture must read back to the same rows as its text version.

    python scripts/make_reader_fixtures.py [OUT_DIR]      # default tests/fixtures/reader
"""
from __future__ import annotations

import html
import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "chiso" / "data" / "demo" / "golden"

# Leaf columns per seed table: ("code",) ("name",) ("value", key, year) ("text", key); header rows
# are lists of (label, rowspan, colspan).
LAYOUTS = {
    "000": {
        "columns": [("code",), ("name",), ("text", "tasks"), ("text", "implementing"), ("text", "lead"), ("text", "deadline")],
        "header": [
            [("STT", 2, 1), ("LĨNH VỰC, TIÊU CHÍ, TIÊU CHÍ THÀNH PHẦN", 2, 1), ("NỘI DUNG THỰC HIỆN", 2, 1),
             ("PHÂN CÔNG THỰC HIỆN", 1, 2), ("THỜI GIAN THỰC HIỆN", 2, 1)],
            [("CƠ QUAN THỰC HIỆN", 1, 1), ("CƠ QUAN CHỦ TRÌ", 1, 1)],
        ],
        "numbering": False,
    },
    "002-PAR_INDEX": {
        "columns": [("code",), ("name",), ("value", "max_points", None), ("value", "achieved", "2023"),
                    ("value", "target", "2024"), ("text", "tasks"), ("text", "lead"), ("text", "coordinating"),
                    ("text", "note")],
        "header": [
            [("STT", 2, 1), ("Lĩnh vực/Tiêu chí/Tiêu chí thành phần", 2, 1), ("Điểm theo bộ tiêu chí", 2, 1),
             ("Điểm đạt được năm 2023", 2, 1), ("Mục tiêu năm 2024", 2, 1), ("Nhiệm vụ, giải pháp", 2, 1),
             ("Trách nhiệm thực hiện", 1, 2), ("Ghi chú", 2, 1)],
            [("Chủ trì", 1, 1), ("Phối hợp", 1, 1)],
        ],
        "numbering": True,
    },
    "002-SIPAS": {
        "columns": [("code",), ("name",), ("text", "lead"), ("text", "coordinating"), ("text", "deadline"), ("text", "note")],
        "header": [
            [("TT", 2, 1), ("Nhiệm vụ", 2, 1), ("Thực hiện", 1, 2), ("Thời gian thực hiện", 2, 1), ("Ghi chú", 2, 1)],
            [("Cơ quan chủ trì", 1, 1), ("Cơ quan phối hợp", 1, 1)],
        ],
        "numbering": False,
    },
    "003": {
        "columns": [("code",), ("name",), ("text", "tasks"), ("text", "monitoring"), ("text", "lead"), ("text", "coordinating")],
        "header": [
            [("S T T", 2, 1), ("Lĩnh vực/Tiêu chí/ Tiêu chí thành phần", 2, 1), ("Chỉ tiêu đạt được", 2, 1),
             ("Cơ quan theo dõi", 2, 1), ("Cơ quan thực hiện", 1, 2)],
            [("Cơ quan chủ trì", 1, 1), ("Cơ quan phối hợp", 1, 1)],
        ],
        "numbering": False,
    },
}


def _fmt_num(v, comma: bool) -> str:
    if isinstance(v, list):
        return " - ".join(_fmt_num(x, comma) for x in v)
    s = str(int(v)) if float(v) == int(v) else repr(float(v))
    return s.replace(".", ",") if comma else s


def _printed_code(code: str | None, style: str) -> str:
    if not code:
        return ""
    if style == "dots" and code[0].isdigit() and code.count(".") <= 1:
        return code + "."
    return code


def _parent(code: str | None) -> str | None:
    if not code or "." not in code:
        return None
    return code.rsplit(".", 1)[0]


def build_rows(table: dict, columns: list[tuple], *, comma: bool, code_style: str) -> list[list[tuple[str, int, int]]]:
    """Data rows as (text, rowspan, colspan) cells; covered positions are omitted."""
    rows = table["rows"]
    n = len(columns)
    grid: list[list[str | None]] = []
    for r in rows:
        cells: list[str | None] = []
        vals = {(v["key"], v.get("year")): v["value"] for v in r["values"]}
        for col in columns:
            if col[0] == "code":
                cells.append(_printed_code(r["code"], code_style))
            elif col[0] == "name":
                cells.append(r["name"])
            elif col[0] == "value":
                v = vals.get((col[1], col[2]))
                cells.append("" if v is None else _fmt_num(v, comma))
            else:
                cells.append(r["text"].get(col[1], ""))
        grid.append(cells)
    spans = [[(1, 1) for _ in range(n)] for _ in grid]
    covered = [[False] * n for _ in grid]
    text_cols = [j for j, c in enumerate(columns) if c[0] == "text"]
    # vertical merges: an empty text cell of a leaf row under a printed cell of its sibling or parent
    for i in range(1, len(grid)):
        code = rows[i]["code"]
        has_children = i + 1 < len(rows) and _parent(rows[i + 1]["code"]) == code
        if not code or has_children:
            continue
        for j in text_cols:
            if grid[i][j]:
                continue
            k = i - 1
            while k >= 0 and covered[k][j]:
                k -= 1
            if k < 0 or not grid[k][j]:
                continue
            origin = rows[k]["code"]
            if not origin or not (_parent(code) == _parent(origin) or _parent(code) == origin):
                continue
            if k != i - 1 and not covered[i - 1][j]:
                continue
            spans[k][j] = (spans[k][j][0] + 1, 1)
            covered[i][j] = True
    # horizontal merges: a field row whose only text is in its first text column
    for i, r in enumerate(rows):
        if r["code"] and "." not in r["code"] and text_cols:
            first, rest = text_cols[0], text_cols[1:]
            if grid[i][first] and rest and not any(grid[i][j] for j in rest) and not any(covered[i][j] for j in rest):
                spans[i][first] = (1, 1 + len(rest))
                for j in rest:
                    covered[i][j] = True
    out = []
    for i in range(len(grid)):
        out.append([(grid[i][j] or "", spans[i][j][0], spans[i][j][1]) if not covered[i][j] else None
                    for j in range(n)])
    return out


def _sections(stem: str, gold: dict) -> list[dict]:
    """The tables of one seed as sections: caption paragraphs, header, numbering and body rows."""
    tables = gold["tables"]
    if stem == "000":
        lay = LAYOUTS["000"]
        body = []
        for t in tables:
            numeral, _, title = t["caption"].partition(". ")
            body.append([(numeral, 1, 1), (title, 1, len(lay["columns"]) - 1)] + [None] * (len(lay["columns"]) - 2))
            body.extend(build_rows(t, lay["columns"], comma=False, code_style="plain"))
        return [{"caption": ["PHỤ LỤC", gold["document"]["title"],
                             "(Ban hành kèm theo Kế hoạch số /KH-UBND ngày tháng 9 năm 2025 của UBND tỉnh)"],
                 "layout": lay, "body": body, "total": None, "name": "Phân công"}]
    if stem == "002":
        out = []
        for t in tables:
            lay = LAYOUTS[f"002-{t['index']}"]
            head, _, rest = t["caption"].partition(" ")
            number, _, title = rest.partition(" ")
            out.append({"caption": [f"{head} {number}", title,
                                    "(Kèm theo kế hoạch 475/KH-UBND ngày 18/7/2024 của UBND tỉnh Đắk Nông)"],
                        "layout": lay, "body": build_rows(t, lay["columns"], comma=True, code_style="plain"),
                        "total": t.get("total"), "name": t["index"].replace("_", " ")})
        return out
    t = tables[0]
    lay = LAYOUTS["003"]
    return [{"caption": ["PHỤ LỤC", "CÁC NHIỆM VỤ, GIẢI PHÁP ĐỂ NÂNG CAO", t["caption"].split("NÂNG CAO ", 1)[1]],
             "layout": lay, "body": build_rows(t, lay["columns"], comma=True, code_style="dots"),
             "total": None, "name": "Phụ lục"}]


def _preamble(gold: dict) -> list[str]:
    d = gold["document"]
    issuer = d.get("issuer") or ""
    level_name = issuer.replace("UBND ", "", 1)
    lines = ["ỦY BAN NHÂN DÂN", level_name.upper(), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    lines.append(f"Số: {d['number']}" if d.get("number") else "Số:      /KH-UBND")
    date = d.get("date") or ""
    parts = date.split("-")
    y = parts[0] if parts else ""
    m = parts[1].lstrip("0") if len(parts) > 1 else "    "
    dd = parts[2].lstrip("0") if len(parts) > 2 else "    "
    place = level_name.split(" ", 1)[-1]
    lines.append(f"{place}, ngày {dd} tháng {m} năm {y}")
    if d.get("title", "").startswith("Kế hoạch "):
        lines += ["KẾ HOẠCH", d["title"][len("Kế hoạch "):]]
    return lines


def _total_row(section) -> list[tuple[str, int, int]] | None:
    total = section["total"]
    if not total:
        return None
    cols = section["layout"]["columns"]
    vals = {(v["key"], v.get("year")): v["value"] for v in total}
    row: list = [("TỔNG ĐIỂM", 1, 2), None]
    for col in cols[2:]:
        if col[0] == "value":
            v = vals.get((col[1], col[2]))
            row.append(("" if v is None else _fmt_num(v, False), 1, 1))
        else:
            row.append(("", 1, 1))
    return row


# --- HTML / PDF ----------------------------------------------------------------
CSS = """
@page { size: A4 landscape; margin: 12mm; }
body { font-family: 'DejaVu Sans', sans-serif; font-size: 7.5pt; }
table { border-collapse: collapse; width: 100%; }
td, th { border: 0.6pt solid #000; padding: 2pt; vertical-align: top; }
thead { display: table-header-group; }
tr { break-inside: auto; }
/* WeasyPrint draws the tail of a split row over the next row's border when the tail is one
   short line; pdfplumber then puts it in the wrong row. Short-row tables keep rows whole. */
table.whole tr { break-inside: avoid; }
"""


def _html_row(cells, tag="td") -> str:
    out = []
    for c in cells:
        if c is None:
            continue
        text, rs, cs = c
        attrs = (f' rowspan="{rs}"' if rs > 1 else "") + (f' colspan="{cs}"' if cs > 1 else "")
        out.append(f"<{tag}{attrs}>{html.escape(text)}</{tag}>")
    return "<tr>" + "".join(out) + "</tr>"


def make_html(gold: dict, stem: str) -> str:
    parts = ["<!DOCTYPE html><html lang='vi'><head><meta charset='utf-8'><title>", html.escape(gold["document"].get("title") or ""),
             f"</title><style>{CSS}</style></head><body>"]
    parts += [f"<p>{html.escape(x)}</p>" for x in _preamble(gold)]
    for s in _sections(stem, gold):
        parts += [f"<p><b>{html.escape(x)}</b></p>" for x in s["caption"]]
        lay = s["layout"]
        whole = stem == "002" and not lay["numbering"]  # the SIPAS appendix: short rows
        parts.append('<table class="whole"><thead>' if whole else "<table><thead>")
        parts += [_html_row(r, "th") for r in lay["header"]]
        if lay["numbering"]:
            parts.append(_html_row([(f"({i + 1})", 1, 1) for i in range(len(lay["columns"]))], "th"))
        parts.append("</thead><tbody>")
        parts += [_html_row(r) for r in s["body"]]
        total = _total_row(s)
        if total:
            parts.append(_html_row(total))
        parts.append("</tbody></table>")
    parts.append("</body></html>")
    return "\n".join(parts)


def make_pdf(html_text: str, path: Path) -> None:
    from weasyprint import HTML

    HTML(string=html_text).write_pdf(str(path))


# --- DOCX ----------------------------------------------------------------------
def _docx_table(document, rows: list[list], n_cols: int, header_rows: int):
    table = document.add_table(rows=len(rows), cols=n_cols)
    table.style = "Table Grid"
    occupied = set()
    for i, row in enumerate(rows):
        j = 0
        for c in row:
            if c is None:
                continue
            while (i, j) in occupied:
                j += 1
            text, rs, cs = c
            cell = table.cell(i, j)
            if rs > 1 or cs > 1:
                cell = cell.merge(table.cell(i + rs - 1, j + cs - 1))
            paragraphs = text.split("\n") if text else [""]
            cell.text = paragraphs[0]
            for extra in paragraphs[1:]:
                cell.add_paragraph(extra)
            for a in range(i, i + rs):
                for b in range(j, j + cs):
                    occupied.add((a, b))
            j += cs
    return table


def make_docx(gold: dict, stem: str, path: Path) -> None:
    import docx

    document = docx.Document()
    for line in _preamble(gold):
        document.add_paragraph(line)
    for s in _sections(stem, gold):
        for line in s["caption"]:
            document.add_paragraph(line)
        lay = s["layout"]
        rows = list(lay["header"])
        if lay["numbering"]:
            rows.append([(f"({i + 1})", 1, 1) for i in range(len(lay["columns"]))])
        rows += s["body"]
        total = _total_row(s)
        if total:
            rows.append(total)
        _docx_table(document, rows, len(lay["columns"]), len(lay["header"]))
    document.save(str(path))


# --- XLSX ----------------------------------------------------------------------
def make_xlsx(gold: dict, stem: str, path: Path) -> None:
    import openpyxl
    from openpyxl.styles import Alignment

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    sections = _sections(stem, gold)
    for s in sections:
        ws = wb.create_sheet(s["name"][:31])
        lay = s["layout"]
        width = len(lay["columns"])
        r = 1
        for line in s["caption"]:
            ws.cell(r, 1, line)
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
            r += 1
        rows = list(lay["header"])
        if lay["numbering"]:
            rows.append([(f"({i + 1})", 1, 1) for i in range(width)])
        rows += s["body"]
        total = _total_row(s)
        if total:
            rows.append(total)
        occupied = set()
        value_cols = {j for j, c in enumerate(lay["columns"]) if c[0] == "value"}
        for i, row in enumerate(rows):
            j = 0
            for c in row:
                if c is None:
                    continue
                while (i, j) in occupied:
                    j += 1
                text, rs, cs = c
                value: object = text
                if j in value_cols and i >= len(lay["header"]) + lay["numbering"] and text and "-" not in text[1:]:
                    value = float(text.replace(",", ".")) if ("," in text or "." in text) else int(text)
                cell = ws.cell(r + i, j + 1, value if value != "" else None)
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                if rs > 1 or cs > 1:
                    ws.merge_cells(start_row=r + i, start_column=j + 1, end_row=r + i + rs - 1, end_column=j + cs)
                for a in range(i, i + rs):
                    for b in range(j, j + cs):
                        occupied.add((a, b))
                j += cs
    if len(sections) == 1:
        # a second sheet with unrelated notes, which the reader must pass over
        ws = wb.create_sheet("Ghi chú")
        ws["A1"] = "Bảng tổng hợp được lập từ Phụ lục; số liệu cập nhật định kỳ."
        ws["A2"] = "Người lập: Văn phòng"
    wb.save(str(path))


# --- synthetic documents in layouts the seeds do not have -----------------------------
def make_synthetic_xlsx(path: Path) -> None:
    """Two index sheets (PAR INDEX, SIPAS) with title rows, float noise, a total and a chart-data sheet."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "PAR INDEX"
    head = ["TT", "Lĩnh vực, tiêu chí", "Thang điểm", "Điểm đạt được năm 2022", "Chỉ tiêu phấn đấu năm 2023",
            "Giải pháp", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời hạn hoàn thành", "Ghi chú"]
    ws.append(["BẢNG MỤC TIÊU, GIẢI PHÁP CẢI THIỆN CHỈ SỐ CẢI CÁCH HÀNH CHÍNH (PAR INDEX) NĂM 2023"])
    ws.merge_cells("A1:J1")
    ws.append([])
    ws.append(head)
    rows = [
        ["I", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH", 9.5, 0.1 + 0.2 + 8.7, 9.25, None, None, None, None, None],
        ["1.1", "Kế hoạch CCHC", 1.5, 1.5, 1.5, "Ban hành Kế hoạch CCHC đúng thời hạn", "Sở Nội vụ", "Các sở, ngành", "Tháng 12/2022", None],
        ["1.2", "Kiểm tra CCHC", 2, 1.75, 2, "Kiểm tra tối thiểu 30% cơ quan", "Sở Nội vụ", None, "Quý III/2023", "Trọng tâm"],
        ["1.3", "Tuyên truyền CCHC", 1, 0.75, 1, "Đa dạng hóa hình thức tuyên truyền", "Sở Thông tin và Truyền thông", "Báo, Đài tỉnh", "Thường xuyên", None],
        ["II", "CẢI CÁCH TỔ CHỨC BỘ MÁY", 13, 11.2, 12, None, None, None, None, None],
        ["2.1", "Sắp xếp tổ chức bộ máy", 4, 3.5, 4, "Hoàn thành sắp xếp các đơn vị sự nghiệp", "Sở Nội vụ", "Các sở, ngành; UBND cấp huyện", "Năm 2023", None],
        [None, "Tổng cộng", 22.5, 20.5, 21.25, None, None, None, None, None],
    ]
    for r in rows:
        ws.append(r)
    ws2 = wb.create_sheet("SIPAS")
    ws2.append(["CHỈ SỐ HÀI LÒNG CỦA NGƯỜI DÂN, TỔ CHỨC (SIPAS)"])
    ws2.append(["STT", "Yếu tố", "Kết quả năm 2022 (%)", "Mục tiêu năm 2023 (%)", "Giải pháp", "Cơ quan chủ trì", "Thời gian"])
    for r in [
        ["1", "Tiếp cận dịch vụ", 82.35, "85 - 87", "Bố trí đủ ghế, nước uống tại Bộ phận Một cửa", "Văn phòng UBND tỉnh", "Năm 2023"],
        ["2", "Thủ tục hành chính", 80.1, "83 - 85", "Niêm yết đầy đủ TTHC", "Văn phòng UBND tỉnh", "Năm 2023"],
        ["3", "Công chức giải quyết công việc", 84.72, "86 - 88", "Chấn chỉnh thái độ giao tiếp của công chức", "Sở Nội vụ", "Thường xuyên"],
    ]:
        ws2.append(r)
    ws3 = wb.create_sheet("Sheet3")
    for i in range(1, 8):
        ws3.append([i, i * 3.5, i * 1000])
    wb.save(str(path))


def make_synthetic_docx(path: Path) -> None:
    """A plan with two appendices, a single "Trách nhiệm thực hiện" column, deliverables and
    vertically merged cells (one task block over several criteria); prose numbered like the table."""
    import docx

    d = docx.Document()
    for line in ["UBND TỈNH BẮC KẠN", "Số: 56/KH-UBND", "Bắc Kạn, ngày 20 tháng 02 năm 2025", "KẾ HOẠCH",
                 "CẢI THIỆN CHỈ SỐ CẢI CÁCH HÀNH CHÍNH VÀ CHỈ SỐ HÀI LÒNG NĂM 2025",
                 "I. NỘI DUNG", "1. Công tác chỉ đạo, điều hành: tiếp tục đổi mới.", "1.1. Kế hoạch CCHC: ban hành đúng hạn.",
                 "PHỤ LỤC 01", "NHIỆM VỤ CẢI THIỆN CHỈ SỐ PAR INDEX NĂM 2025"]:
        d.add_paragraph(line)

    def table(rows, widths):
        t = d.add_table(rows=len(rows), cols=widths)
        t.style = "Table Grid"
        for i, r in enumerate(rows):
            for j, v in enumerate(r):
                if v is not None:
                    t.cell(i, j).text = v
        return t

    t = table([
        ["STT", "Tiêu chí", "Điểm tối đa", "Nhiệm vụ", "Trách nhiệm thực hiện", "Kết quả/sản phẩm đầu ra", "Tiến độ"],
        ["1", "Công tác chỉ đạo, điều hành", "9,5", "", "", "", ""],
        ["1.1", "Kế hoạch CCHC", "1,5", "Ban hành và triển khai Kế hoạch CCHC năm 2025", "Sở Nội vụ chủ trì; các sở, ngành phối hợp", "Kế hoạch CCHC", "Tháng 01/2025"],
        ["1.2", "Báo cáo CCHC", "0,5", "", "", "Báo cáo định kỳ", "Hằng quý"],
        ["1.3", "Kiểm tra CCHC", "2", "Kiểm tra CCHC tại 30% cơ quan", "Sở Nội vụ", "Kết luận kiểm tra", "Quý II, III/2025"],
    ], 7)
    # 1.1's task and responsibility span 1.2 as well
    t.cell(2, 3).merge(t.cell(3, 3))
    t.cell(2, 4).merge(t.cell(3, 4))
    d.add_paragraph("PHỤ LỤC 02")
    d.add_paragraph("NHIỆM VỤ NÂNG CAO CHỈ SỐ HÀI LÒNG (SIPAS) NĂM 2025")
    table([
        ["TT", "Nội dung", "Nhiệm vụ, giải pháp", "Trách nhiệm thực hiện", "Thời gian"],
        ["1", "Tiếp cận dịch vụ", "Cải tạo Bộ phận Một cửa cấp xã", "UBND cấp xã", "Năm 2025"],
        ["2", "Thủ tục hành chính", "Công khai đầy đủ TTHC", "Văn phòng UBND tỉnh", "Thường xuyên"],
    ], 5)
    d.add_paragraph("Nơi nhận: - Như trên; - Lưu: VT.")
    d.save(str(path))


def make_synthetic_borderless_pdf(path: Path) -> None:
    """A results table with no ruling lines and vertically centred cells: the PDF text fallback."""
    rows = [["STT", "Tiêu chí", "Điểm tối đa", "Điểm thẩm định", "Lý do bị trừ điểm"],
            ["1", "Công tác chỉ đạo", "9,5", "9", "Chưa kịp thời"], ["1.1", "Kế hoạch CCHC", "1,5", "1,5", ""],
            ["1.2", "Kiểm tra", "2", "1,5", "Thiếu 30%"]]
    body = "".join("<tr>" + "".join(f"<td style='padding:2pt 14pt'>{html.escape(c)}</td>" for c in r) + "</tr>" for r in rows)
    make_pdf("<html><body style='font-family:DejaVu Sans;font-size:10pt'><p>PHỤ LỤC</p>"
             "<p>KẾT QUẢ THẨM ĐỊNH CHỈ SỐ PAR INDEX NĂM 2023</p><table cellspacing=0>" + body + "</table></body></html>", path)


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else ROOT / "tests" / "fixtures" / "reader"
    out.mkdir(parents=True, exist_ok=True)
    (out / "golden").mkdir(exist_ok=True)
    for gpath in sorted(GOLDEN.glob("*.json")):
        gold = json.loads(gpath.read_text(encoding="utf-8"))
        stem = gpath.stem[:3]
        shutil.copyfile(gpath, out / "golden" / gpath.name)
        base = out / gpath.stem
        html_text = make_html(gold, stem)
        base.with_suffix(".html").write_text(html_text, encoding="utf-8")
        make_docx(gold, stem, base.with_suffix(".docx"))
        make_xlsx(gold, stem, base.with_suffix(".xlsx"))
        make_pdf(html_text, base.with_suffix(".pdf"))
        print(f"{gpath.stem}: html docx xlsx pdf")
    syn = out / "synthetic"
    syn.mkdir(exist_ok=True)
    make_synthetic_xlsx(syn / "two_index_sheets.xlsx")
    make_synthetic_docx(syn / "two_appendices.docx")
    make_synthetic_borderless_pdf(syn / "borderless.pdf")
    print("synthetic: xlsx docx pdf")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
