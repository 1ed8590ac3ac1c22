"""Coordinator pages: importing a published PAPI table, choosing what the public results page shows."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from chiso.common.errors import ServiceError
from chiso.common.uploads import upload_bytes
from chiso.frameworks.models import IndexKind
from chiso.scores.models import Assessment, PublishedResult
from chiso.units.models import UnitKind

from . import jobs, services
from .models import PapiImportState, Publication
from .policies import can_manage_surveys, require_permission
from .views import _errors, _province

PUBLIC_LEVELS = [UnitKind.PROVINCE, UnitKind.DEPARTMENT, UnitKind.DISTRICT, UnitKind.COMMUNE]


@login_required
def papi_import(request):
    require_permission(can_manage_surveys(request.user))
    errors: list[str] = []
    year = request.POST.get("year") or str(timezone.localdate().year - 1)
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            year_value = int(year)
            if not 2018 <= year_value <= 2100:
                raise ValueError
        except ValueError:
            errors = [f"Năm “{year}” không hợp lệ (PAPI 8 nội dung có từ năm 2018)."]
        else:
            if upload is None:
                errors = ["Chưa chọn tệp bảng PAPI (CSV, Excel, Word, PDF)."]
            elif jobs.is_document(upload.name):  # a document is read by the worker, never here
                try:
                    job = jobs.papi_import_start(actor=request.user, year=year_value, upload=upload)
                except ServiceError as exc:
                    errors = _errors(exc)
                else:
                    return redirect("surveys:papi_job", job.public_id)
            else:
                try:
                    report = services.papi_results_import(actor=request.user, year=year_value,
                                                          content=upload_bytes(upload), file_name=upload.name)
                except ServiceError as exc:
                    errors = _errors(exc)
                else:
                    messages.success(request, f"Đã nạp PAPI {year_value}: {report.lines} tỉnh, thành phố "
                                              f"({report.matched} khớp với danh mục); kết quả chi tiết của "
                                              f"{len(report.assessments)} tỉnh trong phạm vi của anh/chị.")
                    for name in report.unmatched[:10]:
                        messages.warning(request, f"Không khớp tên tỉnh “{name}”: dòng này chỉ vào bảng xếp hạng.")
                    if report.assessments:
                        return redirect(reverse("analysis:gap", args=[report.assessments[0].public_id]))
                    return redirect(reverse("analysis:table", args=[report.table.public_id]))
    recent = (PublishedResult.objects.filter(index=IndexKind.PAPI).values_list("year", flat=True)
              .distinct().order_by("-year"))
    own = (Assessment.objects.filter(version__framework__index=IndexKind.PAPI, unit=_province(request.user))
           .order_by("-year") if _province(request.user) else [])
    return render(request, "surveys/papi_import.html", {"errors": errors, "year": year, "years": list(recent),
                                                         "own": own}, status=422 if errors else 200)


@login_required
def papi_job(request, public_id):
    """A document being read and loaded by the worker: the page follows it (htmx, every second)
    until it is loaded or says why not; "Thử lại" after a failure of the machinery."""
    require_permission(can_manage_surveys(request.user))
    job = get_object_or_404(jobs.papi_imports_of(request.user), public_id=public_id)
    if request.method == "POST":
        try:
            job = jobs.papi_import_retry(actor=request.user, job=job)
        except ServiceError as exc:
            messages.error(request, exc.message)
        return redirect("surveys:papi_job", job.public_id)
    outcome = job.outcome or {}
    context = {"job": job, "outcome": outcome, "done": job.state == PapiImportState.DONE}
    if outcome.get("assessments"):
        context["gap_url"] = reverse("analysis:gap", args=[outcome["assessments"][0]])
    if outcome.get("table"):
        context["table_url"] = reverse("analysis:table", args=[outcome["table"]])
    return render(request, "surveys/papi_job.html#status" if request.htmx else "surveys/papi_job.html", context)


@login_required
def publication_settings(request):
    require_permission(can_manage_surveys(request.user))
    province = _province(request.user)
    if province is None:
        require_permission(False, "Tài khoản chưa gắn với một tỉnh.")
    publication, _ = Publication.objects.get_or_create(owner=province)
    errors: list[str] = []
    if request.method == "POST":
        try:
            years = [int(y) for y in request.POST.get("years", "").replace(";", ",").split(",") if y.strip()]
        except ValueError:
            errors = ["Năm công bố ghi các năm cách nhau bởi dấu phẩy, ví dụ 2023, 2024."]
        else:
            try:
                publication = services.publication_save(
                    actor=request.user, owner=province, enabled=request.POST.get("enabled") == "1",
                    indices=request.POST.getlist("indices"), years=years, levels=request.POST.getlist("levels"),
                    revision=int(request.POST.get("revision", "-1") or -1))
            except ServiceError as exc:
                errors = _errors(exc)
            else:
                messages.success(request, "Đã lưu cài đặt trang công khai.")
                return redirect("surveys:publication")
    return render(request, "surveys/publication.html", {
        "pub": publication, "errors": errors, "indices": IndexKind.choices,
        "levels": [(k.value, k.label) for k in PUBLIC_LEVELS],
        "public_url": request.build_absolute_uri(reverse("public:results", args=[publication.slug])),
    }, status=422 if errors else 200)
