"""Questionnaires as data (`chiso.questionnaire/1`): checking a definition, show-if conditions,
cleaning a respondent's answers. Pure Python (no Django).

A definition is a JSON object:

    {"format": "chiso.questionnaire/1",
     "title": "Phiếu khảo sát …", "audience": "citizen" | "delegate", "intro": "…",
     "framework": "sipas",            # the index framework whose criteria `criterion` names
     "scale": ["Rất không hài lòng", "Không hài lòng", "Bình thường", "Hài lòng", "Rất hài lòng"],
     "formula": {"method": "top_share", "favourable": [4, 5]},          # see survey_math
     "elements": [{"code": "E1", "name": "Tiếp cận dịch vụ", "criterion": "1"}, …],
     "questions": [
        {"code": "C12", "kind": "rating", "element": "E1", "text": "…", "required": true,
         "criterion": "8.1.1", "source": "Phụ lục 02, mục 12"},
        {"code": "F1", "kind": "fact", "fact": "age_band", "text": "Tuổi", "choices": [["18-30", "Từ 18 đến 30"], …]},
        {"code": "C20", "kind": "single" | "multiple", "text": "…", "choices": […],
         "show_if": {"question": "F3", "in": ["dat-dai"]}},
        {"code": "Y1", "kind": "text", "text": "Góp ý khác", "max_length": 1000}]}

Kinds: `rating` (a level 1..len(scale) of the questionnaire's scale, or of the question's own
`scale`), `single` and `multiple` choice, open `text`, and `fact` (a respondent fact — age band,
sex, the service used — answered by one choice). `criterion` names the index criterion an
element or a rated item measures (the SIPAS element "1", the PAR criterion "2.4.1"); results
feed it. A question with `show_if` is asked only when the named earlier question's answer is
one of the values; a hidden question's answer is dropped, and it is never required.

Answers are stored as {code: value}: an int level for a rating, a choice value (str) for single
and fact, a list of values for multiple, a str for text. An unanswered question has no key.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Mapping, Sequence

from .survey_math import Formula, FormulaError, parse_formula

FORMAT = "chiso.questionnaire/1"
KINDS = {"rating": "Thang đánh giá", "single": "Chọn một", "multiple": "Chọn nhiều", "text": "Trả lời tự do",
         "fact": "Thông tin người trả lời"}
FACTS = {"age_band": "Nhóm tuổi", "sex": "Giới tính", "service": "Dịch vụ đã sử dụng", "role": "Chức danh",
         "other": "Khác"}
AUDIENCES = {"citizen": "Người dân, tổ chức", "delegate": "Đại biểu HĐND, lãnh đạo các cấp"}
CODE = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{0,23}$")
MAX_QUESTIONS = 200
MAX_CHOICES = 60
MAX_TEXT = 1000


class DefinitionError(ValueError):
    """A definition that cannot be used; `problems` lists every problem found."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Element:
    code: str
    name: str
    criterion: str = ""


@dataclass(frozen=True)
class Question:
    code: str
    kind: str
    text: str
    element: str = ""
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()
    scale: tuple[str, ...] = ()
    show_if: tuple[str, frozenset[str]] | None = None
    fact: str = ""
    criterion: str = ""
    source: str = ""
    help: str = ""
    max_length: int = MAX_TEXT

    @property
    def choice_labels(self) -> dict[str, str]:
        return dict(self.choices)


@dataclass(frozen=True)
class Definition:
    title: str
    audience: str
    intro: str
    scale: tuple[str, ...]
    formula: Formula
    elements: tuple[Element, ...]
    questions: tuple[Question, ...]
    framework: str = ""
    raw: Mapping = field(default_factory=dict, compare=False, repr=False)

    def question(self, code: str) -> Question | None:
        return next((q for q in self.questions if q.code == code), None)

    def rated_items(self) -> dict[str, str]:
        """Rated questions that count in the index: code → element code (questionnaire scale only)."""
        return {q.code: q.element for q in self.questions if q.kind == "rating" and q.element and not q.scale}

    def levels(self) -> int:
        return len(self.scale)


def _text(value, limit: int = 2000) -> str:
    return " ".join(str(value or "").split())[:limit]


def _choices(raw, where: str, problems: list[str]) -> tuple[tuple[str, str], ...]:
    out: list[tuple[str, str]] = []
    if not isinstance(raw, list) or not raw:
        problems.append(f"{where}: cần danh sách lựa chọn")
        return ()
    if len(raw) > MAX_CHOICES:
        problems.append(f"{where}: tối đa {MAX_CHOICES} lựa chọn")
    seen: set[str] = set()
    for i, choice in enumerate(raw[:MAX_CHOICES], start=1):
        if isinstance(choice, (list, tuple)) and len(choice) == 2:
            value, label = _text(choice[0], 64), _text(choice[1], 300)
        elif isinstance(choice, str):
            value, label = str(i), _text(choice, 300)
        else:
            problems.append(f"{where}: lựa chọn thứ {i} không đúng dạng [giá trị, nhãn]")
            continue
        if not value or not label:
            problems.append(f"{where}: lựa chọn thứ {i} thiếu giá trị hoặc nhãn")
        elif value in seen:
            problems.append(f"{where}: giá trị lựa chọn '{value}' lặp lại")
        seen.add(value)
        out.append((value, label))
    return tuple(out)


