"""The documents of each layout class. Every class mixes seed tables re-laid and documents
composed from the frameworks, so that a rule tuned to one source shows up in the others."""
from __future__ import annotations

import random

from . import sources as S
from .model import Column, Doc, Section, value

YEAR = 2025


# --- seeds re-laid --------------------------------------------------------------------------
def _seed(stem: str) -> dict:
    return dict(S.seed_docs())[stem]


def _seed_head(doc: dict, kind: str = "KẾ HOẠCH") -> list[str]:
    issuer = doc.get("issuer") or ""
    level_place = issuer.replace("UBND ", "", 1)
    place = level_place.split(" ", 1)[-1]
    date = (doc.get("date") or "").split("-")
    y = date[0]
    m = date[1].lstrip("0") if len(date) > 1 else "    "
    d = date[2].lstrip("0") if len(date) > 2 else "    "
    title = doc.get("title") or ""
    return ["ỦY BAN NHÂN DÂN", level_place.upper(), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
            f"Số: {doc['number']}" if doc.get("number") else "Số:      /KH-UBND", f"{place}, ngày {d} tháng {m} năm {y}",
            kind, title.split(" ", 2)[-1].upper() if title.startswith("Kế hoạch") else title.upper()]


def seed002(name: str, **kw) -> Doc:
    g = _seed("002")
    par, sipas = g["tables"]
    cols_par = [Column("code", label="STT"), Column("name", label="Lĩnh vực/Tiêu chí/Tiêu chí thành phần"),
                Column("value", "max_points", None, "Điểm theo bộ tiêu chí"),
                Column("value", "achieved", "2023", "Điểm đạt được năm 2023"),
                Column("value", "target", "2024", "Mục tiêu năm 2024"),
                Column("text", "tasks", label="Nhiệm vụ, giải pháp"),
                Column("text", "lead", label="Chủ trì", group="Trách nhiệm thực hiện"),
                Column("text", "coordinating", label="Phối hợp", group="Trách nhiệm thực hiện"),
                Column("text", "note", label="Ghi chú")]
    cols_sipas = [Column("code", label="TT"), Column("name", label="Nhiệm vụ"),
                  Column("text", "lead", label="Cơ quan chủ trì", group="Thực hiện"),
                  Column("text", "coordinating", label="Cơ quan phối hợp", group="Thực hiện"),
                  Column("text", "deadline", label="Thời gian thực hiện"), Column("text", "note", label="Ghi chú")]
    head, _, rest = par["caption"].partition(" ")
    num, _, title = rest.partition(" ")
    ref = "(Kèm theo kế hoạch 475/KH-UBND ngày 18/7/2024 của UBND tỉnh Đắk Nông)"
    s1 = Section("PAR_INDEX", [f"{head} {num}", title, ref], cols_par, par["rows"], par.get("total"), numbering=True,
                 comma=False)
    head2, _, rest2 = sipas["caption"].partition(" ")
    num2, _, title2 = rest2.partition(" ")
    s2 = Section("SIPAS", [f"{head2} {num2}", title2, ref], cols_sipas, sipas["rows"])
    return Doc(name, dict(g["document"]), _seed_head(g["document"]), [], [s1, s2], **kw)


