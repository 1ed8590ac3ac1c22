"""Document metadata: issuer, number, date and title, from what the document says of itself."""
from __future__ import annotations

import re

from chiso.core.agencies import is_ministry_name

from .model import Document, Para, Table
from .textutil import clean, fold

_NUMBER = re.compile(r"^\s*Số\s*(?:hiệu)?\s*:\s*(\S*)", re.I)
_NUMBER_REF = re.compile(r"(?:Kế hoạch|Quyết định|Công văn|Văn bản)\s+số\s*:?\s*(\S*)", re.I)
_DATE_VI = re.compile(r"ngày\s*(\d{1,2})?\s*(?:tháng|/)\s*(\d{1,2})?\s*(?:năm|/)\s*((?:19|20)\d{2})", re.I)
_DATE_NUM = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.]((?:19|20)\d{2})(?!\d)")
_ACRONYMS = {"par", "index", "sipas", "papi", "cchc", "ubnd", "hđnd", "mttq", "ttđt", "dvc", "tthc", "kt-xh", "qppl",
             "cqcm", "đvhc", "xhh", "nsnn", "ict", "pci", "ddci"}
_PLACE_WORDS = ("tỉnh", "huyện", "thành phố", "thị xã", "quận", "xã", "phường", "thị trấn")
_STOP_WORDS = {"năm", "giai", "đoạn", "về", "và", "trong", "đến", "từ", "theo", "của", "(", "-"}


def _lines(doc: Document, limit: int = 400) -> list[str]:
    out: list[str] = []
    for b in doc.blocks:
        if isinstance(b, Para):
            out.extend(x for x in b.text.split("\n") if x.strip())
        elif isinstance(b, Table) and b.width <= 4 and len(b.rows) <= 8:
            for r in b.rows:
                for c in r:
                    if not c.covered_h and not c.covered_v:
                        out.extend(x for x in c.text.split("\n") if x.strip())
        elif isinstance(b, Table):
            # a sheet is one grid: its first rows with a single text (issuer, title above the
            # header) are the document's heading lines
            for r in b.rows[:12]:
                texts = {c.text.strip() for c in r if not c.covered_h and not c.covered_v and c.text.strip()}
                if len(texts) > 1:
                    break  # the header: what follows is the table's, not the document's
                if len(texts) == 1:
                    out.extend(x for x in texts.pop().split("\n") if x.strip())
        if len(out) > limit:
            break
    return [" ".join(x.split()) for x in out]


def _number(lines: list[str], refs: list[str]) -> str | None:
    """The document's own "Số: …"; else the number of the plan an appendix is attached to
    ("(Kèm theo Kế hoạch số 112/KH-UBND ngày …)"), wherever the appendix starts."""
    for ln in lines[:80]:
        m = _NUMBER.match(clean(ln))
        if m:
            own = _valid_number(m.group(1))
            if own:
                return own
            break
    for ln in refs:
        m = _NUMBER_REF.search(ln)
        if m:
            return _valid_number(m.group(1))
    return None


def _refs(doc: Document) -> list[str]:
    """Every "(Ban hành) kèm theo …" line of the document, in order (appendix headings), with
    the line after it when the reference wraps ("… số /QĐ-UBND" / "ngày … năm 2023 …")."""
    flat: list[str] = []
    for b in doc.blocks:
        texts = [b.text] if isinstance(b, Para) else [c.text for r in b.rows[:12] for c in r if c.text.strip()]
        for t in texts:
            flat.extend(" ".join(ln.split()) for ln in t.split("\n") if ln.strip())
    out = []
    for i, ln in enumerate(flat):
        f = fold(ln).lstrip("(* ")
        if f.startswith(("ban hanh kem theo", "kem theo")) and len(ln) < 300:
            if not _DATE_VI.search(ln) and not _DATE_NUM.search(ln) and i + 1 < len(flat):
                ln = f"{ln} {flat[i + 1]}"
            out.append(ln)
    return out