def _scale(raw, where: str, problems: list[str]) -> tuple[str, ...]:
    if not isinstance(raw, list) or not 2 <= len(raw) <= 11 or not all(isinstance(s, str) and s.strip() for s in raw):
        problems.append(f"{where}: thang đo cần từ 2 đến 11 mức, mỗi mức một nhãn")
        return ()
    return tuple(_text(s, 120) for s in raw)


def validate(raw: Mapping) -> Definition:
    """The definition as objects, or DefinitionError listing every problem (question by question)."""
    problems: list[str] = []
    if not isinstance(raw, Mapping):
        raise DefinitionError(["Phiếu khảo sát phải là một đối tượng JSON"])
    if raw.get("format", FORMAT) != FORMAT:
        problems.append(f"Định dạng '{raw.get('format')}' không phải {FORMAT}")
    title = _text(raw.get("title"), 300)
    if not title:
        problems.append("Phiếu khảo sát cần có tên")
    audience = raw.get("audience", "citizen")
    if audience not in AUDIENCES:
        problems.append(f"Đối tượng khảo sát '{audience}' không có (citizen hoặc delegate)")
    scale = _scale(raw.get("scale"), "Thang đo chung", problems)
    formula = Formula()
    if scale:
        try:
            formula = parse_formula(raw.get("formula"), len(scale))
        except FormulaError as exc:
            problems.append(str(exc))
    elements: list[Element] = []
    element_codes: set[str] = set()
    for i, e in enumerate(raw.get("elements") or [], start=1):
        if not isinstance(e, Mapping):
            problems.append(f"Yếu tố thứ {i}: không đúng dạng")
            continue
        code, name = _text(e.get("code"), 24), _text(e.get("name"), 300)
        if not CODE.match(code):
            problems.append(f"Yếu tố thứ {i}: mã '{code}' không hợp lệ (chữ cái đầu, tối đa 24 ký tự)")
        elif code in element_codes:
            problems.append(f"Yếu tố {code}: mã lặp lại")
        if not name:
            problems.append(f"Yếu tố {code or i}: thiếu tên")
        element_codes.add(code)
        elements.append(Element(code, name, _text(e.get("criterion"), 32)))
    if formula.weights:
        for code in formula.weights:
            if code not in element_codes:
                problems.append(f"Trọng số ghi cho yếu tố {code}, phiếu không có yếu tố này")
    raw_questions = raw.get("questions")
    if not isinstance(raw_questions, list) or not raw_questions:
        problems.append("Phiếu khảo sát chưa có câu hỏi nào")
        raw_questions = []
    if len(raw_questions) > MAX_QUESTIONS:
        problems.append(f"Tối đa {MAX_QUESTIONS} câu hỏi")
    questions: list[Question] = []
    codes: dict[str, str] = {}
    answers_of: dict[str, list[str]] = {}  # what a condition on each question may name
    for i, q in enumerate(raw_questions[:MAX_QUESTIONS], start=1):
        if not isinstance(q, Mapping):
            problems.append(f"Câu thứ {i}: không đúng dạng")
            continue
        code = _text(q.get("code"), 24)
        where = f"Câu {code or i}"
        if not CODE.match(code):
            problems.append(f"Câu thứ {i}: mã '{code}' không hợp lệ (chữ cái đầu, tối đa 24 ký tự)")
        elif code in codes:
            problems.append(f"{where}: mã lặp lại")
        kind = q.get("kind")
        if kind not in KINDS:
            problems.append(f"{where}: loại câu hỏi '{kind}' không có ({', '.join(KINDS)})")
            continue
        text = _text(q.get("text"), 1000)
        if not text:
            problems.append(f"{where}: thiếu nội dung câu hỏi")
        element = _text(q.get("element"), 24)
        if element and element not in element_codes:
            problems.append(f"{where}: yếu tố '{element}' không có trong phiếu")
        choices: tuple[tuple[str, str], ...] = ()
        if kind in {"single", "multiple", "fact"}:
            choices = _choices(q.get("choices"), where, problems)
        own_scale: tuple[str, ...] = ()
        if kind == "rating" and q.get("scale") is not None:
            own_scale = _scale(q.get("scale"), where, problems)
        fact = ""
        if kind == "fact":
            fact = q.get("fact") or "other"
            if fact not in FACTS:
                problems.append(f"{where}: loại thông tin '{fact}' không có ({', '.join(FACTS)})")
        show_if = None
        cond = q.get("show_if")
        if cond is not None:
            if not isinstance(cond, Mapping) or not isinstance(cond.get("in"), list) or not cond.get("question"):
                problems.append(f"{where}: điều kiện hiển thị cần dạng {{\"question\": mã câu, \"in\": [giá trị]}}")
            elif cond["question"] not in codes:
                problems.append(f"{where}: điều kiện hiển thị dựa vào câu '{cond['question']}', "
                                "câu này phải đứng trước")
            elif codes[cond["question"]] == "text":
                problems.append(f"{where}: điều kiện hiển thị không dựa vào câu trả lời tự do")
            else:
                show_if = (str(cond["question"]), frozenset(str(v) for v in cond["in"]))
                allowed = answers_of[cond["question"]]
                unknown = sorted(show_if[1] - set(allowed))
                if unknown:  # a condition no answer can meet would hide the question for ever
                    problems.append(f"{where}: điều kiện hiển thị ghi câu trả lời "
                                    + ", ".join(f"'{v}'" for v in unknown)
                                    + f" không có ở câu {cond['question']} (có: {', '.join(allowed)})")
        try:
            max_length = min(int(q.get("max_length") or MAX_TEXT), 5000)
        except (TypeError, ValueError):
            problems.append(f"{where}: độ dài tối đa không phải là số")
            max_length = MAX_TEXT
        codes[code] = kind
        answers_of[code] = [v for v, _ in choices] or [str(i) for i in range(1, len(own_scale or scale) + 1)]
        questions.append(Question(
            code=code, kind=kind, text=text, element=element, required=bool(q.get("required", False)),
            choices=choices, scale=own_scale, show_if=show_if, fact=fact,
            criterion=_text(q.get("criterion"), 32), source=_text(q.get("source"), 300),
            help=_text(q.get("help"), 500), max_length=max(1, max_length)))
    if problems:
        raise DefinitionError(problems)
    return Definition(title=title, audience=audience, intro=_text(raw.get("intro"), 3000), scale=scale,
                      formula=formula, elements=tuple(elements), questions=tuple(questions),
                      framework=_text(raw.get("framework"), 64), raw=raw)