def seed000(name: str, **kw) -> Doc:
    g = _seed("000")
    cols = [Column("code", label="STT"), Column("name", label="LĨNH VỰC, TIÊU CHÍ, TIÊU CHÍ THÀNH PHẦN"),
            Column("text", "tasks", label="NỘI DUNG THỰC HIỆN"),
            Column("text", "implementing", label="CƠ QUAN THỰC HIỆN", group="PHÂN CÔNG THỰC HIỆN"),
            Column("text", "lead", label="CƠ QUAN CHỦ TRÌ", group="PHÂN CÔNG THỰC HIỆN"),
            Column("text", "deadline", label="THỜI GIAN THỰC HIỆN")]
    caption = ["PHỤ LỤC", "Phân công nhiệm vụ triển khai thực hiện cải thiện và nâng cao Chỉ số PAR Index, Chỉ số SIPAS "
               "và Chỉ số PAPI của tỉnh Đắk Lắk năm 2025",
               "(Ban hành kèm theo Kế hoạch số /KH-UBND ngày tháng 9 năm 2025 của UBND tỉnh)"]
    sections = []
    for i, t in enumerate(g["tables"]):
        sections.append(Section(t["index"], caption, cols, t["rows"], heading=t["caption"], joined=i > 0))
    return Doc(name, dict(g["document"]), [], [], sections, **kw)


def seed003(name: str, *, lone: str | None = None, **kw) -> Doc:
    g = _seed("003")
    t = g["tables"][0]
    if lone:  # only the task column, headed by a lone "Thực hiện"
        cols = [Column("code", label="STT"), Column("name", label="Lĩnh vực/Tiêu chí/ Tiêu chí thành phần"),
                Column("text", "tasks", label=lone)]
        rows = [dict(r, text={k: v for k, v in r["text"].items() if k == "tasks"}) for r in t["rows"]]
    else:
        cols = [Column("code", label="S T T"), Column("name", label="Lĩnh vực/Tiêu chí/ Tiêu chí thành phần"),
                Column("text", "tasks", label="Chỉ tiêu đạt được"), Column("text", "monitoring", label="Cơ quan theo dõi"),
                Column("text", "lead", label="Cơ quan chủ trì", group="Cơ quan thực hiện"),
                Column("text", "coordinating", label="Cơ quan phối hợp", group="Cơ quan thực hiện")]
        rows = t["rows"]
    caption = ["PHỤ LỤC", "CÁC NHIỆM VỤ, GIẢI PHÁP ĐỂ NÂNG CAO", t["caption"].split("NÂNG CAO ", 1)[1]]
    s = Section("PAR_INDEX", caption, cols, rows, code_style="dotted")
    # the heading is printed, so the golden's issuer and year are in the document
    return Doc(name, dict(g["document"]), _seed_head(g["document"]), [], [s], **kw)


# --- composed plans ----------------------------------------------------------------------------
def _place(rng) -> str:
    return rng.choice(S.PROVINCES)


def prose(rng: random.Random, paragraphs: int, place: str) -> list[str]:
    """A plan's body: numbered headings and sentences (numbered like the table, not a table)."""
    fw = [r for r in S._framework("par_index_province_qd876.csv") if r["code"].count(".") <= 1]
    out = ["I. MỤC ĐÍCH, YÊU CẦU", "1. Mục đích",
           f"- Nâng cao kết quả Chỉ số cải cách hành chính (PAR INDEX) của tỉnh {place} năm {YEAR}, "
           "khắc phục những hạn chế, tồn tại đã được chỉ ra.", "2. Yêu cầu",
           "- Các cơ quan, đơn vị, địa phương quán triệt nội dung Kế hoạch và tổ chức thực hiện nghiêm túc.",
           "II. NHIỆM VỤ, GIẢI PHÁP"]
    k = 0
    while len(out) < paragraphs:
        r = fw[k % len(fw)]
        k += 1
        if "." not in r["code"]:
            out.append(f"{r['code']}. {r['name'][:1]}{r['name'][1:].lower()}")
        else:
            out.append(f"{r['code']}. {r['name']}: {rng.choice(S.TASKS).format(topic=S._topic(r['name']), prev=YEAR - 1)} "
                       f"Phấn đấu năm {YEAR} đạt {S._num(r['max_points'])} điểm.")
    out += ["III. TỔ CHỨC THỰC HIỆN", "1. Sở Nội vụ chủ trì, theo dõi, đôn đốc việc thực hiện Kế hoạch này.",
            "2. Các sở, ban, ngành, UBND cấp huyện căn cứ nội dung Kế hoạch, tổ chức triển khai thực hiện.",
            "Trên đây là Kế hoạch cải thiện, nâng cao Chỉ số cải cách hành chính của tỉnh.",
            "Nơi nhận:", "- Bộ Nội vụ;", "- Lưu: VT, NC.", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]
    return out


