"""Documents that widen the corpus beyond the seeds' layouts: other header wordings and column
orders, labels over several columns (merged header cells), units-as-rows rankings ("Thứ hạng"
first, the national tables of the published results in shared/data), the document's number and
date printed in other forms, and rows long enough to be split across PDF pages."""
from __future__ import annotations

import csv
import random
from pathlib import Path

from . import sources as S
from .catalog import COMMUNES, DISTRICTS, YEAR, _unit_section, prose
from .model import Column, Doc, Section, value

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"
PUBLISHED = Path(__file__).resolve().parent / "published_results.csv"  # a copy of shared/data's


def _finish(doc: Doc, seed: int, kw: dict) -> Doc:
    for k, v in kw.items():
        setattr(doc, k, v)
    doc.seed = seed
    return doc


def _plan_rows(rng, values, text_keys, depth=3, fields=None, extra=None):
    rows, total = S.par_rows(rng, YEAR, S.province_agencies(), values=values, text_keys=text_keys, depth=depth,
                             fields=fields)
    if extra:
        for r in rows:
            if r.get("_paras"):
                for k, choices in extra.items():
                    r["_paras"][k] = [rng.choice(choices)]
                r["text"] = {k: " ".join(v) for k, v in r["_paras"].items() if v}
    return rows, total


VALUE_LABELS = {
    "max_points": ["Điểm tối đa", "Điểm chuẩn", "Điểm theo Bộ tiêu chí", "Thang điểm"],
    "achieved": ["Điểm đạt được năm {p}", "Kết quả năm {p}", "Điểm năm {p}", "Điểm đánh giá năm {p}"],
    "target": ["Mục tiêu năm {y}", "Chỉ tiêu phấn đấu năm {y}", "Điểm phấn đấu năm {y}", "Mục tiêu phấn đấu {y}"],
}
TEXT_LABELS = {
    "tasks": ["Nhiệm vụ, giải pháp", "Giải pháp thực hiện", "Nội dung nhiệm vụ", "Biện pháp thực hiện"],
    "lead": ["Cơ quan chủ trì", "Đơn vị chủ trì", "Chủ trì"],
    "coordinating": ["Cơ quan phối hợp", "Đơn vị phối hợp", "Phối hợp"],
    "deadline": ["Thời gian hoàn thành", "Thời hạn", "Thời gian thực hiện", "Tiến độ"],
    "deliverable": ["Sản phẩm", "Sản phẩm đầu ra", "Kết quả, sản phẩm"],
}
DELIVERABLES = ["Báo cáo kết quả", "Kế hoạch được ban hành", "Văn bản chỉ đạo", "Tài liệu kiểm chứng đầy đủ",
                "Quyết định công bố", "Thông báo kết luận kiểm tra"]


def _label(rng, key, year=YEAR):
    return rng.choice(VALUE_LABELS.get(key) or TEXT_LABELS[key]).format(p=year - 1, y=year)


