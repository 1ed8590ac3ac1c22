"""A questionnaire as a workbook a civil servant edits in Excel, read back; and what changed
between two definitions (the preview before an upload is saved). Pure Python (no Django): the
workbook itself is written by chiso.common.office and read by chiso.reader.isolated.

Four sheets. "Thông tin chung": one setting a row (name, value). "Thang đo": the common scale,
one level a row, with whether it counts as satisfied. "Yếu tố": elements (code, name, criterion,
weight). "Câu hỏi": one question a row in the form's order; columns found by their heading
(in any order, with or without diacritics), choices one a line in their cell as `value | label`.
Every problem names its sheet, row and column.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

from . import questionnaire as qdef
from .questionnaire_edit import EditError, choices_text, parse_choices, slug
from .text import fold  # noqa: F401  (tests fold headings with it)

GENERAL, SCALE, ELEMENTS, QUESTIONS = "Thông tin chung", "Thang đo", "Yếu tố", "Câu hỏi"
SETTINGS = [("title", "Tên phiếu"), ("audience", "Đối tượng"), ("intro", "Lời giới thiệu"),
            ("framework", "Bộ chỉ số kết quả đo"), ("method", "Cách tính")]
SCALE_COLUMNS = [("level", "Mức"), ("label", "Nhãn"), ("favourable", "Tính là hài lòng")]
ELEMENT_COLUMNS = [("code", "Mã yếu tố"), ("name", "Tên yếu tố"), ("criterion", "Tiêu chí"), ("weight", "Trọng số")]
QUESTION_COLUMNS = [
    ("number", "STT"), ("code", "Mã câu"), ("kind", "Loại câu hỏi"), ("element", "Yếu tố"),
    ("text", "Nội dung câu hỏi"), ("required", "Bắt buộc"), ("choices", "Các lựa chọn (mỗi dòng: mã | nhãn)"),
    ("scale", "Thang đo riêng (mỗi dòng một mức)"), ("fact", "Loại thông tin"),
    ("show_if_question", "Chỉ hỏi khi câu"), ("show_if_values", "có câu trả lời là"), ("criterion", "Tiêu chí"),
    ("source", "Nguồn"), ("help", "Hướng dẫn"), ("max_length", "Số ký tự tối đa")]
NEEDED = {QUESTIONS: {"code", "kind", "text"}, ELEMENTS: {"code", "name"}, SCALE: {"label"}}
YES = {"co", "x", "1", "true", "yes", "dung"}
METHODS = {"top_share": "Tỷ lệ % chọn các mức hài lòng", "mean_scale": "Điểm trung bình quy về 0–100"}


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _column(n: int) -> str:
    name = ""
    while n:
        n, rest = divmod(n - 1, 26)
        name = chr(65 + rest) + name
    return name


def to_sheets(defn: Mapping) -> dict[str, list[list]]:
    """Sheet name → rows (the first the headings) of a definition."""
    formula = defn.get("formula") or {}
    method = formula.get("method", "top_share")
    general = [["Nội dung", "Giá trị"],
               ["Tên phiếu", defn.get("title", "")],
               ["Đối tượng", qdef.AUDIENCES.get(defn.get("audience", "citizen"), defn.get("audience", ""))],
               ["Lời giới thiệu", defn.get("intro", "")],
               ["Bộ chỉ số kết quả đo", defn.get("framework", "")],
               ["Cách tính", METHODS.get(method, method)]]
    scale_levels = defn.get("scale") or []
    favourable = set(formula.get("favourable") or ([len(scale_levels) - 1, len(scale_levels)]
                                                     if len(scale_levels) >= 4 else [len(scale_levels)]))
    scale = [[label for _, label in SCALE_COLUMNS]] + [
        [i, label, "có" if i in favourable and method == "top_share" else ""]
        for i, label in enumerate(scale_levels, start=1)]
    weights = formula.get("weights") or {}
    elements = [[label for _, label in ELEMENT_COLUMNS]] + [
        [e.get("code", ""), e.get("name", ""), e.get("criterion", ""), weights.get(e.get("code"), "")]
        for e in defn.get("elements") or []]
    questions = [[label for _, label in QUESTION_COLUMNS]]
    for i, q in enumerate(defn.get("questions") or [], start=1):
        cond = q.get("show_if") or {}
        questions.append([
            i, q.get("code", ""), qdef.KINDS.get(q.get("kind"), q.get("kind", "")), q.get("element", ""),
            q.get("text", ""), "có" if q.get("required") else "", choices_text(q.get("choices")),
            "\n".join(q.get("scale") or []), qdef.FACTS.get(q.get("fact"), "") if q.get("kind") == "fact" else "",
            cond.get("question", ""), ", ".join(str(v) for v in cond.get("in") or []), q.get("criterion", ""),
            q.get("source", ""), q.get("help", ""), q.get("max_length", "") if q.get("kind") == "text" else ""])
    return {GENERAL: general, SCALE: scale, ELEMENTS: elements, QUESTIONS: questions}


def _lookup(labels: Mapping[str, str]) -> dict[str, str]:
    """Folded label or code → code."""
    out = {fold(code): code for code in labels}
    out.update({fold(label): code for code, label in labels.items()})
    return out


KIND_OF, FACT_OF, AUDIENCE_OF, METHOD_OF = (_lookup(qdef.KINDS), _lookup(qdef.FACTS), _lookup(qdef.AUDIENCES),
                                             _lookup(METHODS))


@dataclass
class _Table:
    sheet: str
    columns: dict[str, int]  # key → 0-based index
    rows: list[tuple[int, list]]  # (line, values)
    headings: dict[str, str]

    def get(self, values: list, key: str) -> str:
        i = self.columns.get(key)
        return _cell(values[i]) if i is not None and i < len(values) else ""

    def where(self, line: int, key: str) -> str:
        i = self.columns.get(key)
        column = f", cột {_column(i + 1)} “{self.headings[key]}”" if i is not None else ""
        return f"Trang “{self.sheet}”, dòng {line}{column}"


def _table(sheet: str, rows: list[tuple[int, list]], spec: Sequence[tuple[str, str]], problems: list[str]) -> _Table:
    known = {fold(label): key for key, label in spec}
    known.update({fold(label.split(" (")[0]): key for key, label in spec})
    headings = dict(spec)
    for n, (line, values) in enumerate(rows):
        columns = {known[fold(_cell(v))]: i for i, v in enumerate(values) if fold(_cell(v)) in known}
        if len(columns) >= 2:
            missing = [headings[k] for k in NEEDED.get(sheet, set()) if k not in columns]
            if missing:
                problems.append(f"Trang “{sheet}”, dòng {line}: thiếu cột " + ", ".join(f"“{m}”" for m in missing))
            data = [(ln, vals) for ln, vals in rows[n + 1:] if any(_cell(v) for v in vals)]
            return _Table(sheet, columns, data, headings)
    problems.append(f"Trang “{sheet}”: không tìm thấy dòng tiêu đề (các cột "
                    + ", ".join(f"“{label}”" for key, label in spec if key in NEEDED.get(sheet, {"code"})) + ")")
    return _Table(sheet, {}, [], headings)


def from_sheets(rows: Sequence[tuple[str, int, list]], base: Mapping) -> tuple[dict, list[str]]:
    """A definition read from a workbook's rows (sheet, 1-based line, values); what the workbook
    does not carry (code, label, format) is kept from `base`. Returns (definition, problems)."""
    problems: list[str] = []
    by_sheet: dict[str, list[tuple[int, list]]] = {}
    names = {fold(s): s for s in (GENERAL, SCALE, ELEMENTS, QUESTIONS)}
    for sheet, line, values in rows:
        name = names.get(fold(sheet))
        if name:
            by_sheet.setdefault(name, []).append((line, list(values)))
    missing = [s for s in (GENERAL, SCALE, ELEMENTS, QUESTIONS) if s not in by_sheet]
    if missing:
        return {}, ["Tệp thiếu trang " + ", ".join(f"“{s}”" for s in missing)
                    + " (hãy tải tệp mẫu của phiếu về, sửa rồi tải lên lại)"]
    out: dict = {k: base[k] for k in ("format", "code", "label") if k in base}
    settings = {fold(_cell(v[0])): (line, _cell(v[1]) if len(v) > 1 else "") for line, v in by_sheet[GENERAL] if v}
    for key, label in SETTINGS:
        line, value = settings.get(fold(label), (None, ""))
        if key == "audience":
            code = AUDIENCE_OF.get(fold(value)) if value else "citizen"
            if code is None:
                problems.append(f"Trang “{GENERAL}”, dòng {line}, cột B: đối tượng “{value}” không có "
                                f"(“{qdef.AUDIENCES['citizen']}” hoặc “{qdef.AUDIENCES['delegate']}”)")
            out["audience"] = code or "citizen"
        elif key == "method":
            method = METHOD_OF.get(fold(value)) if value else "top_share"
            if method is None:
                problems.append(f"Trang “{GENERAL}”, dòng {line}, cột B: cách tính “{value}” không có "
                                f"(“{METHODS['top_share']}” hoặc “{METHODS['mean_scale']}”)")
            out["formula"] = {"method": method or "top_share"}
        elif value:
            out[key] = value
    scale = _table(SCALE, by_sheet[SCALE], SCALE_COLUMNS, problems)
    out["scale"], favourable = [], []
    for line, values in scale.rows:
        label = scale.get(values, "label")
        if not label:
            problems.append(f"{scale.where(line, 'label')}: mức thang đo thiếu nhãn")
            continue
        out["scale"].append(label)
        if fold(scale.get(values, "favourable")) in YES:
            favourable.append(len(out["scale"]))
    if out["formula"]["method"] == "top_share":
        if not favourable and out["scale"]:
            problems.append(f"Trang “{SCALE}”: đánh dấu “có” ở cột “Tính là hài lòng” cho ít nhất một mức")
        out["formula"]["favourable"] = favourable
    elements = _table(ELEMENTS, by_sheet[ELEMENTS], ELEMENT_COLUMNS, problems)
    out["elements"], weights = [], {}
    for line, values in elements.rows:
        e = {"code": elements.get(values, "code"), "name": elements.get(values, "name")}
        if elements.get(values, "criterion"):
            e["criterion"] = elements.get(values, "criterion")
        weight = elements.get(values, "weight").replace(",", ".")
        if weight:
            try:
                weights[e["code"]] = float(weight)
            except ValueError:
                problems.append(f"{elements.where(line, 'weight')}: trọng số “{weight}” không phải là số")
        out["elements"].append(e)
    if weights:
        out["formula"]["weights"] = weights
    questions = _table(QUESTIONS, by_sheet[QUESTIONS], QUESTION_COLUMNS, problems)
    out["questions"] = [_question(questions, line, values, problems) for line, values in questions.rows]
    out["questions"] = [q for q in out["questions"] if q is not None]
    if not problems:
        problems += _definition_problems(out)
    return strip_lines(out), problems


def _question(t: _Table, line: int, values: list, problems: list[str]) -> dict | None:
    raw_kind = t.get(values, "kind")
    kind = KIND_OF.get(fold(raw_kind))
    if kind is None:
        problems.append(f"{t.where(line, 'kind')}: loại câu hỏi “{raw_kind}” không có (chọn một trong: "
                        + ", ".join(qdef.KINDS.values()) + ")")
        return None
    q: dict = {"code": t.get(values, "code"), "kind": kind, "text": t.get(values, "text")}
    for key in ("element", "criterion", "source", "help"):
        if t.get(values, key):
            q[key] = t.get(values, key)
    if fold(t.get(values, "required")) in YES:
        q["required"] = True
    if kind in {"single", "multiple", "fact"}:
        q["choices"] = parse_choices(t.get(values, "choices"))
    if kind == "fact":
        raw = t.get(values, "fact")
        q["fact"] = FACT_OF.get(fold(raw), "") if raw else "other"
        if not q["fact"]:
            problems.append(f"{t.where(line, 'fact')}: loại thông tin “{raw}” không có (chọn một trong: "
                            + ", ".join(qdef.FACTS.values()) + ")")
    if kind == "rating" and t.get(values, "scale"):
        q["scale"] = [s.strip() for s in t.get(values, "scale").split("\n") if s.strip()]
    if kind == "text" and t.get(values, "max_length"):
        raw = t.get(values, "max_length")
        if not raw.isdigit():
            problems.append(f"{t.where(line, 'max_length')}: “{raw}” không phải số nguyên")
        else:
            q["max_length"] = int(raw)
    if t.get(values, "show_if_question"):
        q["show_if"] = {"question": t.get(values, "show_if_question"),
                        "in": [v.strip() for v in t.get(values, "show_if_values").replace(";", ",").split(",")
                               if v.strip()]}
    q["_line"] = line
    return q


def _definition_problems(defn: dict) -> list[str]:
    """The definition's own check, each problem of a question led by its sheet and row."""
    lines = {q.get("code"): q.pop("_line") for q in defn["questions"]}
    try:
        qdef.validate(defn)
    except qdef.DefinitionError as exc:
        out = []
        for problem in exc.problems:
            code = problem[4:].split(":")[0].strip() if problem.startswith("Câu ") else None
            line = lines.get(code)
            out.append(f"Trang “{QUESTIONS}”, dòng {line}: {problem}" if line else problem)
        return out
    return []


