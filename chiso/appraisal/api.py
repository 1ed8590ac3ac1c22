"""API of the province's own index under /api/appraisals/: frameworks, cycles, assessments (a unit's
sheet), self-scores, appraisal scores, survey points, results — through the same services and
policies as the pages (404 outside the user's scope, 403 without the role, 409 on a stale version,
422 with the reasons when the data is refused)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from chiso.common.errors import ServiceError
from chiso.units.models import Unit

from . import selectors, services
from .models import CriterionDetail, Entry
from .policies import (cycles_visible_to, frameworks_visible_to, manages, sees_results, seat, sheet_access,
                       visible_cycle_or_404, visible_sheet_or_404)

router = Router(tags=["Chỉ số CCHC nội bộ: tự đánh giá, thẩm định, xếp hạng"])


class CriterionOut(Schema):
    code: str
    name: str
    max_points: Decimal
    method: str
    guidance: str
    evidence_required: bool
    unit_kinds: list[str]


class FrameworkOut(Schema):
    id: str
    group: str
    year: int
    revision: int
    total_points: Decimal
    thresholds: list[list[str]]
    criteria: list[CriterionOut] | None = None


class CycleOut(Schema):
    id: str
    framework_id: str
    name: str
    state: str
    self_due: dt.date
    appraisal_due: dt.date
    explanation_due: dt.date
    publish_on: dt.date
    decision_number: str


class AssessmentOut(Schema):
    id: str
    cycle_id: str
    unit: str
    state: str
    late: bool
    version: int
    self_points: Decimal
    points: Decimal
    max_points: Decimal
    index: Decimal | None


class ScoreOut(Schema):
    code: str
    applicable: bool
    self_score: Decimal | None
    explanation: str
    score: Decimal | None
    difference: Decimal | None
    comment: str
    evidence: int
    version: int


class AssessmentDetail(AssessmentOut):
    scores: list[ScoreOut]


class SelfScoreIn(Schema):
    version: int
    applicable: bool = True
    self_score: Decimal | None = None
    explanation: str = ""


class AppraisalScoreIn(Schema):
    version: int
    score: Decimal | None = None
    comment: str = ""
    applicable: bool | None = None


class VersionIn(Schema):
    version: int


class PointIn(Schema):
    unit_id: str
    code: str
    points: Decimal | None


class ResultOut(Schema):
    unit: str
    rank: int | None
    self_points: Decimal
    points: Decimal
    max_points: Decimal
    index: Decimal | None
    classification: str
    change: Decimal | None
    improvement_rank: int | None


def framework_out(fw, *, criteria: bool = False) -> dict:
    out = {"id": fw.public_id, "group": fw.group, "year": fw.year, "revision": fw.revision,
           "total_points": fw.version.total_points, "thresholds": fw.thresholds}
    if criteria:
        details = {d.criterion_id: d for d in CriterionDetail.objects.filter(criterion__version=fw.version)}
        out["criteria"] = [{"code": c.code, "name": c.name, "max_points": c.max_points, "method": c.method,
                            "guidance": details[c.pk].guidance if c.pk in details else "",
                            "evidence_required": details[c.pk].evidence_required if c.pk in details else False,
                            "unit_kinds": details[c.pk].unit_kinds if c.pk in details else []}
                           for c in fw.version.criteria.order_by("position")]
    return out


def cycle_out(c) -> dict:
    return {"id": c.public_id, "framework_id": c.framework.public_id, "name": c.name, "state": c.state,
            "self_due": c.self_due, "appraisal_due": c.appraisal_due, "explanation_due": c.explanation_due,
            "publish_on": c.publish_on, "decision_number": c.decision_number}


def assessment_out(sheet, *, detail: bool = False) -> dict:
    entries = list(sheet.entries.select_related("criterion").order_by("criterion__position"))
    own = selectors.unit_index(selectors.index_lines(entries, appraised=False))
    result = selectors.unit_index(selectors.index_lines(entries))
    out = {"id": sheet.public_id, "cycle_id": sheet.cycle.public_id, "unit": sheet.unit.name, "state": sheet.state,
           "late": sheet.late, "version": sheet.version, "self_points": own.points, "points": result.points,
           "max_points": result.max_points, "index": selectors.round_index(result.index)}
    if detail:
        counts = {}
        for entry_id in sheet.entries.filter(evidence__removed_at__isnull=True, evidence__isnull=False) \
                .values_list("pk", flat=True):
            counts[entry_id] = counts.get(entry_id, 0) + 1
        out["scores"] = [{"code": e.criterion.code, "applicable": e.applicable, "self_score": e.self_score,
                          "explanation": e.explanation, "score": e.score, "difference": e.difference,
                          "comment": e.comment, "evidence": counts.get(e.pk, 0), "version": e.version}
                         for e in entries]
    return out


def _entry(sheet, code: str) -> Entry:
    return get_object_or_404(Entry.objects.select_related("criterion", "sheet__cycle__framework", "sheet__unit"),
                             sheet=sheet, criterion__code=code)


@router.get("/appraisals/frameworks", response=list[FrameworkOut], summary="Bộ chỉ số nội bộ của tỉnh")
def list_appraisal_frameworks(request):
    return [framework_out(fw) for fw in frameworks_visible_to(request.user)]


@router.get("/appraisals/frameworks/{framework_id}", response=FrameworkOut, summary="Một bộ chỉ số, với các tiêu chí")
def get_appraisal_framework(request, framework_id: str):
    return framework_out(get_object_or_404(frameworks_visible_to(request.user), public_id=framework_id), criteria=True)


@router.get("/appraisals/cycles", response=list[CycleOut], summary="Các đợt đánh giá anh/chị được xem")
def list_appraisal_cycles(request):
    return [cycle_out(c) for c in cycles_visible_to(request.user)]


@router.get("/appraisals/cycles/{cycle_id}/assessments", response=list[AssessmentOut],
            summary="Phiếu của các đơn vị trong đợt (chỉ những phiếu anh/chị được xem)")
def list_appraisal_assessments(request, cycle_id: str):
    cycle = visible_cycle_or_404(request.user, cycle_id)
    member = seat(request.user, cycle)
    sheets = [s for s in cycle.sheets.select_related("unit", "cycle__framework")
              if sheet_access(request.user, s, member).read]
    return [assessment_out(s) for s in sheets]


@router.get("/appraisals/assessments/{assessment_id}", response=AssessmentDetail,
            summary="Phiếu tự đánh giá và thẩm định của một đơn vị")
def get_appraisal_assessment(request, assessment_id: str):
    sheet, _, _ = visible_sheet_or_404(request.user, assessment_id)
    return assessment_out(sheet, detail=True)


@router.put("/appraisals/assessments/{assessment_id}/self-scores/{code}", response=ScoreOut,
            summary="Lưu điểm tự đánh giá, giải trình của một tiêu chí (cán bộ, lãnh đạo đơn vị)",
            description="`version` là phiên bản của tiêu chí khi đọc; đã bị sửa sau đó thì trả 409, không ghi đè.")
def save_self_score(request, assessment_id: str, code: str, data: SelfScoreIn):
    sheet, _, _ = visible_sheet_or_404(request.user, assessment_id)
    services.entry_save(actor=request.user, entry=_entry(sheet, code), version=data.version,
                                data=services.SelfInput(data.applicable, data.self_score, data.explanation))
    return _score(sheet, code)


def _score(sheet, code):
    return next(s for s in assessment_out(sheet, detail=True)["scores"] if s["code"] == code)


@router.put("/appraisals/assessments/{assessment_id}/appraisal-scores/{code}", response=ScoreOut,
            summary="Lưu điểm thẩm định, ý kiến của một tiêu chí (thành viên Hội đồng)")
def save_appraisal_score(request, assessment_id: str, code: str, data: AppraisalScoreIn):
    sheet, _, _ = visible_sheet_or_404(request.user, assessment_id)
    services.entry_appraise(actor=request.user, entry=_entry(sheet, code), score=data.score, comment=data.comment,
                            version=data.version, applicable=data.applicable)
    return _score(sheet, code)


@router.post("/appraisals/assessments/{assessment_id}/submit", response=AssessmentOut,
             summary="Lãnh đạo đơn vị duyệt và gửi phiếu (khoá phiếu)")
def submit_appraisal_assessment(request, assessment_id: str, data: VersionIn):
    sheet, _, _ = visible_sheet_or_404(request.user, assessment_id)
    return assessment_out(services.sheet_submit(actor=request.user, sheet=sheet, version=data.version))


@router.post("/appraisals/assessments/{assessment_id}/withdraw", response=AssessmentOut,
             summary="Lãnh đạo đơn vị rút lại phiếu trước hạn tự đánh giá")
def withdraw_appraisal_assessment(request, assessment_id: str, data: VersionIn):
    sheet, _, _ = visible_sheet_or_404(request.user, assessment_id)
    return assessment_out(services.sheet_withdraw(actor=request.user, sheet=sheet, version=data.version))


@router.post("/appraisals/cycles/{cycle_id}/survey-points", response=dict,
             summary="Nhập điểm điều tra XHH, số liệu thống kê theo đơn vị và tiêu chí (Sở Nội vụ)")
def set_survey_points(request, cycle_id: str, rows: list[PointIn]):
    cycle = visible_cycle_or_404(request.user, cycle_id)
    units = {u.public_id: u for u in Unit.objects.filter(public_id__in=[r.unit_id for r in rows],
                                                         root_id=cycle.framework.province_id)}
    missing = [r.unit_id for r in rows if r.unit_id not in units]
    if missing and manages(request.user, cycle.framework.province_id):
        raise ServiceError("Chưa lưu điểm.", details=[f"Không có đơn vị mã {m} trong tỉnh." for m in missing])
    written = services.survey_points_set(actor=request.user, cycle=cycle,
                                         rows=[services.PointRow(units[r.unit_id], r.code, r.points, f"dòng {i}")
                                               for i, r in enumerate(rows, start=1) if r.unit_id in units])
    return {"written": written}


@router.get("/appraisals/cycles/{cycle_id}/results", response=list[ResultOut],
            summary="Kết quả: điểm, chỉ số, xếp hạng, xếp loại, tăng/giảm, hạng cải thiện")
def get_appraisal_results(request, cycle_id: str):
    cycle = visible_cycle_or_404(request.user, cycle_id)
    if not sees_results(request.user, cycle):
        raise Http404
    return [{"unit": line.sheet.unit.name, "rank": line.rank, "self_points": line.self_result.points,
             "points": line.result.points, "max_points": line.result.max_points,
             "index": selectors.round_index(line.result.index), "classification": line.classification,
             "change": line.change, "improvement_rank": line.improvement_rank} for line in selectors.results(cycle)]