def varied_plan(name: str, seed: int, *, order: str = "values_first", value_group: str | None = None,
                role_group: str | None = None, numbering: bool = False, comma: bool = True,
                code_style: str = "plain", deliverable: bool = False, values=("max_points", "achieved", "target"),
                year_group: bool = False, body_lines: int = 0, **kw) -> Doc:
    """A PAR INDEX plan whose header says the same things in other words, in another order,
    possibly with labels over several columns ("Điểm số" over the scores, "Phân công" over
    the roles, "Năm 2024" over the year's scores)."""
    rng = random.Random(seed)
    place = rng.choice(S.PROVINCES)
    text_keys = ["tasks", "lead", "coordinating", "deadline"] + (["deliverable"] if deliverable else [])
    rows, total = _plan_rows(rng, values, tuple(text_keys), depth=3,
                             extra={"deliverable": DELIVERABLES} if deliverable else None)
    vcols = []
    for key in values:
        yr = None if key == "max_points" else str(YEAR - 1 if key == "achieved" else YEAR)
        label = _label(rng, key)
        group = value_group
        if year_group and key == "achieved":
            label, group = rng.choice(["Điểm đạt được", "Kết quả"]), f"Năm {YEAR - 1}"
        elif year_group and key == "max_points":
            label, group = "Điểm tối đa", f"Năm {YEAR - 1}"
        vcols.append(Column("value", key, yr, label, group))
    tcols = [Column("text", k, None, _label(rng, k), role_group if k in ("lead", "coordinating") else None)
             for k in text_keys]
    head = [Column("code", label=rng.choice(["STT", "TT", "Số TT"])),
            Column("name", label=rng.choice(["Tiêu chí, tiêu chí thành phần", "Nội dung tiêu chí", "Lĩnh vực, tiêu chí",
                                             "Nội dung"]))]
    if order == "values_first":
        cols = head + vcols + tcols
    elif order == "text_first":
        cols = head + tcols[:3] + vcols + tcols[3:]
    else:  # values between the tasks and the roles
        cols = head + tcols[:1] + vcols + tcols[1:]
    number = f"{rng.randint(10, 300)}/KH-UBND"
    date = (rng.randint(1, 28), rng.randint(1, 12), YEAR)
    caption = ["PHỤ LỤC", f"CÁC NHIỆM VỤ, GIẢI PHÁP CẢI THIỆN CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {YEAR}",
               f"(Kèm theo Kế hoạch số {number} ngày {date[0]}/{date[1]}/{date[2]} của UBND tỉnh {place})"]
    s = Section("PAR_INDEX", caption, cols, rows, total, numbering=numbering, comma=comma, code_style=code_style,
                total_label=rng.choice(["TỔNG ĐIỂM", "Tổng cộng", "TỔNG CỘNG"]))
    doc = S.make_doc(name, place=place, level="tỉnh", number=number, date=date,
                     title=f"Cải thiện, nâng cao Chỉ số cải cách hành chính tỉnh {place} năm {YEAR}", sections=[s],
                     body=prose(rng, body_lines, place) if body_lines else [])
    return _finish(doc, seed, kw)


def varied_sipas_papi(name: str, seed: int, **kw) -> Doc:
    """SIPAS and PAPI tasks as two tables, each under its own caption, in other words."""
    rng = random.Random(seed)
    place = rng.choice(S.PROVINCES)
    agencies = S.province_agencies()
    sections = []
    for index, fw, title in (("SIPAS", "sipas_qd1001.csv", "CHỈ SỐ HÀI LÒNG SIPAS"), ("PAPI", "papi_2018.csv", "CHỈ SỐ PAPI")):
        rows = S._fw_rows(fw, YEAR, rng, agencies, ("tasks", "lead", "coordinating", "deadline"))
        cols = [Column("code", label="TT"), Column("name", label="Chỉ số thành phần"),
                Column("text", "tasks", label=_label(rng, "tasks")),
                Column("text", "lead", label="Chủ trì", group="Đơn vị thực hiện"),
                Column("text", "coordinating", label="Phối hợp", group="Đơn vị thực hiện"),
                Column("text", "deadline", label=_label(rng, "deadline"))]
        sections.append(Section(index, [f"PHỤ LỤC {'I' * (len(sections) + 1)}", f"NHIỆM VỤ NÂNG CAO {title} NĂM {YEAR}"],
                                cols, rows))
    date = (rng.randint(1, 28), rng.randint(1, 12), YEAR)
    doc = S.make_doc(name, place=place, level="tỉnh", number=f"{rng.randint(10, 900)}/KH-UBND", date=date,
                     title=f"Nâng cao Chỉ số SIPAS và Chỉ số PAPI tỉnh {place} năm {YEAR}", sections=sections)
    return _finish(doc, seed, kw)


# --- results by unit ------------------------------------------------------------------------------
def communes_ranked(name: str, seed: int, *, rank_label: str = "Thứ hạng", **kw) -> Doc:
    rng = random.Random(seed)
    year = str(YEAR - 1)
    parts = [("appraised", None, 70, "Điểm thẩm định (tối đa 70 điểm)"), ("survey", None, 30, "Điểm khảo sát (tối đa 30 điểm)")]
    caption = [f"KẾT QUẢ XẾP HẠNG CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {year} CỦA UBND CÁC XÃ, PHƯỜNG, THỊ TRẤN"]
    s = _unit_section("PAR_INDEX", caption, COMMUNES, parts, rng, year=year, rank_first=rank_label,
                      percent="Chỉ số CCHC (%)", rank=None, total_label="Tổng điểm", name_label="Tên đơn vị", ties=True)
    date = (rng.randint(1, 28), rng.randint(1, 6), YEAR)
    place = rng.choice(S.PROVINCES)
    doc = S.make_doc(name, place=place, level="tỉnh", number=f"{rng.randint(10, 900)}/QĐ-UBND", date=date,
                     title=f"Công bố Chỉ số cải cách hành chính năm {year} của UBND cấp xã", kind="Quyết định",
                     sections=[s])
    return _finish(doc, seed, kw)


