"""Scores per unit, framework version, year and criterion."""
from __future__ import annotations

from decimal import Decimal

from django.db import models
from simple_history.models import HistoricalRecords

from chiso.common.models import POINTS, PublicIdModel


class Assessment(PublicIdModel):
    """One unit's results in one framework version for one year."""

    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="assessments")
    version = models.ForeignKey("frameworks.FrameworkVersion", on_delete=models.PROTECT, related_name="assessments")
    year = models.PositiveSmallIntegerField("Năm")
    printed_total = models.DecimalField("Tổng điểm công bố", null=True, blank=True, **POINTS)
    rank = models.PositiveSmallIntegerField("Xếp hạng", null=True, blank=True)
    rank_of = models.PositiveSmallIntegerField("Trên tổng số", null=True, blank=True)
    source = models.CharField("Nguồn", max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # one counter per edit form, bumped by every save of what it shows (chiso.scores.staleness)
    results_version = models.PositiveIntegerField(default=0)
    targets_version = models.PositiveIntegerField(default=0)
    inputs_version = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["unit", "-year"]
        constraints = [models.UniqueConstraint(fields=["unit", "version", "year"], name="assessment_unique")]

    def __str__(self) -> str:
        return f"{self.unit} {self.year} ({self.version.label})"


class Score(models.Model):
    """A criterion's points: self-assessed, official (after appraisal / survey), target.

    `score` is the official result ("điểm đạt được"); the deduction is always
    derived from it and the criterion's max, never stored, so it cannot disagree.
    """

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey("frameworks.Criterion", on_delete=models.PROTECT, related_name="scores")
    self_score = models.DecimalField("Điểm tự đánh giá", null=True, blank=True, **POINTS)
    score = models.DecimalField("Điểm đạt được", null=True, blank=True, **POINTS)
    target = models.DecimalField("Mục tiêu", null=True, blank=True, **POINTS)
    reason = models.TextField("Lý do bị trừ điểm", blank=True)
    remedy = models.TextField("Biện pháp khắc phục", blank=True)
    source = models.CharField("Nguồn", max_length=255, blank=True)
    # For a computed criterion: the rule with its inputs put in ("101.835 / 102.337 × 1,5 = 1,4926").
    arithmetic = models.TextField("Cách tính", blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment", "criterion__position"]
        constraints = [models.UniqueConstraint(fields=["assessment", "criterion"], name="score_unique")]

    @property
    def deduction(self) -> Decimal | None:
        if self.score is None:
            return None
        return self.score - self.criterion.max_points


class RawInput(models.Model):
    """A raw figure that a computed criterion's rule reads, for one unit and year.

    E.g. "on_time" = 101835 dossiers settled on time; the rule of criterion 3.4.1
    turns it into points. Kept per assessment so that prev() finds last year's.
    """

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="raw_inputs")
    criterion = models.ForeignKey("frameworks.Criterion", on_delete=models.PROTECT, related_name="raw_inputs")
    name = models.CharField("Tên số liệu", max_length=64)
    value = models.DecimalField("Giá trị", max_digits=20, decimal_places=4)
    note = models.CharField("Ghi chú, nguồn số liệu", max_length=255, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment", "criterion__position", "name"]
        constraints = [models.UniqueConstraint(fields=["assessment", "criterion", "name"], name="raw_input_unique")]

    def __str__(self) -> str:
        return f"{self.criterion.code} {self.name}={self.value}"


class PublishedResult(models.Model):
    """One line of a national results table: a province's total and rank in an index-year.

    The ministry publishes full tables only as images, so users import the tables
    they have; `unit` links the line to a unit when its name resolves.
    """

    index = models.CharField("Chỉ số", max_length=16)
    year = models.PositiveSmallIntegerField("Năm")
    unit = models.ForeignKey("units.Unit", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="published_results")
    unit_name = models.CharField("Tên đơn vị như bảng ghi", max_length=255)
    total = models.DecimalField("Điểm", null=True, blank=True, **POINTS)
    rank = models.PositiveSmallIntegerField("Xếp hạng", null=True, blank=True)
    source = models.CharField("Nguồn", max_length=500, blank=True)
    note = models.TextField("Ghi chú", blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["index", "-year", "rank", "unit_name"]
        constraints = [models.UniqueConstraint(fields=["index", "year", "unit_name"], name="published_result_unique")]
        indexes = [models.Index(fields=["index", "year"])]

    def __str__(self) -> str:
        return f"{self.index} {self.year} {self.unit_name}: {self.total} ({self.rank})"


class ResultsTable(PublicIdModel):
    """A results table of an index-year, kept with every version ever imported.

    The national table (`owner` None) is shared reference data: only users with national scope
    replace it, and its current version's lines are the PublishedResult rows every province
    reads. A province's coordinator may keep private tables (`owner` = the province) for their
    own projections; nobody outside that province sees them.
    """

    index = models.CharField("Chỉ số", max_length=16)
    year = models.PositiveSmallIntegerField("Năm")
    owner = models.ForeignKey("units.Unit", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="results_tables", verbose_name="Tỉnh giữ bảng riêng")
    name = models.CharField("Tên bảng", max_length=120, blank=True)
    current = models.ForeignKey("ResultsTableVersion", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    # the number of the newest version: what an import or restore form showed (stale forms are refused)
    version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["index", "-year", "owner", "name"]
        constraints = [
            models.UniqueConstraint(fields=["index", "year"], condition=models.Q(owner__isnull=True),
                                    name="results_table_national_unique"),
            models.UniqueConstraint(fields=["index", "year", "owner", "name"], name="results_table_private_unique"),
        ]

    @property
    def is_national(self) -> bool:
        return self.owner_id is None

    def __str__(self) -> str:
        return f"{self.index} {self.year}" + (f" — {self.name}" if self.owner_id else "")


class ResultsTableVersion(PublicIdModel):
    """One import (or restore) of a results table: its lines as they were, where they came from
    and who brought them. Versions are never changed nor deleted."""

    table = models.ForeignKey(ResultsTable, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("Phiên bản")
    # [{"unit_name", "unit" (pk or null), "total" (text of a Decimal or null), "rank", "source", "note"}]
    lines = models.JSONField("Các dòng", default=list)
    source = models.CharField("Nguồn", max_length=500, blank=True)
    imported_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name="Người nạp")
    restored_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["table", "-number"]
        constraints = [models.UniqueConstraint(fields=["table", "number"], name="results_table_version_unique")]

    def __str__(self) -> str:
        return f"{self.table} v{self.number}"
