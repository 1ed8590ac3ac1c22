"""Plans (kế hoạch nâng cao chỉ số): items per criterion, tasks, and who does them."""
from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from chiso.common.models import POINTS, PublicIdModel
from chiso.core.text import fold


class SourceDocument(PublicIdModel):
    """The document a plan was read from, with what the reader made of it."""

    file_name = models.CharField("Tên tệp", max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveBigIntegerField(default=0)
    file = models.FileField(upload_to="documents/%Y/", null=True, blank=True)
    reading = models.JSONField("Kết quả đọc", default=dict)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.file_name


class PlanState(models.TextChoices):
    """The life of a plan written in chiso: a draft (or an amendment being drafted), submitted to
    the leader, issued. A loaded plan is an issued document."""

    DRAFT = "draft", "Dự thảo"
    SUBMITTED = "submitted", "Đã trình lãnh đạo"
    ISSUED = "issued", "Đã ban hành"


class PlanOrigin(models.TextChoices):
    LOADED = "loaded", "Nạp từ tài liệu"
    RESULTS = "results", "Lập từ kết quả chấm điểm"
    PREVIOUS = "previous", "Sao từ kế hoạch năm trước"
    BLANK = "blank", "Lập mới theo bộ chỉ số"


class LiveManager(models.Manager):
    """Rows not removed: what every page, report and export reads. A removed row (deleted while
    writing, or left out by an amendment) is kept with its reports for undo and for the record;
    `with_removed` reads it."""

    def get_queryset(self):
        return super().get_queryset().filter(removed_at__isnull=True)


class Removable(models.Model):
    """Soft removal: rows removed together share `removal`, so one undo brings them all back."""

    removed_at = models.DateTimeField(null=True, blank=True, editable=False)
    removal = models.CharField(max_length=16, blank=True, editable=False, db_index=True)

    objects = LiveManager()
    with_removed = models.Manager()

    class Meta:
        abstract = True


class Plan(PublicIdModel):
    issuer = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="plans", verbose_name="Cơ quan ban hành")
    number = models.CharField("Số hiệu", max_length=64, blank=True)
    date = models.DateField("Ngày ban hành", null=True, blank=True)
    # As printed: "2024-07-18", or "2025-09" / "2023" when the day or month is blank.
    date_text = models.CharField(max_length=10, blank=True)
    title = models.TextField("Tên kế hoạch")
    first_year = models.PositiveSmallIntegerField("Từ năm")
    last_year = models.PositiveSmallIntegerField("Đến năm")
    source = models.ForeignKey(SourceDocument, null=True, blank=True, on_delete=models.SET_NULL, related_name="plans")
    # Hash of the loaded plan-table JSON: loading the same reading again changes nothing.
    content_hash = models.CharField(max_length=64, unique=True)
    versions = models.ManyToManyField("frameworks.FrameworkVersion", blank=True, related_name="plans")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField("Tình trạng", max_length=16, choices=PlanState.choices, default=PlanState.ISSUED)
    origin = models.CharField("Nguồn", max_length=16, choices=PlanOrigin.choices, default=PlanOrigin.LOADED)
    # The edition being written or last issued: 1 the plan itself, 2… its amendments.
    edition = models.PositiveSmallIntegerField("Lần ban hành", default=1)
    based_on = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="next_plans",
                                 verbose_name="Kế hoạch năm trước")
    results = models.ForeignKey("scores.Assessment", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="plans", verbose_name="Kết quả làm căn cứ")
    # the body of the document (NĐ 30): I. mục đích, yêu cầu … III. tổ chức thực hiện
    purpose = models.TextField("Mục đích", blank=True)
    requirements = models.TextField("Yêu cầu", blank=True)
    organization = models.TextField("Tổ chức thực hiện", blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    leader_comment = models.TextField("Ý kiến của lãnh đạo", blank=True)
    amendment_reason = models.TextField("Lý do điều chỉnh, bổ sung", blank=True)
    # Optimistic locking of the heading and the state: each change increments it.
    version = models.PositiveIntegerField(default=1)
    search_text = models.TextField(blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        ordering = ["-first_year", "issuer__name"]

    def save(self, *args, **kwargs):
        self.search_text = fold(f"{self.number} {self.title}")
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return self.title

    @property
    def years_label(self) -> str:
        if self.first_year == self.last_year:
            return str(self.first_year)
        return f"{self.first_year}–{self.last_year}"

    @property
    def is_draft(self) -> bool:
        return self.state == PlanState.DRAFT

    @property
    def is_amendment(self) -> bool:
        return self.edition > 1


def signed_path(instance: "PlanEdition", filename: str) -> str:
    return f"plans/{instance.plan.public_id}/{instance.public_id}.pdf"


class EditionKind(models.TextChoices):
    ORIGINAL = "original", "Ban hành"
    AMENDMENT = "amendment", "Điều chỉnh, bổ sung"


class PlanEdition(PublicIdModel):
    """One issued document of a plan — the plan, then each amendment (kế hoạch điều chỉnh, bổ
    sung) — with its number, date, the signed PDF and what the plan held when it was issued."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="editions")
    seq = models.PositiveSmallIntegerField("Lần ban hành")
    kind = models.CharField(max_length=16, choices=EditionKind.choices, default=EditionKind.ORIGINAL)
    number = models.CharField("Số hiệu", max_length=64, blank=True)
    date = models.DateField("Ngày ban hành", null=True, blank=True)
    reason = models.TextField("Lý do điều chỉnh", blank=True)
    signed_pdf = models.FileField("Bản có chữ ký (PDF)", upload_to=signed_path, blank=True, max_length=255)
    pdf_name = models.CharField(max_length=255, blank=True)
    pdf_size = models.PositiveBigIntegerField(default=0)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    # the plan as issued: chiso.plans.snapshot (tables, rows, targets, tasks, agencies, deadlines)
    snapshot = models.JSONField(default=dict)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    issued_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["snapshot"])

    class Meta:
        ordering = ["plan", "seq"]
        constraints = [models.UniqueConstraint(fields=["plan", "seq"], name="plan_edition_unique")]

    def __str__(self) -> str:
        return f"{self.plan} ({self.get_kind_display()} {self.number})"

    @property
    def label(self) -> str:
        head = "Kế hoạch" if self.kind == EditionKind.ORIGINAL else f"Điều chỉnh lần {self.seq - 1}"
        number = f" số {self.number}" if self.number else ""
        return f"{head}{number}" + (f" ngày {self.date:%d/%m/%Y}" if self.date else "")


class PlanTable(models.Model):
    """One index table of a plan (PAR INDEX, SIPAS, PAPI)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tables")
    position = models.PositiveSmallIntegerField(default=0)
    index = models.CharField("Chỉ số", max_length=16)
    caption = models.TextField("Tiêu đề", blank=True)
    version = models.ForeignKey("frameworks.FrameworkVersion", null=True, blank=True, on_delete=models.PROTECT)
    columns = models.JSONField(default=list)
    printed_total = models.JSONField(default=list)
    warnings = models.JSONField(default=list)

    class Meta:
        ordering = ["plan", "position"]


class MatchStatus(models.TextChoices):
    MATCHED = "matched", "Khớp bộ chỉ số"
    NAME_MISMATCH = "name_mismatch", "Mã khớp nhưng tên khác"
    UNKNOWN_CODE = "unknown_code", "Mã không có trong bộ chỉ số"
    NO_CODE = "no_code", "Không có mã"
    NO_FRAMEWORK = "no_framework", "Chưa có bộ chỉ số"


class PlanItem(PublicIdModel, Removable):
    """A row of the plan's table: a field, criterion or sub-criterion (or a free row)."""

    table = models.ForeignKey(PlanTable, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField(default=0)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    code = models.CharField("STT", max_length=32, blank=True)
    # the number as printed where it differs from `code` (roman-numbered fields: "VIII" → "8")
    printed_code = models.CharField("STT in trong tài liệu", max_length=32, blank=True)
    level = models.PositiveSmallIntegerField(default=1)
    name = models.TextField("Lĩnh vực, tiêu chí")
    criterion = models.ForeignKey("frameworks.Criterion", null=True, blank=True, on_delete=models.PROTECT, related_name="plan_items")
    match_status = models.CharField(max_length=16, choices=MatchStatus.choices, default=MatchStatus.NO_FRAMEWORK)
    max_points = models.DecimalField("Điểm tối đa", null=True, blank=True, **POINTS)
    baseline = models.DecimalField("Điểm năm trước", null=True, blank=True, **POINTS)
    baseline_year = models.CharField(max_length=9, blank=True)
    reason = models.TextField("Lý do bị trừ điểm", blank=True)
    note = models.TextField("Ghi chú", blank=True)
    version = models.PositiveIntegerField(default=1)
    search_text = models.TextField(blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        ordering = ["table", "position"]

    def save(self, *args, **kwargs):
        self.search_text = fold(f"{self.code} {self.name} {self.reason}")
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return f"{self.code} {self.name}".strip()

    @property
    def display_code(self) -> str:
        return self.printed_code or self.code

    @property
    def lost(self) -> Decimal | None:
        if self.max_points is None or self.baseline is None:
            return None
        return self.max_points - self.baseline


class ValueKey(models.TextChoices):
    MAX_POINTS = "max_points", "Điểm tối đa"
    ACHIEVED = "achieved", "Điểm đạt được"
    APPRAISED = "appraised", "Điểm thẩm định"
    DEDUCTED = "deducted", "Điểm bị trừ"
    TARGET = "target", "Mục tiêu"


class ItemValue(models.Model):
    """Every number printed in a row, kept as printed (a range keeps both ends)."""

    item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="values")
    key = models.CharField(max_length=16, choices=ValueKey.choices)
    year = models.CharField(max_length=9, blank=True)
    value = models.DecimalField(**POINTS)
    value_high = models.DecimalField(null=True, blank=True, **POINTS)
    history = HistoricalRecords()

    class Meta:
        ordering = ["item", "key", "year"]


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Chưa thực hiện"
    IN_PROGRESS = "in_progress", "Đang thực hiện"
    DONE = "done", "Hoàn thành"
    DELAYED = "delayed", "Chậm tiến độ"
    BLOCKED = "blocked", "Không thực hiện được"


class DeadlineKind(models.TextChoices):
    DATE = "date", "Hạn ngày"
    PERIOD = "period", "Trong khoảng thời gian"
    RECURRING = "recurring", "Thường xuyên"
    CENTRAL = "central", "Theo thời hạn của Trung ương"
    UNPARSED = "unparsed", "Chưa xác định"
    NONE = "", "Không ghi"


class Task(PublicIdModel, Removable):
    item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="tasks")
    position = models.PositiveIntegerField(default=0)
    text = models.TextField("Nhiệm vụ, giải pháp")
    deliverable = models.TextField("Sản phẩm", blank=True)
    deadline_text = models.TextField("Thời gian thực hiện", blank=True)
    deadline_kind = models.CharField(max_length=16, choices=DeadlineKind.choices, blank=True)
    due_date = models.DateField("Hạn hoàn thành", null=True, blank=True)
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    recurring = models.BooleanField(default=False)
    deadline_flagged = models.BooleanField("Thời hạn chưa hiểu được", default=False)
    status = models.CharField("Trạng thái", max_length=16, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED)
    # copied from last year's plan: the task it continues, and why it should be looked at again
    copied_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies")
    review_note = models.CharField("Cần xem lại", max_length=255, blank=True)
    version = models.PositiveIntegerField(default=1)
    search_text = models.TextField(blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        # the plan by its key: "item__table__plan" would follow Plan's ordering and join the issuer
        ordering = ["item__table__plan_id", "item__table__position", "item__position", "position"]

    def save(self, *args, **kwargs):
        self.search_text = fold(f"{self.text} {self.deliverable}")
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return self.text[:80]


class AssignmentRole(models.TextChoices):
    LEAD = "lead", "Chủ trì"
    COORDINATING = "coordinating", "Phối hợp"
    IMPLEMENTING = "implementing", "Thực hiện"
    MONITORING = "monitoring", "Theo dõi"
    RESPONSIBLE = "responsible", "Trách nhiệm thực hiện"


ROLE_ORDER = {role: i for i, role in enumerate(AssignmentRole.values)}


class Assignment(PublicIdModel, Removable):
    """A unit (or a group such as "các sở, ban, ngành") in one role on a task."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="assignments")
    role = models.CharField(max_length=16, choices=AssignmentRole.choices)
    # Lead first, then coordinating...: the order documents print roles in.
    role_order = models.PositiveSmallIntegerField(default=0, editable=False)
    unit = models.ForeignKey("units.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="assignments")
    group = models.CharField(max_length=32, blank=True)
    text = models.CharField("Nguyên văn", max_length=500)
    position = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["task", "role_order", "position"]
        indexes = [models.Index(fields=["unit", "role"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(unit__isnull=False) | ~models.Q(group=""), name="assignment_unit_or_group"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.unit or self.text}"

    def save(self, *args, **kwargs):
        self.role_order = ROLE_ORDER.get(self.role, 99)
        super().save(*args, **kwargs)


def template_path(instance: "PlanDocumentTemplate", filename: str) -> str:
    return f"plan-templates/{instance.public_id}.docx"


class PlanDocumentTemplate(PublicIdModel):
    """A province's own Word template of the plan's body (docxtpl tags, chiso.plans.documents);
    the latest one uploaded is used, the earlier ones are kept."""

    owner = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="plan_templates",
                              verbose_name="Tỉnh")
    file = models.FileField("Mẫu văn bản", upload_to=template_path, max_length=255)
    file_name = models.CharField("Tên tệp", max_length=255)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["owner", "-uploaded_at"]

    def __str__(self) -> str:
        return self.file_name