def districts_grouped(name: str, seed: int, **kw) -> Doc:
    """Districts with self-assessed, appraised, survey and total points, the index and the rank."""
    rng = random.Random(seed)
    year = str(YEAR - 1)
    parts = [("appraised", None, 65.5, "Điểm thẩm định (65,5)"), ("survey", None, 34.5, "Điểm điều tra xã hội học (34,5)")]
    caption = [f"BẢNG TỔNG HỢP KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {year} CỦA UBND CÁC HUYỆN, THÀNH PHỐ"]
    s = _unit_section("PAR_INDEX", caption, DISTRICTS, parts, rng, year=year, rank_first=False,
                      percent="Chỉ số (%)", rank="Thứ hạng", total_label="Tổng điểm (100)",
                      name_label="Huyện, thị xã, thành phố", group="Kết quả chấm điểm")
    date = (rng.randint(1, 28), rng.randint(1, 6), YEAR)
    doc = S.make_doc(name, place="Quảng Trị", level="tỉnh", number=f"{rng.randint(10, 900)}/QĐ-UBND", date=date,
                     title=f"Phê duyệt Chỉ số cải cách hành chính năm {year} của UBND cấp huyện", kind="Quyết định",
                     sections=[s])
    return _finish(doc, seed, kw)


def _published(index: str, year: str) -> list[dict]:
    path = SHARED / "published_results.csv" if (SHARED / "published_results.csv").exists() else PUBLISHED
    with open(path, encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["index"] == index and r["year"] == year and r["score"] and r["rank"]]
    seen, out = set(), []
    for r in sorted(rows, key=lambda r: int(r["rank"])):
        if r["province"] not in seen:
            seen.add(r["province"])
            out.append(r)
    return out


def national_published(name: str, seed: int, *, index: str = "par", year: str = "2023", rank_first: bool = False,
                       **kw) -> Doc:
    """The ministry's national table as the public sources give it: provinces, the index, the rank."""
    rng = random.Random(seed)
    pub = _published(index, year)
    idx = {"par": "PAR_INDEX", "sipas": "SIPAS", "papi": "PAPI"}[index]
    label = {"par": "Chỉ số PAR INDEX (%)", "sipas": "Chỉ số SIPAS (%)", "papi": "Điểm tổng hợp PAPI"}[index]
    key = "total" if index == "papi" else "percent"
    cols = [Column("code", label="Xếp hạng" if rank_first else "STT"), Column("name", label="Tỉnh, thành phố"),
            Column("value", key, year, label)]
    if not rank_first:
        cols.append(Column("value", "rank", year, "Xếp hạng"))
    rows = []
    for pos, r in enumerate(pub, 1):
        v = float(r["score"])
        v = int(v) if v == int(v) else v
        vals = [value(key, v, year), value("rank", int(r["rank"]), year)]
        rows.append({"code": r["rank"] if rank_first else str(pos), "name": r["province"], "values": vals, "text": {}})
    what = {"par": "CHỈ SỐ CẢI CÁCH HÀNH CHÍNH", "sipas": "CHỈ SỐ HÀI LÒNG SIPAS", "papi": "CHỈ SỐ PAPI"}[index]
    s = Section(idx, [f"KẾT QUẢ {what} NĂM {year} CỦA CÁC TỈNH, THÀNH PHỐ"], cols, rows, kind="unit_results",
                year=year, comma=rng.random() < 0.5)
    date = (rng.randint(1, 28), rng.randint(1, 12), int(year) + 1)
    number = f"{rng.randint(10, 900)}/BC-SNV"
    doc = Doc(name, {"issuer": "Sở Nội vụ tỉnh Hà Tĩnh", "number": number, "date": S.iso(date),
                     "title": f"Báo cáo kết quả {what.lower().replace('chỉ số', 'Chỉ số', 1)} năm {year}"},
              ["UBND TỈNH HÀ TĨNH", "SỞ NỘI VỤ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
               f"Số: {number}", f"Hà Tĩnh, ngày {date[0]} tháng {date[1]} năm {date[2]}", "BÁO CÁO",
               f"KẾT QUẢ {what} NĂM {year}"], [], [s])
    return _finish(doc, seed, kw)


