"""Units (đơn vị): provinces, departments, districts, communes and other bodies.

Units have validity dates and a successor because provinces merged on 1/7/2025
(63 → 34) and the district level was abolished: a 2024 plan of Đắk Nông belongs
to a province that no longer exists, and stays attached to it.
"""
from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords

from chiso.common.models import PublicIdModel
from chiso.core.text import fold


class UnitKind(models.TextChoices):
    MINISTRY = "ministry", "Bộ, ngành Trung ương"
    PROVINCE = "province", "Tỉnh, thành phố"
    DEPARTMENT = "department", "Sở, ban, ngành"
    DISTRICT = "district", "Huyện, thị xã, thành phố thuộc tỉnh"
    DISTRICT_OFFICE = "district_office", "Phòng, ban cấp huyện"
    COMMUNE = "commune", "Xã, phường, thị trấn"
    OTHER = "other", "Cơ quan, đơn vị khác"


class Unit(PublicIdModel):
    name = models.CharField("Tên", max_length=255)
    short_name = models.CharField("Tên viết tắt", max_length=64, blank=True)
    kind = models.CharField("Loại", max_length=20, choices=UnitKind.choices, default=UnitKind.OTHER)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name="Trực thuộc"
    )
    # The province (or ministry) at the top of this unit's tree; itself for a province.
    # Scoping compares this one column instead of walking the tree.
    root = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="Tỉnh"
    )
    valid_from = models.DateField("Hiệu lực từ", null=True, blank=True)
    valid_to = models.DateField("Hiệu lực đến", null=True, blank=True)
    successor = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="predecessors",
        verbose_name="Đơn vị kế thừa",
    )
    verified = models.BooleanField("Đã xác minh", default=True)
    note = models.CharField("Ghi chú", max_length=255, blank=True)
    search_text = models.TextField(blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["root", "kind"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_current(self) -> bool:
        return self.valid_to is None

    def save(self, *args, **kwargs):
        if self.parent_id is None:
            self.root = self if self.pk else None
        else:
            self.root_id = self.parent.root_id or self.parent_id
        self.search_text = fold(" ".join([self.name, self.short_name]))
        super().save(*args, **kwargs)
        if self.parent_id is None and self.root_id != self.pk:
            Unit.objects.filter(pk=self.pk).update(root=self.pk)
            self.root_id = self.pk


class UnitAlias(models.Model):
    """Another name the documents use for a unit ("SNV", "Giám đốc Sở Nội vụ")."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=255)
    folded = models.CharField(max_length=255, db_index=True, editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "folded"], name="unit_alias_unique")]

    def save(self, *args, **kwargs):
        self.folded = fold(self.name)
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return self.name
