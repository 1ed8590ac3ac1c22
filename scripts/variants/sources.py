"""Logical documents for the variant corpus: the seed tables (from their golden readings) and
documents composed from the public structure of PAR INDEX, SIPAS and PAPI (bundled frameworks,
the bundled roster of agencies and provinces), with deterministic pseudo-random scores and texts.
"""
from __future__ import annotations

import csv
import json
import random
from pathlib import Path

from .model import Column, Doc, Section, value

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "chiso" / "data"


def _framework(name: str) -> list[dict]:
    with open(DATA / "frameworks" / name, encoding="utf-8", newline="") as fh:
        return [dict(r, max_points=float(r["max_points"])) for r in csv.DictReader(fh)]


def _names(name: str, kind: str | None = None) -> list[str]:
    with open(DATA / "units" / name, encoding="utf-8", newline="") as fh:
        return [r["name"] for r in csv.DictReader(fh) if not kind or r.get("kind") == kind]


def _num(x: float) -> float | int:
    x = round(x, 4)
    return int(x) if x == int(x) else x


# --- headings ---------------------------------------------------------------------------
def heading(issuer_level: str, place: str, number: str | None, date: tuple, kind: str, title: str) -> list[str]:
    d, m, y = date
    lines = ["ỦY BAN NHÂN DÂN", f"{issuer_level} {place}".upper(), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
             "Độc lập - Tự do - Hạnh phúc", f"Số: {number}" if number else "Số:      /KH-UBND",
             f"{place}, ngày {d or '    '} tháng {m or '    '} năm {y}", kind.upper(), title.upper()]
    return lines


def iso(date: tuple) -> str:
    d, m, y = date
    return f"{y}-{int(m):02d}-{int(d):02d}" if d and m else (f"{y}-{int(m):02d}" if m else str(y))


# --- text of composed plans ---------------------------------------------------------------
TASKS = [
    "Tiếp tục thực hiện nghiêm túc, hiệu quả nội dung {topic}; phấn đấu đạt điểm tối đa của tiêu chí.",
    "Rà soát, đánh giá những hạn chế về {topic} năm {prev} và đề xuất giải pháp khắc phục.",
    "Tham mưu UBND tỉnh ban hành văn bản chỉ đạo, hướng dẫn thực hiện {topic} đúng thời hạn.",
    "Tổ chức kiểm tra, đôn đốc các cơ quan, đơn vị, địa phương thực hiện {topic}.",
    "Đẩy mạnh thông tin, tuyên truyền về {topic} để người dân, doanh nghiệp biết và giám sát.",
    "Cập nhật đầy đủ, kịp thời tài liệu kiểm chứng về {topic} lên phần mềm chấm điểm.",
    "Xây dựng kế hoạch cụ thể, phân công rõ trách nhiệm từng cơ quan, đơn vị đối với {topic}.",
]
DEADLINES = ["Thường xuyên", "Quý I/{y}", "Trước ngày 15/12/{y}", "Tháng 6/{y}", "Năm {y}", "Hằng quý",
             "Trong năm {y}", "Quý II, III/{y}", "Trước ngày 30/10/{y}"]
COORDS = ["Các sở, ban, ngành; UBND cấp huyện", "Các cơ quan, đơn vị có liên quan",
          "UBND các huyện, thị xã, thành phố", "Các sở, ban, ngành tỉnh; UBND cấp huyện, cấp xã",
          "Sở Thông tin và Truyền thông; các cơ quan báo chí"]
LEAD_FORMS = ["{a}", "Giám đốc {a}", "{a}"]


def _topic(name: str) -> str:
    t = name.strip().rstrip(".")
    return (t[:1].lower() + t[1:]) if not t.isupper() else t.lower()


def plan_text(rng: random.Random, name: str, year: int, agencies: list[str], *, bullets: bool) -> dict:
    topic = _topic(name)
    picks = rng.sample(TASKS, 2 if bullets else 1)
    paras = [("- " if bullets else "") + p.format(topic=topic, prev=year - 1) for p in picks]
    lead = rng.choice(LEAD_FORMS).format(a=rng.choice(agencies))
    return {"tasks": paras, "lead": [lead], "coordinating": [rng.choice(COORDS)],
            "deadline": [rng.choice(DEADLINES).format(y=year)]}


def _joined(paras: dict) -> dict:
    return {k: " ".join(v) for k, v in paras.items() if v}


