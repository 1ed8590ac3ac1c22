"""Who signs an official document, as Nghị định 30/2020/NĐ-CP lays out its heading and foot:
the issuing body's block, the place name of the date line, the office symbol of the number
("Số: …/BC-SNV"), the signer's title and the default recipients (Nơi nhận). Pure Python: the
apps describe a unit as an `Office` (its kind, name, short name and the body above it)."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .text import collapse

LOCAL = {"province": "TỈNH", "district": "HUYỆN", "commune": "XÃ"}
# the lower-case prefixes a local government's name can carry in the reference data
_PREFIXES = re.compile(r"^(tỉnh|thành phố|huyện|thị xã|quận|xã|phường|thị trấn)\s+", re.I)
# words an office symbol leaves out (NĐ 30, Phụ lục III: initials of the body's name); the
# locality words only at the end ("Văn phòng UBND tỉnh", not "Xã hội")
_SKIP = {"và"}
_TRAILING = re.compile(r"\s+(tỉnh|huyện|cấp tỉnh|cấp huyện)$", re.I)
_SYMBOL = re.compile(r"^[A-ZĐ][A-ZĐ0-9&-]{1,11}$")
_SIGNERS = [("Sở ", "GIÁM ĐỐC"), ("Văn phòng ", "CHÁNH VĂN PHÒNG"), ("Thanh tra", "CHÁNH THANH TRA"),
            ("Phòng ", "TRƯỞNG PHÒNG"), ("Ban ", "TRƯỞNG BAN"), ("Công an", "GIÁM ĐỐC"), ("Trung tâm", "GIÁM ĐỐC")]


@dataclass(frozen=True)
class Office:
    kind: str  # chiso.units UnitKind values: province, department, district, district_office, commune, …
    name: str
    short_name: str = ""
    parent: Office | None = None

    @property
    def is_local_government(self) -> bool:
        return self.kind in LOCAL


def local_name(office: Office) -> str:
    """"Đắk Lắk" for the province, "Tuy Phước" for the district (without "tỉnh", "huyện")."""
    return _PREFIXES.sub("", collapse(office.name))


def government(office: Office) -> Office | None:
    """The local government the office belongs to: itself, or the nearest one above it."""
    node: Office | None = office
    while node is not None and not node.is_local_government:
        node = node.parent
    return node


def heading(office: Office) -> tuple[str, str]:
    """The issuing body's block, upper case: the body above (or "ỦY BAN NHÂN DÂN") and the issuer."""
    if office.is_local_government:
        return "ỦY BAN NHÂN DÂN", f"{LOCAL[office.kind]} {local_name(office).upper()}"
    above = government(office.parent) if office.parent else None
    top = f"UBND {LOCAL[above.kind]} {local_name(above).upper()}" if above else ""
    return top, collapse(office.name).upper()


def place(office: Office) -> str:
    """The date line's place name: the province's for its departments, the district's for its offices."""
    above = government(office)
    return local_name(above) if above else collapse(office.name)


def date_line(office: Office, day: dt.date | None, *, year: int | None = None) -> str:
    """"Đắk Lắk, ngày 05 tháng 01 năm 2026" (a zero before days under 10 and months 1 and 2);
    blanks for the day and month when the document is not dated yet."""
    if day is None:
        return f"{place(office)}, ngày      tháng      năm {year or ''}".rstrip()
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place(office)}, ngày {day.day:02d} tháng {month} năm {day.year}"


def symbol(office: Office) -> str:
    """The office symbol a document number ends with: UBND for a local government, the short
    name when it is one (SNV, STP), else the initials of the name (Sở Giáo dục và Đào tạo → SGDĐT)."""
    if office.is_local_government:
        return "UBND"
    short = collapse(office.short_name).replace(" ", "")
    if _SYMBOL.match(short):
        return short
    letters = []
    for word in re.split(r"[\s,–-]+", _TRAILING.sub("", collapse(office.name))):
        if not word or word.lower() in _SKIP:
            continue
        letters.append(word if word.isupper() and len(word) > 1 else word[0].upper())
    return "".join(letters)[:12] or "VP"


def number(office: Office, kind: str = "BC") -> str:
    """"Số:      /BC-SNV": the number is left for the clerk who registers the document."""
    return f"Số:      /{kind}-{symbol(office)}"


def signer_title(office: Office) -> list[str]:
    """The lines above the signature: "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH" for a local government,
    the head's title for an office under it."""
    if office.is_local_government:
        return ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]
    name = collapse(office.name)
    for prefix, title in _SIGNERS:
        if name.startswith(prefix):
            return [title]
    return ["THỦ TRƯỞNG ĐƠN VỊ"]


def recipients(office: Office, *, coordinator: Office | None, issuer: Office) -> list[str]:
    """Nơi nhận of a progress report: the office that follows the plan (to compile), the
    government that issued it (to be informed) — never the reporting office itself — and the file copy."""
    out = []
    if coordinator is not None and coordinator != office:
        out.append(f"{collapse(coordinator.name)} (để tổng hợp);")
    if issuer != office:
        out.append(f"UBND {LOCAL.get(issuer.kind, '').lower()} {local_name(issuer)} (để báo cáo);".replace("  ", " "))
    out.append(f"Lưu: VT, {symbol(office)}." if not office.is_local_government else "Lưu: VT.")
    return out
