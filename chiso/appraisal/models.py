"""The province's own index (Bộ chỉ số CCHC nội bộ): frameworks per unit group and year, the yearly
cycle (self-assessment → appraisal → publication), the council, and each unit's entries.

The criteria tree itself is a `frameworks.FrameworkVersion` of index INTERNAL owned by the province;
`InternalFramework` adds what the province's own scoring needs (group, year, classification scale,
the lock once a cycle uses it). Every model keeps its history (django-simple-history).
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from chiso.common.models import POINTS, PublicIdModel
from chiso.units.models import UnitKind


class UnitGroup(models.TextChoices):
    DEPARTMENTS = "departments", "Sở, ban, ngành"
    DISTRICTS = "districts", "UBND cấp huyện"
    COMMUNES = "communes", "UBND xã, phường"
    # The province itself toward the ministry: its PAR INDEX self-assessment on the national framework.
    PROVINCE = "province", "Tỉnh tự đánh giá Chỉ số CCHC (Bộ Nội vụ thẩm định)"


GROUP_KINDS = {
    UnitGroup.DEPARTMENTS: [UnitKind.DEPARTMENT],  # bodies of other kinds join by name (cycle_open's units)
    UnitGroup.DISTRICTS: [UnitKind.DISTRICT],
    UnitGroup.COMMUNES: [UnitKind.COMMUNE],
    UnitGroup.PROVINCE: [UnitKind.PROVINCE],  # one sheet: the province's own
}
# The groups a province scores with its own criteria set (the province's own PAR INDEX is scored by the ministry).
INTERNAL_GROUPS = [UnitGroup.DEPARTMENTS, UnitGroup.DISTRICTS, UnitGroup.COMMUNES]


class InternalFramework(PublicIdModel):
    """One group's criteria set for one year (a revision: a change after a cycle used it makes a new one).

    For the group PROVINCE the version is the ministry's national PAR INDEX version (shared by every
    province, never edited here): the same cycle, sheet and entries then carry the province's own
    self-assessment, and the ministry's published scores become the entries' appraised scores."""

    version = models.ForeignKey("frameworks.FrameworkVersion", on_delete=models.PROTECT,
                                related_name="internal_frameworks")
    province = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="internal_frameworks")
    group = models.CharField("Nhóm đơn vị", max_length=16, choices=UnitGroup.choices)
    year = models.PositiveSmallIntegerField("Năm đánh giá")
    revision = models.PositiveSmallIntegerField("Lần sửa", default=1)
    based_on = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # [[bound, label], ...] highest first, bounds as strings (Decimal): see chiso.core.internal_index.
    thresholds = models.JSONField("Thang xếp loại", default=list)
    edit_version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["province", "-year", "group", "-revision"]
        constraints = [models.UniqueConstraint(fields=["province", "group", "year", "revision"],
                                               name="internal_framework_revision_unique")]

    def __str__(self) -> str:
        if self.is_national:
            return f"Chỉ số CCHC {self.year} của tỉnh ({self.version.framework.name} {self.version.label})"
        return f"{self.get_group_display()} {self.year}" + (f" (sửa lần {self.revision - 1})" if self.revision > 1 else "")

    @property
    def is_national(self) -> bool:
        """The province's own self-assessment toward the ministry, on the national framework."""
        return self.group == UnitGroup.PROVINCE


class CriterionDetail(models.Model):
    """What the province's scoring adds to a criterion: guidance, evidence, which unit kinds."""

    criterion = models.OneToOneField("frameworks.Criterion", on_delete=models.CASCADE, related_name="internal")
    guidance = models.TextField("Hướng dẫn chấm điểm", blank=True)
    evidence_required = models.BooleanField("Bắt buộc tài liệu kiểm chứng", default=True)
    unit_kinds = models.JSONField("Áp dụng cho loại đơn vị", default=list, blank=True)  # empty: every kind
    # a computed criterion's raw inputs in Vietnamese: "name: meaning; name: meaning. How it scores."
    # (the rules files' format); the rule itself is the criterion's `rule` (chiso.core.rules)
    inputs = models.TextField("Số liệu đầu vào", blank=True)
    history = HistoricalRecords()


class CycleState(models.TextChoices):
    OPEN = "open", "Đang đánh giá"
    FINALISED = "finalised", "Đã chốt kết quả"
    PUBLISHED = "published", "Đã công bố"