def par_plan(name: str, seed: int, *, values=("max_points", "achieved", "target"),
             text=(("tasks", "Nhiệm vụ, giải pháp", None), ("lead", "Chủ trì", "Trách nhiệm thực hiện"),
                   ("coordinating", "Phối hợp", "Trách nhiệm thực hiện"), ("deadline", "Thời gian hoàn thành", None)),
             depth=3, ranges=False, fields=None, body: int = 0, number: str | None = "112/KH-UBND",
             ref_only: bool = False, labels: dict | None = None, comma=True, code_style="plain", **kw) -> Doc:
    rng = random.Random(seed)
    place = _place(rng)
    agencies = S.province_agencies()
    keys = tuple(k for k, _, _ in text)
    rows, total = S.par_rows(rng, YEAR, agencies, values=values, text_keys=keys, depth=depth, ranges=ranges,
                             fields=fields)
    cols = S.columns_plan(YEAR, values=values, text=list(text), labels=labels)
    date = (rng.randint(1, 28), rng.randint(1, 6), YEAR)
    ref = f"(Kèm theo Kế hoạch số {number} ngày {date[0]}/{date[1]}/{date[2]} của UBND tỉnh {place})" if number else \
        f"(Kèm theo Kế hoạch ngày {date[0]}/{date[1]}/{date[2]} của UBND tỉnh {place})"
    caption = ["PHỤ LỤC", f"NHIỆM VỤ, GIẢI PHÁP NÂNG CAO CHỈ SỐ CẢI CÁCH HÀNH CHÍNH (PAR INDEX) NĂM {YEAR}", ref]
    s = Section("PAR_INDEX", caption, cols, rows, total if not fields else None, comma=comma, code_style=code_style)
    title = f"Cải thiện, nâng cao Chỉ số cải cách hành chính tỉnh {place} năm {YEAR}"
    doc = S.make_doc(name, place=place, level="tỉnh", number=None if ref_only else number,
                     date=(None, None, YEAR) if ref_only else date, title=title, sections=[s],
                     body=prose(rng, body, place) if body else [])
    if ref_only:
        doc.document["number"], doc.document["date"] = number, S.iso(date)
    for k, v in kw.items():
        setattr(doc, k, v)
    doc.seed = seed
    return doc


