"""Following a plan: reporting periods, progress reports, contributions, evidence, reminders.

The task's own status lives on `plans.Task.status`; accepting a report sets it.
Every model here keeps its full history (django-simple-history): who changed what, when.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from chiso.common.models import PublicIdModel
from chiso.plans.models import TaskStatus


def evidence_path(instance: "Evidence", filename: str) -> str:
    """Stored under a random name: the original name (any characters) is kept in `file_name`."""
    ext = filename.rsplit(".", 1)[-1].lower()[:8] if "." in filename else "bin"
    return f"evidence/{instance.uploaded_at_path()}/{instance.public_id}.{ext}"


class ReportingPeriod(PublicIdModel):
    """A reporting round of a plan: "Quý IV/2025", from/to, and the date reports are due."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="reporting_periods",
                             verbose_name="Kế hoạch")
    name = models.CharField("Tên kỳ báo cáo", max_length=64)
    start = models.DateField("Từ ngày")
    end = models.DateField("Đến ngày")
    due_date = models.DateField("Hạn nộp báo cáo")
    is_open = models.BooleanField("Đang mở", default=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "-start", "name"]
        constraints = [models.UniqueConstraint(fields=["plan", "name"], name="period_name_unique_per_plan")]

    def __str__(self) -> str:
        return self.name


class ReportState(models.TextChoices):
    DRAFT = "draft", "Bản nháp"
    SUBMITTED = "submitted", "Đã gửi, chờ duyệt"
    RETURNED = "returned", "Bị trả lại"
    ACCEPTED = "accepted", "Đã duyệt"


EDITABLE_STATES = {ReportState.DRAFT, ReportState.RETURNED}
NEEDS_REASON = {TaskStatus.DELAYED, TaskStatus.BLOCKED}


class ProgressReport(PublicIdModel):
    """What the lead unit reports on one task for one period."""

    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="reports")
    task = models.ForeignKey("plans.Task", on_delete=models.CASCADE, related_name="progress_reports")
    unit = models.ForeignKey("units.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name="Đơn vị báo cáo")
    state = models.CharField("Trạng thái báo cáo", max_length=16, choices=ReportState.choices,
                             default=ReportState.DRAFT)
    status = models.CharField("Tình hình thực hiện", max_length=16, choices=TaskStatus.choices,
                              default=TaskStatus.IN_PROGRESS)
    percent = models.PositiveSmallIntegerField("Tỷ lệ hoàn thành (%)", default=0)
    done = models.TextField("Kết quả thực hiện", blank=True)
    reason = models.TextField("Lý do chậm / không thực hiện được", blank=True)
    review_comment = models.TextField("Ý kiến của cơ quan thẩm định", blank=True)
    # Optimistic locking: each save increments it; a save from an older page is refused.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    # The first submission says whether the unit reported on time; a report sent back and sent
    # again keeps it (submitted_at is the latest).
    first_submitted_at = models.DateTimeField("Gửi lần đầu", null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    history = HistoricalRecords()

    class Meta:
        # by the keys, not "period", "task": those follow the related models' own orderings and
        # put ten joins into every query on reports, deletions' included (PostgreSQL once spent
        # minutes on one in the test suite)
        ordering = ["period_id", "task_id"]
        constraints = [models.UniqueConstraint(fields=["period", "task"], name="one_report_per_task_period")]
        indexes = [models.Index(fields=["period", "state"])]

    def __str__(self) -> str:
        return f"{self.period} · {self.task}"

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_STATES

    @property
    def days_late(self) -> int:
        """Days after the period's due date that the report was first sent (0: on time or not sent)."""
        sent = self.first_submitted_at or self.submitted_at
        if sent is None:
            return 0
        return max(0, (timezone.localdate(sent) - self.period.due_date).days)


class Contribution(PublicIdModel):
    """What a coordinating unit did on a task in a period (phối hợp)."""

    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="contributions")
    task = models.ForeignKey("plans.Task", on_delete=models.CASCADE, related_name="progress_contributions")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="Đơn vị")
    text = models.TextField("Nội dung phối hợp")
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["period_id", "task_id", "unit__name"]  # see ProgressReport
        constraints = [models.UniqueConstraint(fields=["period", "task", "unit"], name="one_contribution_per_unit")]


