"""The questionnaire editor in the browser: settings and scale, elements, and questions one by one
(add, edit, move, remove), each an htmx post through `services.questionnaire_change`.

A saved change answers the whole editor, re-read (every form in it then carries the new
revision). A refused change answers only the form that was sent, with what was typed and the
reason (422, retargeted onto that form); a stale form answers the editor as saved now with the
warning (409). A version in use is shown read-only with the way to a new version."""
from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_http_methods, require_POST

from chiso.common.errors import ConflictError, ServiceError
from chiso.core import questionnaire as qdef
from chiso.core import questionnaire_edit as qedit

from . import services
from .models import Questionnaire
from .policies import can_manage_surveys, questionnaire_or_404, require_permission

PAGE = "surveys/questionnaire_editor.html"
EDITOR, QUESTION_FORM, QUESTION, ELEMENT, SETTINGS = (f"{PAGE}#{p}" for p in ("editor", "question_form", "question",
                                                                             "element", "settings"))


@dataclass
class Row:
    """A question as the editor lists it."""

    number: int
    raw: dict
    kind: str
    element: str
    condition: str

    @property
    def code(self) -> str:
        return self.raw.get("code", "")


def _rows(q: Questionnaire) -> list[Row]:
    d = q.definition
    elements = {e.get("code"): e.get("name", "") for e in d.get("elements") or []}
    rows = []
    for i, raw in enumerate(d.get("questions") or [], start=1):
        cond = raw.get("show_if") or {}
        condition = f"Chỉ hỏi khi câu {cond.get('question')} là {', '.join(map(str, cond.get('in') or []))}" \
            if cond else ""
        rows.append(Row(i, raw, qdef.KINDS.get(raw.get("kind"), raw.get("kind", "")),
                        elements.get(raw.get("element"), ""), condition))
    return rows


def _editable(request, q: Questionnaire) -> bool:
    return can_manage_surveys(request.user) and not q.is_template and q.used_by is None


def _context(request, q: Questionnaire, **extra) -> dict:
    d = q.definition
    formula = d.get("formula") or {}
    return {"q": q, "d": d, "rows": _rows(q), "editable": _editable(request, q),
            "may_manage": can_manage_surveys(request.user), "kinds": qdef.KINDS, "facts": qdef.FACTS,
            "audiences": qdef.AUDIENCES, "methods": qedit.METHOD_LABELS, "method": formula.get("method", "top_share"),
            "favourable": ", ".join(str(f) for f in formula.get("favourable") or []),
            "elements": [{"old": e.get("code", ""), "code": e.get("code", ""), "name": e.get("name", ""),
                          "criterion": e.get("criterion", ""),
                          "weight": _number((formula.get("weights") or {}).get(e.get("code"), ""))}
                         for e in d.get("elements") or []],
            "blank_element": {"old": ""}, "scale_text": "\n".join(d.get("scale") or []), **extra}


def _number(value) -> str:
    """A weight as a Vietnamese reads it: 2,5; 1 (not 1.0)."""
    if value in ("", None):
        return ""
    return f"{float(value):g}".replace(".", ",")


def _question_context(request, q: Questionnaire, raw: dict | None, *, typed=None, error=None) -> dict:
    """The form of one question (`raw`; None for a new one), or what was typed into it."""
    d = q.definition
    code = raw.get("code") if raw else None
    if typed is not None:
        values = {k: typed.get(k, "") for k in ("code", "kind", "text", "element", "criterion", "source", "help", "fact",
                                                 "choices", "scale", "show_if_question", "show_if_values", "max_length",
                                                 "after")}
        values["required"] = bool(typed.get("required"))
    elif raw:
        cond = raw.get("show_if") or {}
        values = {**{k: raw.get(k, "") for k in ("code", "kind", "text", "element", "criterion", "source", "help",
                                                 "fact", "max_length")},
                  "required": bool(raw.get("required")), "choices": qedit.choices_text(raw.get("choices")),
                  "scale": "\n".join(raw.get("scale") or []), "show_if_question": cond.get("question", ""),
                  "show_if_values": ", ".join(map(str, cond.get("in") or []))}
    else:
        values = {"code": _next_code(d), "kind": "rating", "required": True, "after": ""}
    sources = []
    for s in qedit.questions_before(d, code):
        answers = s.get("choices") or [[str(i), label] for i, label in enumerate(s.get("scale") or d.get("scale") or [],
                                                                                 start=1)]
        sources.append({"code": s.get("code"), "text": s.get("text", ""), "answers": answers})
    return {"q": q, "old_code": code, "v": values, "kinds": qdef.KINDS, "facts": qdef.FACTS,
            "elements": d.get("elements") or [], "sources": sources, "error": error,
            "codes": [x.get("code") for x in d.get("questions") or []]}


def _next_code(d: dict) -> str:
    numbers = [int(m.group(1)) for x in d.get("questions") or [] if (m := re.fullmatch(r"C(\d+)", x.get("code", "")))]
    return f"C{max(numbers, default=0) + 1}"


def _error(exc: ServiceError) -> dict:
    return {"message": exc.message, "details": exc.details, "conflict": isinstance(exc, ConflictError)}


def _revision(request) -> int:
    try:
        return int(request.POST.get("revision", ""))
    except ValueError:
        return -1