def _valid_number(s: str) -> str | None:
    s = s.strip().rstrip(",;.)")
    if not s or s.startswith("/") or not re.match(r"\d", s):
        return None
    return s


def _iso(d: str | None, m: str | None, y: str) -> str:
    if m and d:
        return f"{y}-{int(m):02d}-{int(d):02d}"
    if m:
        return f"{y}-{int(m):02d}"
    return y


def _date(lines: list[str], refs: list[str]) -> str | None:
    """The document's own date line; where it leaves the day or month blank, the date of the
    plan the appendix is attached to, when that is the same year and says more."""
    own = None
    for ln in lines[:80]:  # "Đắk Nông, ngày 18 tháng 7 năm 2024"
        m = _DATE_VI.search(ln)
        if m and "," in ln[: m.start() + 1] and len(ln) < 90 and not fold(ln).startswith("can cu"):
            own = _iso(*m.groups())
            break
    if own is None:
        for ln in lines[:40]:
            f = fold(ln)
            if f.startswith("ngay ban hanh"):
                m = _DATE_NUM.search(ln)
                if m:
                    own = _iso(*m.groups())
                    break
    if own is not None and len(own) == 10:
        return own
    for ln in refs:
        m = _DATE_VI.search(ln) or _DATE_NUM.search(ln)
        if not m:
            continue
        ref = _iso(*m.groups())
        if own is None or (ref[:4] == own[:4] and len(ref) > len(own)):
            return ref
        break
    return own


def _title_case_place(words: list[str]) -> list[str]:
    out, cap = [], False
    i = 0
    while i < len(words):
        w = words[i]
        lw = w.lower()
        two = " ".join(x.lower() for x in words[i:i + 2])
        if two in _PLACE_WORDS:
            out.extend(x.lower() for x in words[i:i + 2])
            i += 2
            cap = True
            continue
        if lw in _PLACE_WORDS:
            out.append(lw)
            cap = True
            i += 1
            continue
        if cap and lw.strip("(),.") not in _STOP_WORDS and not re.match(r"[\d(]", lw):
            out.append(w[:1].upper() + w[1:].lower())
        else:
            cap = False
            out.append(w)
        i += 1
    return out


def sentence_case(text: str) -> str:
    """An all-caps heading in sentence case, keeping acronyms, "Chỉ số" and place names."""
    letters = [c for c in text if c.isalpha()]
    if not letters or sum(c.isupper() for c in letters) / len(letters) < 0.8:
        return text
    words = []
    in_paren = False
    for w in text.split():
        if w.startswith("("):
            in_paren = True
        bare = w.strip("(),.:;").lower()
        if in_paren or bare in _ACRONYMS:
            words.append(w)
        else:
            words.append(w.lower())
        if ")" in w:
            in_paren = False
    words = _title_case_place(words)
    out = " ".join(words)
    out = re.sub(r"\bchỉ số\b", "Chỉ số", out)
    return out[:1].upper() + out[1:]


def _heading_after(lines: list[str], i: int) -> str:
    picked: list[str] = []
    bold = False
    for ln in lines[i + 1:i + 8]:
        raw = ln
        text = clean(raw.replace("*", " "))
        if not text:
            continue
        if raw.lstrip("*").startswith("(") or fold(text).startswith(("ban hanh kem", "kem theo", "can cu", "i.", "i ")):
            break
        if picked and fold(text).startswith("phu luc"):  # an appendix heading starts a new block
            break
        if not picked:
            picked.append(text)
            bold = raw.startswith("**") and not raw.rstrip().endswith("**")
            continue
        upper = sum(c.isupper() for c in text if c.isalpha()) > 0.8 * max(1, sum(c.isalpha() for c in text))
        if bold:
            picked.append(text)
            bold = not raw.rstrip().endswith("**")
            continue
        if text[:1].islower() and len(text) < 300:
            picked.append(text)
            continue
        if upper and upper_prev(picked) and len(text) < 300:
            picked.append(text)
            continue
        break
    return " ".join(picked)