def strip_lines(defn: dict) -> dict:
    for q in defn.get("questions") or []:
        q.pop("_line", None)
    return defn


@dataclass
class Change:
    what: str  # "added" | "removed" | "changed" | "moved" | "settings"
    code: str
    text: str
    details: list[str]


FIELD_NAMES = {"kind": "loại", "text": "nội dung", "element": "yếu tố", "required": "bắt buộc",
               "choices": "lựa chọn", "scale": "thang đo riêng", "fact": "loại thông tin", "show_if": "điều kiện hiển thị",
               "criterion": "tiêu chí", "source": "nguồn", "help": "hướng dẫn", "max_length": "số ký tự tối đa"}


def changes(old: Mapping, new: Mapping) -> list[Change]:
    """What `new` changes of `old`: settings, scale and elements, then each question added,
    removed, changed (which fields) or moved."""
    out: list[Change] = []
    for key, label in (("title", "tên phiếu"), ("intro", "lời giới thiệu"), ("audience", "đối tượng"),
                       ("framework", "bộ chỉ số"), ("scale", "thang đo"), ("formula", "cách tính"),
                       ("elements", "các yếu tố")):
        if (old.get(key) or None) != (new.get(key) or None):
            out.append(Change("settings", "", label, []))
    before = {q.get("code"): q for q in old.get("questions") or []}
    after = {q.get("code"): q for q in new.get("questions") or []}
    kept_old = [c for c in before if c in after]
    stayed = _in_order(kept_old, [c for c in after if c in before])
    for code, q in after.items():
        if code not in before:
            out.append(Change("added", code, q.get("text", ""), []))
            continue
        fields = [FIELD_NAMES[k] for k in FIELD_NAMES if (before[code].get(k) or None) != (q.get(k) or None)]
        if fields:
            out.append(Change("changed", code, q.get("text", ""), fields))
        if code not in stayed:
            out.append(Change("moved", code, q.get("text", ""), [f"trước đây là câu thứ {list(before).index(code) + 1}, "
                                                                 f"nay là câu thứ {list(after).index(code) + 1}"]))
    out += [Change("removed", code, q.get("text", ""), []) for code, q in before.items() if code not in after]
    return out


def _in_order(old: list[str], new: list[str]) -> set[str]:
    """The largest set of codes whose order `new` keeps from `old` (a longest increasing run):
    the others are the ones moved, so one question moved up is one move, not many."""
    rank = {c: i for i, c in enumerate(old)}
    seq = [rank[c] for c in new]
    best: list[list[int]] = []
    for i, r in enumerate(seq):
        prev = max((best[j] for j in range(i) if seq[j] < r), key=len, default=[])
        best.append(prev + [i])
    longest = max(best, key=len, default=[])
    return {new[i] for i in longest}


__all__ = ["Change", "EditError", "changes", "from_sheets", "slug", "strip_lines", "to_sheets"]