# --- the document's number and date in other forms --------------------------------------------------
def dated(name: str, seed: int, *, form: str, **kw) -> Doc:
    """A plan whose date line (or appendix reference) prints the date in another form."""
    rng = random.Random(seed)
    place = rng.choice(S.PROVINCES)
    rows, total = _plan_rows(rng, ("max_points", "target"), ("tasks", "lead"), depth=2)
    cols = S.columns_plan(YEAR, values=("max_points", "target"), text=[("tasks", "Nhiệm vụ", None), ("lead", "Chủ trì", None)])
    d, m = rng.randint(1, 9), rng.randint(1, 9)
    number = f"{rng.randint(10, 300)}/KH-UBND"
    ref = None
    head_date = f"{place}, ngày {d:02d} tháng {m:02d} năm {YEAR}"
    if form == "ref_long":  # body first, the appendix names the plan with the date in words
        ref = f"(Ban hành kèm theo Kế hoạch số {number} ngày {d} tháng {m} năm {YEAR} của Ủy ban nhân dân tỉnh {place})"
    elif form == "ref_dotted":
        ref = f"(Kèm theo Kế hoạch số: {number} ngày {d:02d}.{m:02d}.{YEAR} của UBND tỉnh)"
    elif form == "date_spaced":
        head_date = f"{place},  ngày  {d}  tháng  {m}  năm  {YEAR}"
    caption = ["PHỤ LỤC", f"NHIỆM VỤ CẢI THIỆN CHỈ SỐ PAR INDEX NĂM {YEAR}"] + ([ref] if ref else [])
    s = Section("PAR_INDEX", caption, cols, rows, total)
    title = f"Cải thiện Chỉ số cải cách hành chính tỉnh {place} năm {YEAR}"
    ref_only = form.startswith("ref")
    doc = S.make_doc(name, place=place, level="tỉnh", number=None if ref_only else number,
                     date=(None, None, YEAR) if ref_only else (d, m, YEAR), title=title, sections=[s],
                     body=prose(rng, 40, place) if ref_only else [])
    doc.document["number"], doc.document["date"] = number, S.iso((d, m, YEAR))
    if not ref_only:
        doc.head[5] = head_date
    return _finish(doc, seed, kw)


# --- rows long enough to break across PDF pages -----------------------------------------------------
def long_rows(name: str, seed: int, **kw) -> Doc:
    rng = random.Random(seed)
    place = rng.choice(S.PROVINCES)
    rows, total = _plan_rows(rng, ("max_points", "achieved", "target"), ("tasks", "lead", "coordinating", "deadline"),
                             depth=2, fields=("1", "2", "3"))
    for r in rows:
        paras = r.get("_paras")
        if paras:
            extra = [p.format(topic=S._topic(r["name"]), prev=YEAR - 1) for p in rng.sample(S.TASKS, 5)]
            paras["tasks"] = ["- " + x for x in extra]
            r["text"] = {k: " ".join(v) for k, v in paras.items() if v}
    cols = S.columns_plan(YEAR, values=("max_points", "achieved", "target"),
                          text=[("tasks", "Nhiệm vụ, giải pháp", None), ("lead", "Chủ trì", "Trách nhiệm"),
                                ("coordinating", "Phối hợp", "Trách nhiệm"), ("deadline", "Thời hạn", None)])
    caption = ["PHỤ LỤC", f"NHIỆM VỤ, GIẢI PHÁP NÂNG CAO CHỈ SỐ PAR INDEX NĂM {YEAR}"]
    s = Section("PAR_INDEX", caption, cols, rows, None)
    date = (rng.randint(1, 28), rng.randint(1, 12), YEAR)
    doc = S.make_doc(name, place=place, level="tỉnh", number=f"{rng.randint(10, 300)}/KH-UBND", date=date,
                     title=f"Nâng cao Chỉ số cải cách hành chính tỉnh {place} năm {YEAR}", sections=[s])
    return _finish(doc, seed, kw)