def appraisal(name: str, seed: int, **kw) -> Doc:
    """A results table of the points lost: max, appraised, deducted, reason and remedy."""
    rng = random.Random(seed)
    place = _place(rng)
    year = YEAR - 1
    fw = [r for r in S._framework("par_index_province_qd876.csv") if r["code"].count(".") <= 1]
    rows = []
    for r in fw:
        mx = r["max_points"]
        lost = 0 if rng.random() < 0.5 else round(mx * rng.choice((0.25, 0.5, 0.1)), 2)
        ap = S._num(mx - lost)
        text = {}
        if lost and "." in r["code"]:
            text = {"reason": f"Chưa đáp ứng đầy đủ yêu cầu về {S._topic(r['name'])} theo quy định",
                    "tasks": f"Khắc phục hạn chế về {S._topic(r['name'])}; báo cáo kết quả trước ngày 30/6/{YEAR}"}
        rows.append({"code": r["code"], "name": r["name"], "values": [
            value("max_points", S._num(mx)), value("appraised", ap, str(year)), value("deducted", S._num(-lost), str(year))],
            "text": text})
    # parents: appraised as the sum of their children
    for r in rows:
        if "." not in r["code"]:
            kids = [k for k in rows if k["code"].startswith(r["code"] + ".")]
            ap = S._num(sum(k["values"][1]["value"] for k in kids))
            r["values"][1]["value"] = ap
            r["values"][2]["value"] = S._num(ap - r["values"][0]["value"])
    cols = [Column("code", label="STT"), Column("name", label="Tiêu chí"), Column("value", "max_points", None, "Điểm tối đa"),
            Column("value", "appraised", str(year), "Điểm thẩm định"), Column("value", "deducted", str(year), "Điểm bị trừ"),
            Column("text", "reason", label="Lý do bị trừ điểm"), Column("text", "tasks", label="Giải pháp khắc phục")]
    caption = ["PHỤ LỤC", f"KẾT QUẢ THẨM ĐỊNH VÀ GIẢI PHÁP KHẮC PHỤC CHỈ SỐ PAR INDEX NĂM {year}"]
    s = Section("PAR_INDEX", caption, cols, rows)
    date = (rng.randint(1, 28), rng.randint(1, 6), YEAR)
    doc = S.make_doc(name, place=place, level="tỉnh", number=f"{rng.randint(10, 900)}/BC-UBND", date=date,
                     title=f"Kết quả thẩm định Chỉ số cải cách hành chính năm {year} của tỉnh {place}", kind="Báo cáo",
                     sections=[s])
    for k, v in kw.items():
        setattr(doc, k, v)
    doc.seed = seed
    return doc


def sipas_papi(name: str, seed: int, *, with_values: bool = False, ranges: bool = False, **kw) -> Doc:
    """SIPAS and PAPI tasks in one table under roman index headings."""
    rng = random.Random(seed)
    place = _place(rng)
    agencies = S.province_agencies()
    sections = []
    cols = [Column("code", label="TT"), Column("name", label="Nội dung chỉ số")]
    if with_values:
        cols += [Column("value", "achieved", str(YEAR - 1), f"Kết quả năm {YEAR - 1}"),
                 Column("value", "target", str(YEAR), f"Chỉ tiêu năm {YEAR}")]
    cols += [Column("text", "tasks", label="Nhiệm vụ, giải pháp"), Column("text", "lead", label="Cơ quan chủ trì"),
             Column("text", "deadline", label="Thời hạn")]
    for i, (index, fw, title) in enumerate((("SIPAS", "sipas_qd1001.csv", "CHỈ SỐ SIPAS"),
                                            ("PAPI", "papi_2018.csv", "CHỈ SỐ PAPI"))):
        rows = S._fw_rows(fw, YEAR, rng, agencies, ("tasks", "lead", "deadline"))
        if with_values:
            for r in rows:
                a = round(rng.uniform(70, 90), 2) if index == "SIPAS" else round(rng.uniform(1, 2.4), 3)
                t = round(a + rng.uniform(0.5, 3), 2)
                tv = [S._num(round(t, 1)), S._num(round(t + 2, 1))] if ranges and rng.random() < 0.5 else S._num(t)
                r["values"] = [value("achieved", S._num(a), str(YEAR - 1)), value("target", tv, str(YEAR))]
        sections.append(Section(index, ["PHỤ LỤC", f"NHIỆM VỤ NÂNG CAO CHỈ SỐ SIPAS VÀ CHỈ SỐ PAPI NĂM {YEAR}"], cols, rows,
                                heading=f"{'I' * (i + 1)}. {title}", joined=i > 0))
    date = (rng.randint(1, 28), rng.randint(1, 12), YEAR)
    doc = S.make_doc(name, place=place, level="tỉnh", number=f"{rng.randint(10, 900)}/KH-UBND", date=date,
                     title=f"Nâng cao Chỉ số SIPAS và Chỉ số PAPI tỉnh {place} năm {YEAR}", sections=sections)
    for k, v in kw.items():
        setattr(doc, k, v)
    doc.seed = seed
    return doc


