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
    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment", "criterion__position"]
        constraints = [models.UniqueConstraint(fields=["assessment", "criterion"], name="score_unique")]

    @property
    def deduction(self) -> Decimal | None:
        if self.score is None:
            return None
        return self.score - self.criterion.max_points