class Cycle(PublicIdModel):
    """The year's assessment of one group, with its deadlines (enforced by the services)."""

    framework = models.ForeignKey(InternalFramework, on_delete=models.PROTECT, related_name="cycles")
    name = models.CharField("Tên đợt đánh giá", max_length=255)
    self_due = models.DateField("Hạn tự đánh giá (D1)")
    appraisal_due = models.DateField("Hạn thẩm định (D2)")
    explanation_due = models.DateField("Hạn giải trình")
    publish_on = models.DateField("Ngày dự kiến công bố")
    state = models.CharField(max_length=16, choices=CycleState.choices, default=CycleState.OPEN)
    decision_number = models.CharField("Số quyết định công bố", max_length=64, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-framework__year", "framework__group"]
        constraints = [models.UniqueConstraint(fields=["framework"], name="one_cycle_per_framework")]

    def __str__(self) -> str:
        return self.name

    @property
    def province_id(self) -> int:
        return self.framework.province_id


class SheetState(models.TextChoices):
    DRAFT = "draft", "Đang tự đánh giá"
    SUBMITTED = "submitted", "Đã gửi, chờ thẩm định"
    FINALISED = "finalised", "Đã chốt kết quả"


class Sheet(PublicIdModel):
    """One unit's self-assessment and appraisal in a cycle (phiếu tự đánh giá, chấm điểm)."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="sheets")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="appraisal_sheets")
    state = models.CharField(max_length=16, choices=SheetState.choices, default=SheetState.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    late = models.BooleanField("Nộp muộn", default=False)
    finalised_at = models.DateTimeField(null=True, blank=True)
    finalised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    results = models.ForeignKey("scores.Assessment", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")  # written at publication: the unit's gap page and next plan
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["cycle", "unit__name"]
        constraints = [models.UniqueConstraint(fields=["cycle", "unit"], name="one_sheet_per_unit")]

    def __str__(self) -> str:
        return f"{self.unit} · {self.cycle}"


class Entry(PublicIdModel):
    """One leaf criterion of a sheet: self-score and explanation, appraised score and comment."""

    sheet = models.ForeignKey(Sheet, on_delete=models.CASCADE, related_name="entries")
    criterion = models.ForeignKey("frameworks.Criterion", on_delete=models.PROTECT, related_name="+")
    applicable = models.BooleanField("Áp dụng", default=True)
    self_score = models.DecimalField("Điểm tự đánh giá", null=True, blank=True, **POINTS)
    explanation = models.TextField("Giải trình", blank=True)
    score = models.DecimalField("Điểm thẩm định", null=True, blank=True, **POINTS)
    comment = models.TextField("Ý kiến thẩm định", blank=True)
    raw_inputs = models.JSONField("Số liệu đầu vào", default=dict, blank=True)  # computed criteria: name → "12.5"
    scored_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["sheet", "criterion__position"]
        constraints = [models.UniqueConstraint(fields=["sheet", "criterion"], name="one_entry_per_criterion")]

    @property
    def difference(self):
        if self.score is None or self.self_score is None:
            return None
        return self.score - self.self_score


def evidence_path(instance: "EntryEvidence", filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower()[:8] if "." in filename else "bin"
    return f"appraisal/{instance.public_id}.{ext}"


class EntryEvidence(PublicIdModel):
    """A tài liệu kiểm chứng of an entry: an upload, or a file or link taken from a progress report
    of this year's plan (then `file` names the same stored file and `taken_from` says where)."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=evidence_path, blank=True, max_length=255)
    file_name = models.CharField(max_length=255, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    url = models.URLField(max_length=1000, blank=True)
    taken_from = models.CharField("Lấy từ", max_length=255, blank=True)
    source_id = models.CharField(max_length=16, blank=True)  # the progress evidence's public id
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.file_name or self.url


class CouncilMember(PublicIdModel):
    """A member of the council (Hội đồng / Tổ thẩm định) of a cycle, for some fields or units."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="council_seats")
    is_lead = models.BooleanField("Chủ tịch / Tổ trưởng", default=False)
    fields = models.JSONField("Lĩnh vực phụ trách", default=list, blank=True)  # field codes; empty: all
    units = models.ManyToManyField("units.Unit", blank=True, related_name="+")  # empty: all
    history = HistoricalRecords(m2m_fields=[units])

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cycle", "user"], name="one_seat_per_user")]


class SendBack(PublicIdModel):
    """A request for explanation or more evidence on one entry (giải trình, bổ sung) and its answer."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="send_backs")
    message = models.TextField("Nội dung yêu cầu")
    due = models.DateField("Hạn trả lời")
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    asked_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField("Trả lời", blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["asked_at", "pk"]

    @property
    def is_open(self) -> bool:
        return self.answered_at is None