def lone_column(name: str, seed: int, *, mode: str, label: str, values=(), **kw) -> Doc:
    """A single "Thực hiện" column: action sentences (tasks) or lists of agencies (implementing)."""
    rng = random.Random(seed)
    place = _place(rng)
    agencies = S.province_agencies()
    key = "tasks" if mode == "tasks" else "implementing"
    rows, total = S.par_rows(rng, YEAR, agencies, values=values, text_keys=("tasks",), depth=2, bullets=mode == "tasks")
    for r in rows:
        if not r.get("_paras"):
            continue
        if mode == "agencies":
            names = rng.sample(agencies, rng.randint(1, 3))
            paras = {"implementing": ["; ".join(names) + (rng.choice(["", "; UBND cấp huyện", "; các cơ quan liên quan"]))]}
        else:
            paras = {"tasks": r["_paras"]["tasks"]}
        r["_paras"] = paras
        r["text"] = S._joined(paras)
    cols = S.columns_plan(YEAR, values=values, text=[(key, label, None)])
    caption = ["PHỤ LỤC", f"KẾ HOẠCH CẢI THIỆN CHỈ SỐ PAR INDEX NĂM {YEAR}"]
    s = Section("PAR_INDEX", caption, cols, rows, total if values else None)
    date = (rng.randint(1, 28), rng.randint(1, 12), YEAR)
    doc = S.make_doc(name, place=place, level="tỉnh", number=f"{rng.randint(10, 900)}/KH-UBND", date=date,
                     title=f"Cải thiện Chỉ số cải cách hành chính tỉnh {place} năm {YEAR}", sections=[s])
    for k, v in kw.items():
        setattr(doc, k, v)
    doc.seed = seed
    return doc


# --- results by unit ------------------------------------------------------------------------------
DISTRICTS = ["Thành phố Đông Hà", "Thị xã Quảng Trị", "Huyện Vĩnh Linh", "Huyện Gio Linh", "Huyện Cam Lộ",
             "Huyện Triệu Phong", "Huyện Hải Lăng", "Huyện Hướng Hóa", "Huyện Đakrông", "Huyện Cồn Cỏ"]
COMMUNES = ["Xã Vĩnh Thủy", "Xã Vĩnh Lâm", "Phường 1", "Phường Đông Lương", "Thị trấn Gio Linh", "Xã Gio An",
            "Xã Cam Thành", "Xã Triệu Độ", "Thị trấn Hải Lăng", "Xã Hải Ba", "Xã Hướng Phùng", "Xã Tà Rụt"]
GRADES = [(90, "Tốt"), (80, "Khá"), (70, "Trung bình"), (0, "Yếu")]


def _ranks(totals: list[float]) -> list[int]:
    order = sorted(totals, reverse=True)
    return [order.index(t) + 1 for t in totals]


