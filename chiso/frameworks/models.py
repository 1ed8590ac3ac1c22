"""Index frameworks (bộ chỉ số) as versioned criteria trees."""
from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords

from chiso.common.models import POINTS, PublicIdModel


class IndexKind(models.TextChoices):
    PAR_INDEX = "PAR_INDEX", "Chỉ số cải cách hành chính (PAR INDEX)"
    SIPAS = "SIPAS", "Chỉ số hài lòng (SIPAS)"
    PAPI = "PAPI", "Chỉ số hiệu quả quản trị và hành chính công (PAPI)"
    INTERNAL = "INTERNAL", "Bộ chỉ số nội bộ của tỉnh"


class Method(models.TextChoices):
    APPRAISAL = "appraisal", "Thẩm định"
    SURVEY = "survey", "Điều tra XHH"
    STATISTICS = "statistics", "Số liệu thống kê"
    COMPUTED = "computed", "Tính theo công thức"


class Framework(PublicIdModel):
    code = models.SlugField("Mã", max_length=64, unique=True)
    index = models.CharField("Chỉ số", max_length=16, choices=IndexKind.choices)
    name = models.CharField("Tên", max_length=255)
    scope = models.CharField("Đối tượng đánh giá", max_length=128, blank=True)
    owner = models.ForeignKey(
        "units.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="frameworks",
        help_text="Đơn vị ban hành bộ chỉ số nội bộ; trống với bộ chỉ số quốc gia.",
    )

    class Meta:
        ordering = ["index", "name"]

    def __str__(self) -> str:
        return self.name


class FrameworkVersion(PublicIdModel):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="versions")
    label = models.CharField("Phiên bản", max_length=128)
    decision = models.CharField("Văn bản ban hành", max_length=255, blank=True)
    first_year = models.PositiveSmallIntegerField("Áp dụng từ năm")
    last_year = models.PositiveSmallIntegerField("Áp dụng đến năm", null=True, blank=True)
    total_points = models.DecimalField("Tổng điểm", **POINTS)
    unit_label = models.CharField("Đơn vị đo", max_length=16, default="điểm")
    # How children make up a parent: a sum (PAR INDEX, PAPI) or a mean (SIPAS, in %).
    aggregation = models.CharField(max_length=8, choices=[("sum", "Tổng"), ("mean", "Trung bình")], default="sum")
    note = models.TextField("Ghi chú", blank=True)

    class Meta:
        ordering = ["framework", "-first_year"]
        constraints = [models.UniqueConstraint(fields=["framework", "label"], name="framework_version_unique")]

    def __str__(self) -> str:
        return f"{self.framework.name} — {self.label}"

    def covers(self, year: int) -> bool:
        return self.first_year <= year and (self.last_year is None or year <= self.last_year)


class Criterion(models.Model):
    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="criteria")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    code = models.CharField("Mã", max_length=32)
    name = models.TextField("Tên")
    max_points = models.DecimalField("Điểm tối đa", **POINTS)
    method = models.CharField("Phương pháp", max_length=16, choices=Method.choices, blank=True)
    level = models.PositiveSmallIntegerField(default=1)
    position = models.PositiveIntegerField(default=0)
    # A rule over raw inputs for computed criteria (see the scores app); empty otherwise.
    rule = models.TextField("Công thức", blank=True)
    # every change of a criterion kept (who, when, before/after); bulk loads of national versions write none
    history = HistoricalRecords(excluded_fields=["position"])

    class Meta:
        ordering = ["version", "position"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="criterion_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def field_code(self) -> str:
        return self.code.split(".")[0]

    @property
    def is_leaf(self) -> bool:
        return not self.children.exists()
