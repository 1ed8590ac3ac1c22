"""The progress demo step: "Quý IV/2025" open on the Đắk Lắk 2025 plan, with reports in every state.

Sở Tư pháp's officer (demo login stp.daklak) has one accepted report (with a PDF), one waiting
for review, one sent back, one draft and one still to write; an officer of Sở Nội vụ
(canbo.snv.daklak) writes the reports of the many tasks Sở Nội vụ leads. Idempotent: run again,
it changes nothing.
"""
from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

PERIOD = ("Quý IV/2025", dt.date(2025, 10, 1), dt.date(2025, 12, 31), dt.date(2025, 12, 15))
OFFICER = ("canbo.snv.daklak", "Đỗ Thị Hoa (cán bộ Sở Nội vụ Đắk Lắk)")
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
       b"trailer<</Root 1 0 R>>\n%%EOF\n")
# (criterion code, status, percent, what was done, reason, final state, review comment)
REPORTS = [
    ("2.1", "done", 100, "Đã ban hành Kế hoạch theo dõi thi hành pháp luật năm 2025 và tổ chức kiểm tra 6 cơ quan.",
     "", "accepted", ""),
    ("2.2", "in_progress", 70, "Đã rà soát 124 văn bản quy phạm pháp luật; đang tổng hợp kết quả.", "", "submitted", ""),
    ("2.3", "delayed", 40, "Đã xây dựng dự thảo báo cáo.", "Chờ số liệu của UBND cấp xã sau sắp xếp đơn vị hành chính.",
     "returned", "Đề nghị bổ sung danh sách xã chưa gửi số liệu và thời hạn hoàn thành dự kiến."),
    ("2.4", "in_progress", 20, "Đang lấy ý kiến các sở, ngành.", "", "draft", ""),
]


def load_progress_demo(out) -> None:
    from chiso.accounts.models import Role, User
    from chiso.plans.models import Task
    from chiso.progress import services
    from chiso.progress.models import ProgressReport, ReportingPeriod
    from chiso.units.models import Unit

    from chiso.plans.models import Plan

    plan = Plan.objects.filter(issuer__name="Đắk Lắk", first_year=2025, last_year=2025).order_by("pk").first()
    coordinator = User.objects.filter(username="snv.daklak").first()
    if plan is None or coordinator is None:
        out("Theo dõi thực hiện: chưa có kế hoạch Đắk Lắk 2025 hoặc tài khoản snv.daklak, bỏ qua.")
        return
    home_affairs = Unit.objects.filter(parent=plan.issuer, name="Sở Nội vụ").first()
    if home_affairs is not None:
        officer, created = User.objects.get_or_create(username=OFFICER[0], defaults={
            "full_name": OFFICER[1], "unit": home_affairs, "role": Role.OFFICER,
            "email": f"{OFFICER[0]}@example.invalid"})
        if created:
            from .steps import DEMO_PASSWORD

            officer.set_password(DEMO_PASSWORD)
            officer.save()
    name, start, end, due = PERIOD
    period = ReportingPeriod.objects.filter(plan=plan, name=name).first()
    if period is None:
        period = services.period_open(actor=coordinator, plan=plan, name=name, start=start, end=end, due_date=due)
    writer = User.objects.filter(username="stp.daklak").first()
    made = 0
    for code, status, percent, done, reason, state, comment in REPORTS if writer else []:
        task = (Task.objects.filter(item__table__plan=plan, item__code=code, assignments__role="lead",
                                    assignments__unit=writer.unit).order_by("position").first())
        if task is None or ProgressReport.objects.filter(period=period, task=task).exists():
            continue
        data = services.ReportInput(status, percent, done, reason)
        files = [SimpleUploadedFile(f"bao-cao-{code}.pdf", PDF)] if state == "accepted" else []
        report = services.report_save(actor=writer, period=period, task=task, data=data, version=0,
                                      submit=state != "draft", files=files)
        if state in {"accepted", "returned"}:
            services.report_review(actor=coordinator, report=report, accept=state == "accepted", comment=comment)
        made += 1
    out(f"Theo dõi thực hiện: kỳ báo cáo “{period.name}” của kế hoạch Đắk Lắk 2025 ({made} báo cáo mẫu mới); "
        f"cán bộ Sở Nội vụ Đắk Lắk: {OFFICER[0]}")