# --- composed PAR INDEX plan -------------------------------------------------------------------
def par_rows(rng: random.Random, year: int, agencies: list[str], *, values: tuple[str, ...],
             text_keys: tuple[str, ...], depth: int = 3, ranges: bool = False, fields: tuple[str, ...] | None = None,
             bullets: bool = True) -> tuple[list[dict], list[dict]]:
    """Rows of the PAR INDEX framework (QĐ 876) with consistent sums, and the total."""
    fw = [r for r in _framework("par_index_province_qd876.csv") if r["code"].count(".") < depth]
    if fields:
        fw = [r for r in fw if r["code"].split(".")[0] in fields]
    codes = [r["code"] for r in fw]
    leaves = {c for c in codes if not any(o.startswith(c + ".") for o in codes)}
    achieved: dict[str, float] = {}
    target: dict[str, float] = {}
    for r in fw:
        c = r["code"]
        if c in leaves:
            mx = r["max_points"]
            a = round(mx * rng.choice((1, 1, 1, 0.75, 0.5, 0.9, 0.8, 0.6)), 2)
            achieved[c] = a
            target[c] = mx if rng.random() < 0.7 else round(min(mx, a + (mx - a) / 2), 2)
    for r in sorted(fw, key=lambda r: -r["code"].count(".")):
        c = r["code"]
        if c not in leaves:
            kids = [k for k in codes if k.startswith(c + ".") and k.count(".") == c.count(".") + 1]
            achieved[c] = round(sum(achieved[k] for k in kids), 4)
            target[c] = round(sum(target[k] for k in kids), 4)
    rows = []
    for r in fw:
        c = r["code"]
        vals = []
        for key in values:
            if key == "max_points":
                vals.append(value("max_points", _num(r["max_points"])))
            elif key == "achieved":
                vals.append(value("achieved", _num(achieved[c]), str(year - 1)))
            elif key == "target":
                t = _num(target[c])
                if ranges and c in leaves and r["max_points"] > 1 and rng.random() < 0.4:
                    lo = _num(max(0, target[c] - 0.5))
                    t = [lo, t] if lo != t else t
                vals.append(value("target", t, str(year)))
        row = {"code": c, "name": r["name"], "values": vals, "text": {}}
        if c in leaves and text_keys:
            paras = plan_text(rng, r["name"], year, agencies, bullets=bullets and rng.random() < 0.5)
            paras = {k: v for k, v in paras.items() if k in text_keys}
            row["_paras"] = paras
            row["text"] = _joined(paras)
        rows.append(row)
    total = []
    tops = [r for r in fw if "." not in r["code"]]
    for key in values:
        if key == "max_points":
            total.append(value("max_points", _num(sum(r["max_points"] for r in tops))))
        elif key == "achieved":
            total.append(value("achieved", _num(sum(achieved[r["code"]] for r in tops)), str(year - 1)))
        elif key == "target" and not ranges:
            total.append(value("target", _num(sum(target[r["code"]] for r in tops)), str(year)))
    return rows, total


def _fw_rows(name: str, year: int, rng, agencies, text_keys, *, with_max: bool = False) -> list[dict]:
    rows = []
    for r in _framework(name):
        row = {"code": r["code"], "name": r["name"], "values": [], "text": {}}
        if with_max:
            row["values"] = [value("max_points", _num(r["max_points"]))]
        if text_keys:
            paras = {k: v for k, v in plan_text(rng, r["name"], year, agencies, bullets=False).items() if k in text_keys}
            row["_paras"] = paras
            row["text"] = _joined(paras)
        rows.append(row)
    return rows


PROVINCES = ["Quảng Trị", "Bắc Kạn", "Kon Tum", "Hà Tĩnh", "Sóc Trăng", "Lào Cai", "Phú Yên", "Ninh Thuận"]


def seed_docs() -> list[tuple[str, dict]]:
    """(stem, golden) of the seeds, as the hand-checked readings give them."""
    out = []
    for p in sorted((DATA / "demo" / "golden").glob("*.json")):
        out.append((p.stem[:3], json.loads(p.read_text(encoding="utf-8"))))
    return out


def province_agencies() -> list[str]:
    return [n for n in _names("province_agencies.csv") if n.startswith(("Sở", "Văn phòng", "Thanh tra", "Ban"))]


def district_offices() -> list[str]:
    return [n for n in _names("district_offices.csv") if n.startswith(("Phòng", "Văn phòng", "Thanh tra"))]


def provinces() -> list[str]:
    return _names("provinces.csv")


def columns_plan(year: int, *, values: tuple[str, ...], text: list[tuple[str, str, str | None]],
                 labels: dict | None = None) -> list[Column]:
    labels = labels or {}
    cols = [Column("code", label=labels.get("code", "STT")),
            Column("name", label=labels.get("name", "Lĩnh vực/Tiêu chí/Tiêu chí thành phần"))]
    for key in values:
        if key == "max_points":
            cols.append(Column("value", "max_points", None, labels.get("max_points", "Điểm tối đa")))
        elif key == "achieved":
            cols.append(Column("value", "achieved", str(year - 1), labels.get("achieved", f"Điểm đạt được năm {year - 1}")))
        elif key == "target":
            cols.append(Column("value", "target", str(year), labels.get("target", f"Mục tiêu năm {year}")))
    for key, label, group in text:
        cols.append(Column("text", key, None, label, group))
    return cols


def strip_private(rows: list[dict]) -> list[dict]:
    return [{k: v for k, v in r.items() if not k.startswith("_")} for r in rows]


def make_doc(name: str, *, place: str, level: str, number: str | None, date: tuple, title: str,
             kind: str = "Kế hoạch", sections: list[Section], body: list[str] | None = None,
             head: bool = True, document_title: str | None = None, issuer: str | None = None) -> Doc:
    document = {"issuer": issuer or f"UBND {level} {place}", "number": number, "date": iso(date),
                "title": document_title or f"{kind} {title[:1].lower()}{title[1:]}"}
    lines = heading(level, place, number, date, kind, title) if head else []
    return Doc(name, document, lines, body or [], sections)