def _as_values(value) -> set[str]:
    if value is None:
        return set()
    if isinstance(value, list):
        return {str(v) for v in value}
    return {str(value)}


def visible(defn: Definition, answers: Mapping[str, object]) -> set[str]:
    """Codes of the questions asked given these answers (a question after a hidden one it depends on is hidden)."""
    shown: set[str] = set()
    for q in defn.questions:
        if q.show_if is None:
            shown.add(q.code)
            continue
        source, values = q.show_if
        if source in shown and _as_values(answers.get(source)) & values:
            shown.add(q.code)
    return shown


def clean(defn: Definition, data: Mapping[str, Sequence[str]]) -> tuple[dict[str, object], dict[str, str]]:
    """A form's posted values (code → list of strings) as stored answers, and errors per question.

    Values outside a question's choices or scale are errors, never stored; so are missing
    answers to required questions that are shown.
    """
    answers: dict[str, object] = {}
    errors: dict[str, str] = {}
    for q in defn.questions:
        raw = data.getlist(q.code) if hasattr(data, "getlist") else data.get(q.code, [])
        raw = [raw] if isinstance(raw, str) else raw
        values = [v.strip() for v in raw if isinstance(v, str) and v.strip()]
        if not values:
            continue
        if q.kind == "rating":
            levels = len(q.scale or defn.scale)
            try:
                level = int(values[0])
            except ValueError:
                level = 0
            if len(values) != 1 or not 1 <= level <= levels:
                errors[q.code] = f"Chọn một mức từ 1 đến {levels}."
            else:
                answers[q.code] = level
        elif q.kind in {"single", "fact"}:
            if len(values) != 1 or values[0] not in q.choice_labels:
                errors[q.code] = "Chọn một trong các phương án."
            else:
                answers[q.code] = values[0]
        elif q.kind == "multiple":
            allowed = q.choice_labels
            if any(v not in allowed for v in values):
                errors[q.code] = "Có phương án không thuộc câu hỏi."
            else:
                answers[q.code] = [v for v, _ in q.choices if v in set(values)]
        else:  # text
            text = "\n".join(values)
            if len(text) > q.max_length:
                errors[q.code] = f"Tối đa {q.max_length} ký tự (đang có {len(text)})."
            else:
                answers[q.code] = text
    shown = visible(defn, answers)
    answers = {k: v for k, v in answers.items() if k in shown}
    errors = {k: v for k, v in errors.items() if k in shown}
    for q in defn.questions:
        if q.required and q.code in shown and q.code not in answers and q.code not in errors:
            errors[q.code] = "Câu này cần trả lời."
    return answers, errors


def answer_label(q: Question, value, scale: Sequence[str]) -> str:
    """An answer as a person reads it (in exports)."""
    if value is None:
        return ""
    if q.kind == "rating":
        labels = q.scale or scale
        return f"{value} - {labels[value - 1]}" if isinstance(value, int) and 1 <= value <= len(labels) else str(value)
    if q.kind in {"single", "fact"}:
        return q.choice_labels.get(str(value), str(value))
    if q.kind == "multiple":
        labels = q.choice_labels
        return "; ".join(labels.get(str(v), str(v)) for v in value)
    return str(value)