class Evidence(PublicIdModel):
    """A tài liệu kiểm chứng: an uploaded file or a link, attached to a report or a contribution.

    Removing one hides it; the file and the record are kept.
    """

    report = models.ForeignKey(ProgressReport, null=True, blank=True, on_delete=models.CASCADE,
                               related_name="evidence")
    contribution = models.ForeignKey(Contribution, null=True, blank=True, on_delete=models.CASCADE,
                                     related_name="evidence")
    file = models.FileField("Tệp", upload_to=evidence_path, blank=True, max_length=255)
    file_name = models.CharField("Tên tệp", max_length=255, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    content_type = models.CharField(max_length=100, blank=True)
    url = models.URLField("Đường dẫn", max_length=1000, blank=True)
    title = models.CharField("Mô tả", max_length=255, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(file="") | ~models.Q(url=""), name="evidence_file_or_url"),
            models.CheckConstraint(
                condition=models.Q(report__isnull=False, contribution__isnull=True)
                | models.Q(report__isnull=True, contribution__isnull=False),
                name="evidence_report_or_contribution",
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.file_name or self.url

    def uploaded_at_path(self) -> str:
        from django.utils import timezone

        return timezone.localdate().strftime("%Y/%m")

    @property
    def is_file(self) -> bool:
        return bool(self.file)


class ReminderKind(models.TextChoices):
    TASK_DUE = "task_due", "Nhiệm vụ sắp đến hạn"
    TASK_OVERDUE = "task_overdue", "Nhiệm vụ quá hạn"
    REPORT_DUE = "report_due", "Báo cáo sắp đến hạn"
    REPORT_LATE = "report_late", "Báo cáo nộp muộn"
    DIGEST = "digest", "Thư tổng hợp hằng tuần"


class ReminderLog(models.Model):
    """One reminder sent to one person: the unique key makes `send-reminders` safe to rerun."""

    kind = models.CharField(max_length=16, choices=ReminderKind.choices)
    key = models.CharField(max_length=128)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    email = models.EmailField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [models.UniqueConstraint(fields=["kind", "key", "recipient"], name="reminder_sent_once")]


class NotificationKind(models.TextChoices):
    TASK_DUE = "task_due", "Nhiệm vụ sắp đến hạn"
    TASK_OVERDUE = "task_overdue", "Nhiệm vụ quá hạn"
    REPORT_DUE = "report_due", "Báo cáo sắp đến hạn"
    REPORT_LATE = "report_late", "Báo cáo quá hạn nộp"
    REPORT_RETURNED = "report_returned", "Báo cáo bị trả lại"
    REPORT_ACCEPTED = "report_accepted", "Báo cáo đã được duyệt"


class Notification(PublicIdModel):
    """A notice inside chiso for one person (as well as the email): unread until they open it.

    The (kind, key, recipient) key makes reminders and reviews safe to repeat: the same notice is
    made once."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications",
                                  verbose_name="Người nhận")
    kind = models.CharField("Loại", max_length=16, choices=NotificationKind.choices)
    key = models.CharField(max_length=128)
    text = models.CharField("Nội dung", max_length=400)
    url = models.CharField("Đường dẫn", max_length=300, blank=True)
    created_at = models.DateTimeField("Lúc", auto_now_add=True, db_index=True)
    read_at = models.DateTimeField("Đã đọc lúc", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "Thông báo"
        verbose_name_plural = "Thông báo"
        constraints = [models.UniqueConstraint(fields=["kind", "key", "recipient"], name="notification_once")]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.text[:80]
