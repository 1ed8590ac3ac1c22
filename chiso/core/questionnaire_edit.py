"""Editing a questionnaire definition (`chiso.questionnaire/1`) one piece at a time: a question,
an element, the common settings; reordering and removal. Pure Python (no Django).

Every operation takes a definition dict and returns a new one (the input is never changed);
the caller checks the result with `questionnaire.validate`, whose messages name the question.
What only an edit can get wrong — removing a question another one depends on, a code renamed
under its dependants — is refused here with an EditError saying which question and why.
A renamed question or element is renamed in the conditions and weights that name it, so
renaming never breaks the form.
"""
from __future__ import annotations

import copy
import re
from typing import Mapping

from . import questionnaire as qdef
from .survey_math import METHODS
from .text import fold

METHOD_LABELS = {"top_share": "Tỷ lệ % chọn các mức hài lòng", "mean_scale": "Điểm trung bình quy về 0–100"}


class EditError(ValueError):
    """An edit refused before checking: `problems` lists what is wrong, question by question."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def _lines(text: str) -> list[str]:
    return [line.strip() for line in str(text or "").replace("\r", "\n").split("\n") if line.strip()]


def slug(label: str) -> str:
    """A choice value made from its label: 'Đất đai' → 'dat-dai'."""
    return re.sub(r"[^a-z0-9]+", "-", fold(label)).strip("-")[:64] or "lua-chon"


def parse_choices(text: str) -> list[list[str]]:
    """Choices typed one a line, `value | label` or just the label (its value made from it)."""
    out: list[list[str]] = []
    seen: set[str] = set()
    for line in _lines(text):
        value, sep, label = line.partition("|")
        value, label = (value.strip(), label.strip()) if sep else (slug(line), line)
        if sep and not value:
            value = slug(label)
        base, n = value, 2
        while not sep and value in seen:  # two labels folding alike keep distinct values
            value, n = f"{base}-{n}", n + 1
        seen.add(value)
        out.append([value, label])
    return out


def choices_text(choices) -> str:
    """Choices as the editor shows them: `value | label`, one a line."""
    return "\n".join(f"{v} | {label}" for v, label in choices or [])


def parse_levels(text: str, where: str, levels: int) -> list[int]:
    """Levels typed as '4, 5' (or '4 5'): the favourable levels of a scale of `levels` levels."""
    out = []
    for token in re.split(r"[,;\s]+", str(text or "").strip()):
        if not token:
            continue
        if not token.isdigit() or not 1 <= int(token) <= levels:
            raise EditError([f"{where}: “{token}” không phải một mức từ 1 đến {levels}"])
        if int(token) not in out:
            out.append(int(token))
    return sorted(out)


def question_from_fields(fields: Mapping[str, str], previous: Mapping | None = None) -> dict:
    """A question dict from an editor form's fields (each a str; `required` present when ticked).

    Fields: code, kind, text, element, required, criterion, source, help, fact, choices (one a
    line), scale (one level a line; empty for the questionnaire's scale), show_if_question,
    show_if_values (comma separated), max_length. What the form does not carry is kept from
    `previous`."""
    code = str(fields.get("code", "")).strip()
    where = f"Câu {code or 'mới'}"
    kind = str(fields.get("kind", "")).strip()
    q: dict = {k: v for k, v in (previous or {}).items()
               if k not in {"code", "kind", "text", "element", "required", "criterion", "source", "help", "fact",
                            "choices", "scale", "show_if", "max_length"}}
    q.update(code=code, kind=kind, text=" ".join(str(fields.get("text", "")).split()))
    problems: list[str] = []
    for key in ("element", "criterion", "source", "help"):
        value = " ".join(str(fields.get(key, "")).split())
        if value:
            q[key] = value
    if fields.get("required"):
        q["required"] = True
    if kind in {"single", "multiple", "fact"}:
        q["choices"] = parse_choices(fields.get("choices", ""))
        if not q["choices"]:
            problems.append(f"{where}: loại “{qdef.KINDS[kind]}” cần ít nhất một lựa chọn (mỗi dòng một lựa chọn)")
    if kind == "fact":
        q["fact"] = str(fields.get("fact", "")).strip() or "other"
    if kind == "rating":
        scale = _lines(fields.get("scale", ""))
        if scale:
            q["scale"] = scale
    if kind == "text":
        raw = str(fields.get("max_length", "")).strip().replace(".", "")
        if raw:
            if not raw.isdigit() or not 1 <= int(raw) <= 5000:
                problems.append(f"{where}: số ký tự tối đa “{raw}” phải là số nguyên từ 1 đến 5000")
            else:
                q["max_length"] = int(raw)
    source = str(fields.get("show_if_question", "")).strip()
    if source:
        values = [v for v in re.split(r"[,;]+", str(fields.get("show_if_values", ""))) if v.strip()]
        if not values:
            problems.append(f"{where}: đã chọn điều kiện hiển thị theo câu {source} nhưng chưa ghi câu trả lời nào")
        q["show_if"] = {"question": source, "in": [v.strip() for v in values]}
    if problems:
        raise EditError(problems)
    return q


def _dependants(defn: Mapping, code: str) -> list[str]:
    return [q.get("code", "?") for q in defn.get("questions") or []
            if isinstance(q.get("show_if"), Mapping) and q["show_if"].get("question") == code]


def question_put(defn: Mapping, old_code: str | None, question: dict, *, after: str | None = None) -> dict:
    """The definition with `question` replacing `old_code` (renamed in the conditions that name
    it), or added after `after` (at the end when None)."""
    out = copy.deepcopy(dict(defn))
    questions = out.setdefault("questions", [])
    codes = [q.get("code") for q in questions]
    new_code = question.get("code")
    if old_code is None:
        if new_code in codes:
            raise EditError([f"Câu {new_code}: mã đã có ở câu thứ {codes.index(new_code) + 1}; chọn mã khác"])
        at = codes.index(after) + 1 if after in codes else len(questions)
        questions.insert(at, question)
        return out
    if old_code not in codes:
        raise EditError([f"Câu {old_code} không còn trong phiếu (có thể vừa bị xoá)"])
    if new_code != old_code and new_code in codes:
        raise EditError([f"Câu {old_code}: mã mới {new_code} đã có ở câu thứ {codes.index(new_code) + 1}"])
    questions[codes.index(old_code)] = question
    if new_code != old_code:
        for q in questions:
            cond = q.get("show_if")
            if isinstance(cond, dict) and cond.get("question") == old_code:
                cond["question"] = new_code
    return out


def question_remove(defn: Mapping, code: str) -> dict:
    out = copy.deepcopy(dict(defn))
    questions = out.get("questions") or []
    if code not in [q.get("code") for q in questions]:
        raise EditError([f"Câu {code} không còn trong phiếu"])
    dependants = _dependants(defn, code)
    if dependants:
        raise EditError([f"Câu {d} chỉ hiện khi trả lời câu {code}: sửa điều kiện hiển thị của câu {d} trước khi "
                         f"xoá câu {code}" for d in dependants])
    out["questions"] = [q for q in questions if q.get("code") != code]
    return out


def question_move(defn: Mapping, code: str, delta: int) -> dict:
    """The question moved `delta` places (−1 up, +1 down); the first stays first."""
    out = copy.deepcopy(dict(defn))
    questions = out.get("questions") or []
    codes = [q.get("code") for q in questions]
    if code not in codes:
        raise EditError([f"Câu {code} không còn trong phiếu"])
    at = codes.index(code)
    to = max(0, min(len(questions) - 1, at + delta))
    questions.insert(to, questions.pop(at))
    return out


def element_from_fields(fields: Mapping[str, str]) -> dict:
    element = {"code": str(fields.get("code", "")).strip(), "name": " ".join(str(fields.get("name", "")).split())}
    criterion = str(fields.get("criterion", "")).strip()
    if criterion:
        element["criterion"] = criterion
    return element


def element_put(defn: Mapping, old_code: str | None, element: dict, weight: str = "") -> dict:
    """The element replaced (renamed in its questions and weights) or added at the end; `weight`
    (empty: none) is its weight in the overall index."""
    out = copy.deepcopy(dict(defn))
    elements = out.setdefault("elements", [])
    codes = [e.get("code") for e in elements]
    new_code = element.get("code")
    where = f"Yếu tố {new_code or old_code or 'mới'}"
    if (old_code is None or new_code != old_code) and new_code in codes:
        raise EditError([f"{where}: mã đã có; chọn mã khác"])
    if old_code is None:
        elements.append(element)
    elif old_code not in codes:
        raise EditError([f"Yếu tố {old_code} không còn trong phiếu"])
    else:
        elements[codes.index(old_code)] = element
        if new_code != old_code:
            for q in out.get("questions") or []:
                if q.get("element") == old_code:
                    q["element"] = new_code
    formula = out.setdefault("formula", {})
    weights = dict(formula.get("weights") or {})
    if old_code in weights:
        weights[new_code] = weights.pop(old_code)
    weight = str(weight or "").strip().replace(",", ".")
    if weight:
        try:
            weights[new_code] = float(weight)
        except ValueError:
            raise EditError([f"{where}: trọng số “{weight}” không phải là số"]) from None
    else:
        weights.pop(new_code, None)
    if weights:
        formula["weights"] = weights
    else:
        formula.pop("weights", None)
    return out


def element_remove(defn: Mapping, code: str) -> dict:
    out = copy.deepcopy(dict(defn))
    users = [q.get("code", "?") for q in out.get("questions") or [] if q.get("element") == code]
    if users:
        raise EditError([f"Yếu tố {code} còn {len(users)} câu hỏi ({', '.join(users[:8])}"
                         f"{'…' if len(users) > 8 else ''}): chuyển các câu này sang yếu tố khác trước khi xoá"])
    before = len(out.get("elements") or [])
    out["elements"] = [e for e in out.get("elements") or [] if e.get("code") != code]
    if len(out["elements"]) == before:
        raise EditError([f"Yếu tố {code} không còn trong phiếu"])
    (out.get("formula") or {}).get("weights", {}).pop(code, None)
    return out


def settings_put(defn: Mapping, fields: Mapping[str, str]) -> dict:
    """Title, introduction, audience, framework, the common scale (one level a line), the method
    and the favourable levels ('4, 5')."""
    out = copy.deepcopy(dict(defn))
    out["title"] = " ".join(str(fields.get("title", "")).split())
    out["intro"] = str(fields.get("intro", "")).strip()
    out["audience"] = str(fields.get("audience", "")).strip() or "citizen"
    framework = str(fields.get("framework", "")).strip()
    if framework:
        out["framework"] = framework
    else:
        out.pop("framework", None)
    scale = _lines(fields.get("scale", ""))
    out["scale"] = scale
    method = str(fields.get("method", "")).strip() or "top_share"
    if method not in METHODS:
        raise EditError([f"Cách tính “{method}” không có"])
    formula = dict(out.get("formula") or {})
    formula["method"] = method
    if method == "top_share":
        favourable = parse_levels(fields.get("favourable", ""), "Các mức tính là hài lòng", len(scale))
        if not favourable:
            raise EditError(["Các mức tính là hài lòng: ghi ít nhất một mức, ví dụ “4, 5”"])
        formula["favourable"] = favourable
    else:
        formula.pop("favourable", None)
    out["formula"] = formula
    return out


def questions_before(defn: Mapping, code: str | None) -> list[dict]:
    """The questions a condition of question `code` may name: those before it, with answers to choose."""
    out = []
    for q in defn.get("questions") or []:
        if q.get("code") == code:
            break
        if q.get("kind") != "text":
            out.append(q)
    return out