def _editor(request, q: Questionnaire, *, status: int = 200, **extra):
    q = Questionnaire.objects.select_related("owner").get(pk=q.pk)
    return render(request, EDITOR, _context(request, q, **extra), status=status)


def _apply(request, q: Questionnaire, change, *, refused):
    """Runs one change; on success the whole editor, refused: `refused(error)` (the form sent)."""
    try:
        saved = services.questionnaire_change(actor=request.user, questionnaire=q, revision=_revision(request),
                                              change=change)
    except ConflictError as exc:
        return _editor(request, q, status=409, error=_error(exc))
    except ServiceError as exc:
        response = refused(_error(exc))
        response.status_code = 422
        return response
    return _editor(request, saved, saved_note="Đã lưu.")


def _retarget(response, target: str):
    response["HX-Retarget"] = target
    response["HX-Reswap"] = "outerHTML"
    return response


def _writable(request, public_id: str) -> Questionnaire:
    q = questionnaire_or_404(request.user, public_id)
    require_permission(can_manage_surveys(request.user))
    return q


def _question(q: Questionnaire, code: str) -> dict:
    raw = next((x for x in q.definition.get("questions") or [] if x.get("code") == code), None)
    if raw is None:
        raise Http404("Câu hỏi không còn trong phiếu.")
    return raw


# -- the page ---------------------------------------------------------------------------------------

@login_required
def questionnaire_editor(request, public_id: str):
    q = _writable(request, public_id)
    return render(request, PAGE, _context(request, q, versions=Questionnaire.objects.filter(
        owner=q.owner, code=q.code).order_by("-version")))


# -- questions --------------------------------------------------------------------------------------

@login_required
def question_form(request, public_id: str, code: str):
    """GET: the form of one question in place of its line; `?huy=1`: the line again (cancel)."""
    q = _writable(request, public_id)
    raw = _question(q, code)
    if request.GET.get("huy"):
        row = next(r for r in _rows(q) if r.code == code)
        return render(request, QUESTION, {**_context(request, q), "row": row})
    return render(request, QUESTION_FORM, _question_context(request, q, raw))


@login_required
@require_POST
def question_save(request, public_id: str, code: str):
    q = _writable(request, public_id)
    raw = _question(q, code)

    def change(d):
        return qedit.question_put(d, code, qedit.question_from_fields(request.POST, previous=raw))

    def refused(error):
        context = _question_context(request, q, raw, typed=request.POST, error=error)
        return _retarget(render(request, QUESTION_FORM, context), f"#cau-{code}")

    return _apply(request, q, change, refused=refused)


@login_required
@require_http_methods(["GET", "POST"])
def question_add(request, public_id: str):
    q = _writable(request, public_id)
    if request.method == "GET":
        return render(request, QUESTION_FORM, _question_context(request, q, None))

    def change(d):
        return qedit.question_put(d, None, qedit.question_from_fields(request.POST),
                                  after=request.POST.get("after") or None)

    def refused(error):
        context = _question_context(request, q, None, typed=request.POST, error=error)
        return _retarget(render(request, QUESTION_FORM, context), "#cau-moi")

    return _apply(request, q, change, refused=refused)


@login_required
@require_POST
def question_remove(request, public_id: str, code: str):
    q = _writable(request, public_id)
    _question(q, code)
    return _apply(request, q, lambda d: qedit.question_remove(d, code),
                  refused=lambda error: _editor(request, q, error=error))


@login_required
@require_POST
def question_move(request, public_id: str, code: str):
    q = _writable(request, public_id)
    _question(q, code)
    delta = -1 if request.POST.get("huong") == "len" else 1
    return _apply(request, q, lambda d: qedit.question_move(d, code, delta),
                  refused=lambda error: _editor(request, q, error=error))


# -- elements and settings -----------------------------------------------------------------------------

@login_required
@require_POST
def element_save(request, public_id: str):
    q = _writable(request, public_id)
    old = request.POST.get("old_code") or None

    def change(d):
        return qedit.element_put(d, old, qedit.element_from_fields(request.POST), request.POST.get("weight", ""))

    def refused(error):
        typed = {k: request.POST.get(k, "") for k in ("code", "name", "criterion", "weight")}
        context = {**_context(request, q), "e": {**typed, "old": old or ""}, "element_error": error}
        return _retarget(render(request, ELEMENT, context), f"#yt-{old or 'moi'}")

    return _apply(request, q, change, refused=refused)


@login_required
@require_POST
def element_remove(request, public_id: str):
    q = _writable(request, public_id)
    code = request.POST.get("old_code", "")
    return _apply(request, q, lambda d: qedit.element_remove(d, code),
                  refused=lambda error: _editor(request, q, error=error))


@login_required
@require_POST
def settings_save(request, public_id: str):
    q = _writable(request, public_id)

    def refused(error):
        typed = {k: request.POST.get(k, "") for k in ("title", "intro", "audience", "framework", "scale", "method",
                                                       "favourable")}
        context = {**_context(request, q), "typed": typed, "settings_error": error}
        return _retarget(render(request, SETTINGS, context), "#cai-dat")

    return _apply(request, q, lambda d: qedit.settings_put(d, request.POST), refused=refused)
