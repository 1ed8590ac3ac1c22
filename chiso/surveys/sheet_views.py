"""A questionnaire round-trips through Excel: downloaded as a workbook (chiso.common.office), edited,
uploaded back (bounded, read in a child process), previewed as the changes it makes, then saved.

Between the preview and the save the definition read travels in the page, signed, with the
revision it was read against: nothing is stored for a preview nobody confirms, and a
questionnaire saved by someone else meanwhile refuses the stale upload."""
from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from chiso.common import office
from chiso.common.errors import ConflictError, ServiceError
from chiso.common.uploads import spreadsheet_rows, upload_bytes
from chiso.core import questionnaire_sheets as qs

from . import services
from .policies import can_manage_surveys, questionnaire_or_404, require_permission

MAX_BYTES = 2 * 1024 * 1024  # a questionnaire of 200 questions is some 60 KB
SALT = "chiso.surveys.questionnaire-upload"
WIDTHS = {"Nội dung câu hỏi": 60, "Các lựa chọn (mỗi dòng: mã | nhãn)": 40, "Giá trị": 80, "Tên yếu tố": 50,
          "Nhãn": 30, "Lời giới thiệu": 80}


def questionnaire_book(definition: dict) -> bytes:
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    from chiso.core import questionnaire as qdef

    book = office.new_workbook(keep_first_sheet=False)
    for name, rows in qs.to_sheets(definition).items():
        ws = book.create_sheet(name)
        for row in rows:
            for cell in office.append_row(ws, row):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        for cell in ws[1]:
            cell.font = Font(bold=True)
            ws.column_dimensions[cell.column_letter].width = WIDTHS.get(str(cell.value), 16)
        office.sheet_print_setup(ws, header_row=1)
        if name == qs.QUESTIONS:  # the kind and the fact chosen from a list, as the form knows them
            for key, labels in (("kind", qdef.KINDS), ("fact", qdef.FACTS)):
                column = [k for k, _ in qs.QUESTION_COLUMNS].index(key) + 1
                letter = ws.cell(row=1, column=column).column_letter
                rule = DataValidation(type="list", formula1='"' + ",".join(labels.values()) + '"', allow_blank=True)
                rule.add(f"{letter}2:{letter}500")
                ws.add_data_validation(rule)
    return office.workbook_bytes(book)


@login_required
def questionnaire_xlsx(request, public_id: str):
    q = questionnaire_or_404(request.user, public_id)
    response = HttpResponse(questionnaire_book(q.definition), content_type=office.XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="phieu-{q.code}-v{q.version}.xlsx"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def questionnaire_upload(request, public_id: str):
    """GET: the upload form. POST: the workbook read and checked; the preview of its changes, or
    every problem with its sheet, row and column (422)."""
    q = questionnaire_or_404(request.user, public_id)
    require_permission(can_manage_surveys(request.user))
    context = {"q": q, "errors": [], "changes": None}
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise ServiceError("Chưa chọn tệp Excel để tải lên.")
            if Path(upload.name or "").suffix.lower() not in {".xlsx", ".xls", ".ods"}:
                raise ServiceError(f"{upload.name}: chỉ nhận tệp Excel (.xlsx, .xls) hoặc .ods.")
            rows = spreadsheet_rows(upload_bytes(upload, limit=MAX_BYTES), upload.name)
            definition, problems = qs.from_sheets(rows, q.definition)
            if problems:
                raise ServiceError(f"{upload.name}: chưa đọc được phiếu, có {len(problems)} lỗi. Chưa lưu gì.",
                                   details=problems)
        except ServiceError as exc:
            context["errors"] = [exc.message, *exc.details]
            return render(request, "surveys/questionnaire_upload.html", context, status=422)
        context.update(changes=qs.changes(q.definition, definition), file_name=upload.name,
                       payload=signing.dumps({"q": q.public_id, "r": q.revision, "d": definition}, salt=SALT,
                                             compress=True))
    return render(request, "surveys/questionnaire_upload.html", context)


@login_required
@require_POST
def questionnaire_upload_save(request, public_id: str):
    q = questionnaire_or_404(request.user, public_id)
    require_permission(can_manage_surveys(request.user))
    try:
        payload = signing.loads(request.POST.get("payload", ""), salt=SALT, max_age=6 * 3600)
    except signing.BadSignature:
        messages.error(request, "Bản xem trước đã quá hạn hoặc không hợp lệ: hãy tải tệp lên lại. Chưa lưu gì.")
        return redirect("surveys:questionnaire_upload", q.public_id)
    if payload.get("q") != q.public_id:
        messages.error(request, "Bản xem trước thuộc phiếu khác: hãy tải tệp lên lại. Chưa lưu gì.")
        return redirect("surveys:questionnaire_upload", q.public_id)
    try:
        saved = services.questionnaire_save(actor=request.user, questionnaire=q, definition=payload["d"],
                                            revision=payload["r"])
    except ConflictError as exc:
        messages.error(request, exc.message + " Hãy tải tệp lên lại.")
        return redirect("surveys:questionnaire_upload", q.public_id)
    except ServiceError as exc:
        for line in [exc.message, *exc.details]:
            messages.error(request, line)
        return redirect("surveys:questionnaire_upload", q.public_id)
    if saved.pk != q.pk:
        messages.success(request, f"Phiên bản {q.version} đang được dùng nên nội dung từ Excel được lưu thành phiên "
                                  f"bản {saved.version}.")
    else:
        messages.success(request, "Đã lưu phiếu theo tệp Excel.")
    return redirect("surveys:questionnaire_edit", saved.public_id)