def upper_prev(picked: list[str]) -> bool:
    t = picked[-1]
    return sum(c.isupper() for c in t if c.isalpha()) > 0.8 * max(1, sum(c.isalpha() for c in t))


_KINDS = {"ke hoach": "Kế hoạch", "bao cao": "Báo cáo", "quyet dinh": "Quyết định", "chuong trinh": "Chương trình",
          "huong dan": "Hướng dẫn", "thong bao": "Thông báo", "cong van": "Công văn"}


def _title(lines: list[str]) -> str | None:
    """The plan's own heading first, then the first other document-type heading, then an appendix's."""
    firsts = []
    for i, ln in enumerate(lines[:200]):
        f = fold(clean(ln.replace("*", " ")))
        if f in _KINDS:
            firsts.append((0 if f == "ke hoach" else 1, i, f))
        elif re.fullmatch(r"phu luc( \S{1,4})?", f):
            firsts.append((2, i, "phu luc"))
    for _, i, kind in sorted(firsts):
        word = _KINDS.get(kind)
        head = _heading_after(lines, i)
        if not head:
            continue
        head = sentence_case(head)
        if word:
            return f"{word} {head[:1].lower()}{head[1:]}" if not head.isupper() else f"{word} {head}"
        return head
    return None


def _issuer(lines: list[str], title: str | None) -> str | None:
    level, name = None, None
    for i, ln in enumerate(lines[:60]):
        f = fold(ln)
        if f.startswith("noi ban hanh:"):
            rest = re.split(r"\s+Người ký:|\s+Loại văn bản:", ln.split(":", 1)[1])[0].strip()
            if rest:
                return "UBND " + rest[:1].lower() + rest[1:] if fold(rest).startswith(("tinh", "huyen", "thanh pho", "thi xa", "quan", "xa")) else rest
        if f.startswith(("uy ban nhan dan", "ubnd ")):
            rest = clean(ln[len("ỦY BAN NHÂN DÂN"):] if f.startswith("uy ban") else ln[len("UBND"):])
            if not rest and i + 1 < len(lines) and fold(lines[i + 1]).startswith(("tinh", "huyen", "thanh pho", "thi xa", "quan", "xa ", "phuong")):
                rest = lines[i + 1]
            if rest:
                words = _title_case_place(rest.lower().split())
                joined = " ".join(words)
                if len(joined.split()) > 1:
                    nxt = fold(lines[i + 1]) if i + 1 < len(lines) else ""
                    if nxt.startswith(("so ", "van phong", "ban ", "thanh tra")) and lines[i + 1].isupper():
                        words = lines[i + 1].strip().lower().split()
                        cap = 2 if words[0] in ("sở", "ban", "thanh") else 1
                        agency = " ".join(w.capitalize() if n < cap else w for n, w in enumerate(words))
                        return agency + " " + joined
                    return "UBND " + joined
                level = joined.lower()
    for ln in lines[:6]:
        # a ministry's own document: "BỘ NỘI VỤ" at the head
        if ln.isupper() and is_ministry_name(ln) and len(ln.split()) <= 7:
            words = ln.strip().lower().split()
            return " ".join(["Bộ", words[1].capitalize(), *words[2:]])
    context = " ".join(lines[:200])
    if level is None:
        m = re.search(r"của\s+(?:UBND|Ủy ban nhân dân)\s+(tỉnh|huyện|thành phố|thị xã|quận)\b", context)
        if m:
            level = m.group(1)
    if level and title:
        m = re.search(rf"\b{level}\s+((?:[A-ZĐÂĂÊÔƠƯÁÀẢÃẠ][\wÀ-ỹ]*\s?){{1,4}})", title)
        if m:
            name = " ".join(w for w in m.group(1).split() if w[:1].isupper())
            return f"UBND {level} {name}"
    return None


def extract(doc: Document) -> dict:
    lines = _lines(doc)
    refs = _refs(doc)
    title = _title(lines)
    return {
        "issuer": _issuer(lines, title),
        "number": _number(lines, refs),
        "date": _date(lines, refs),
        "title": title,
    }