def _unit_section(index: str, caption: list[str], names: list[str], parts: list[tuple[str, str | None, float, str]],
                  rng: random.Random, *, year: str, rank_first: bool | str, percent: str | None, rank: str | None,
                  total_label: str, grade: str | None = None, group: str | None = None, ties: bool = False,
                  name_label: str = "Cơ quan, đơn vị", comma: bool = True) -> Section:
    """parts: (key, criterion, max, label) of the columns that add up to the total."""
    scored = []
    for n in names:
        vals = [round(mx * rng.uniform(0.62, 0.98), 2) for _, _, mx, _ in parts]
        scored.append((n, vals))
    if ties and len(scored) > 3:
        scored[2] = (scored[2][0], list(scored[1][1]))
    totals = [round(sum(v), 2) for _, v in scored]
    max_total = sum(mx for _, _, mx, _ in parts)
    ranks = _ranks(totals)
    order = sorted(range(len(scored)), key=lambda i: (ranks[i], i))
    rank_label = rank_first if isinstance(rank_first, str) else "Xếp hạng"
    cols = [Column("code", label=rank_label if rank_first else "STT"), Column("name", label=name_label)]
    for key, crit, mx, label in parts:
        cols.append(Column("value", key, year, label, group=group, max=S._num(mx), criterion=crit))
    printed_max = S._num(max_total) if any(ch.isdigit() for ch in total_label) else None
    cols.append(Column("value", "total", year, total_label, max=printed_max))
    if percent:
        cols.append(Column("value", "percent", year, percent))
    if rank and not rank_first:
        cols.append(Column("value", "rank", year, rank))
    if grade:
        cols.append(Column("text", "grade", label=grade))
    rows = []
    for pos, i in enumerate(order if rank_first or rng.random() < 0.5 else range(len(scored))):
        n, vals = scored[i]
        row_vals = [value(key, S._num(v), year, crit) for (key, crit, _, _), v in zip(parts, vals)]
        row_vals.append(value("total", S._num(totals[i]), year))
        if percent:
            row_vals.append(value("percent", S._num(round(totals[i] / max_total * 100, 2)), year))
        if rank or rank_first:
            row_vals.append(value("rank", ranks[i], year))
        text = {}
        if grade:
            text["grade"] = next(g for floor, g in GRADES if totals[i] / max_total * 100 >= floor)
        code = str(ranks[i]) if rank_first else str(pos + 1)
        rows.append({"code": code, "name": n, "values": row_vals, "text": text})
    return Section(index, caption, cols, rows, kind="unit_results", year=year, comma=comma)


def _max_label(label: str, mx: float, style: int) -> str:
    m = S._num(mx)
    m = str(m).replace(".", ",")
    return [f"{label} (tối đa {m} điểm)", f"{label} ({m} điểm)", f"{label} ({m})"][style % 3]


def units_departments(name: str, seed: int, **kw) -> Doc:
    rng = random.Random(seed)
    place = _place(rng)
    year = str(YEAR - 1)
    names = rng.sample(S.province_agencies(), 14)
    style = rng.randint(0, 2)
    parts = [("appraised", None, 64.5, _max_label("Điểm thẩm định", 64.5, style)),
             ("survey", None, 35.5, _max_label("Điểm điều tra xã hội học", 35.5, style))]
    caption = ["PHỤ LỤC", f"KẾT QUẢ XẾP HẠNG CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {year} CỦA CÁC SỞ, BAN, NGÀNH TỈNH {place.upper()}"]
    s = _unit_section("PAR_INDEX", caption, names, parts, rng, year=year, rank_first=False, percent="Chỉ số CCHC (%)",
                      rank="Xếp hạng", total_label="Tổng điểm đạt được", ties=True)
    date = (rng.randint(1, 28), rng.randint(1, 6), YEAR)
    doc = S.make_doc(name, place=place, level="tỉnh", number=f"{rng.randint(10, 900)}/QĐ-UBND", date=date,
                     title=f"Công bố Chỉ số cải cách hành chính năm {year} của các sở, ban, ngành", kind="Quyết định",
                     sections=[s])
    for k, v in kw.items():
        setattr(doc, k, v)
    doc.seed = seed
    return doc


def units_districts(name: str, seed: int, **kw) -> Doc:
    rng = random.Random(seed)
    year = str(YEAR - 1)
    parts = [("appraised", None, 67, "Điểm đánh giá, thẩm định (67)"), ("survey", None, 33, "Điểm điều tra XHH (33)")]
    caption = [f"BẢNG XẾP HẠNG CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {year} CÁC HUYỆN, THỊ XÃ, THÀNH PHỐ"]
    s = _unit_section("PAR_INDEX", caption, DISTRICTS, parts, rng, year=year, rank_first=True, percent="Chỉ số (%)",
                      rank=None, total_label="Tổng điểm (100)", name_label="Đơn vị", ties=True)
    date = (rng.randint(1, 28), rng.randint(1, 6), YEAR)
    doc = S.make_doc(name, place="Quảng Trị", level="tỉnh", number=f"{rng.randint(10, 900)}/QĐ-UBND", date=date,
                     title=f"Phê duyệt Chỉ số cải cách hành chính năm {year} của UBND các huyện, thị xã, thành phố",
                     kind="Quyết định", sections=[s])
    for k, v in kw.items():
        setattr(doc, k, v)
    doc.seed = seed
    return doc


def units_communes(name: str, seed: int, **kw) -> Doc:
    """Communes scored per field (group header over the fields, the max under each), a grade."""
    rng = random.Random(seed)
    year = str(YEAR - 1)
    fields = [("1", "Công tác chỉ đạo, điều hành", 12), ("2", "Cải cách thủ tục hành chính", 26),
              ("3", "Cải cách tổ chức bộ máy", 14), ("4", "Xây dựng đội ngũ cán bộ, công chức", 18),
              ("5", "Chính quyền số", 15), ("6", "Tác động của CCHC", 15)]
    parts = [("score", code, mx, f"{label} ({mx})") for code, label, mx in fields]
    caption = [f"KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {year} CỦA UBND CÁC XÃ, PHƯỜNG, THỊ TRẤN"]
    s = _unit_section("PAR_INDEX", caption, COMMUNES, parts, rng, year=year, rank_first=False, percent=None,
                      rank="Thứ hạng", total_label="Tổng điểm", grade="Xếp loại", group="Điểm theo lĩnh vực",
                      name_label="Tên xã, phường, thị trấn")
    date = (rng.randint(1, 28), rng.randint(1, 6), YEAR)
    doc = S.make_doc(name, place="Quảng Trị", level="tỉnh", number=f"{rng.randint(10, 900)}/QĐ-UBND", date=date,
                     title=f"Công bố Chỉ số cải cách hành chính năm {year} của UBND cấp xã", kind="Quyết định",
                     sections=[s])
    for k, v in kw.items():
        setattr(doc, k, v)
    doc.seed = seed
    return doc


def units_provinces(name: str, seed: int, **kw) -> Doc:
    """The ministry's national table: provinces with their points per field, the index and the rank."""
    rng = random.Random(seed)
    year = str(YEAR - 1)
    fw = [r for r in S._framework("par_index_province_qd876.csv") if "." not in r["code"]]
    parts = [("score", r["code"], r["max_points"], f"{r['code']}. {r['name'][:1]}{r['name'][1:].lower()} "
              f"({str(S._num(r['max_points'])).replace('.', ',')})") for r in fw]
    names = rng.sample(S.provinces(), 12)
    caption = [f"KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {year} CỦA CÁC TỈNH, THÀNH PHỐ TRỰC THUỘC TRUNG ƯƠNG"]
    s = _unit_section("PAR_INDEX", caption, names, parts, rng, year=year, rank_first=False, percent="Chỉ số PAR INDEX (%)",
                      rank="Xếp hạng", total_label="Tổng điểm", name_label="Tỉnh, thành phố")
    date = (rng.randint(1, 28), rng.randint(1, 6), YEAR)
    doc = Doc(name, {"issuer": "Bộ Nội vụ", "number": f"{rng.randint(10, 900)}/QĐ-BNV", "date": S.iso(date),
                     "title": f"Quyết định phê duyệt và công bố Chỉ số cải cách hành chính năm {year}"},
              ["BỘ NỘI VỤ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
               f"Số: {rng.randint(10, 900)}/QĐ-BNV", f"Hà Nội, ngày {date[0]} tháng {date[1]} năm {date[2]}", "QUYẾT ĐỊNH",
               f"PHÊ DUYỆT VÀ CÔNG BỐ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {year}"], [], [s])
    doc.document["number"] = doc.head[3].split(": ")[1]
    for k, v in kw.items():
        setattr(doc, k, v)
    doc.seed = seed
    return doc
