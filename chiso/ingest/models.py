"""An uploaded document on its way to becoming a plan: read in the background, previewed,
then confirmed (loaded through the plan loader) or discarded.

Nothing of the plan exists before confirmation; the upload itself is kept only so
the worker can read it, and is deleted on discard.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models

from chiso.common.models import PublicIdModel


class UploadStatus(models.TextChoices):
    QUEUED = "queued", "Đang chờ đọc"
    READING = "reading", "Đang đọc"
    READY = "ready", "Đã đọc xong, chờ xác nhận"
    FAILED = "failed", "Không đọc được"
    LOADED = "loaded", "Đã nạp"


# failures of the machinery, not of the file: the upload's page offers "Thử lại"
RETRYABLE = {"worker_lost", "queue_timeout", "too_slow", "internal"}


class Upload(PublicIdModel):
    file = models.FileField(upload_to="uploads/%Y/%m/")
    file_name = models.CharField("Tên tệp", max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="uploads")
    status = models.CharField(max_length=16, choices=UploadStatus.choices, default=UploadStatus.QUEUED)
    progress = models.FloatField(default=0)
    progress_message = models.CharField(max_length=255, blank=True)
    reading = models.JSONField(null=True, blank=True)
    error_code = models.CharField(max_length=32, blank=True)
    error_message = models.TextField(blank=True)
    # the reading in progress: its number (a later one makes an older one's writes void), whether it
    # was queued again after its worker was lost, the process reading it ("host:pid") and since when
    attempt = models.PositiveSmallIntegerField(default=1)
    auto_retried = models.BooleanField(default=False)
    worker = models.CharField(max_length=255, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # what the person corrected in the preview, in order (chiso.ingest.corrections), each with who and
    # when: applied to the reading when it is confirmed, and kept with the upload
    corrections = models.JSONField(default=list, blank=True)
    plan = models.ForeignKey("plans.Plan", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # an appraisal results table is loaded as this unit's scores instead of as a plan
    results_unit = models.ForeignKey("units.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.file_name

    @property
    def percent(self) -> int:
        return int(round(self.progress * 100))

    @property
    def corrected_reading(self) -> dict:
        """The reading with the person's corrections applied (what confirming loads)."""
        from .corrections import apply_all

        if not self.corrections:
            return self.reading or {}
        return apply_all(self.reading or {}, self.corrections)

    @property
    def has_scores(self) -> bool:
        """The reading holds achieved/appraised/deducted values: it can become a unit's results."""
        return any(c.get("key") in {"achieved", "appraised", "deducted"}
                   for t in (self.reading or {}).get("tables") or [] if t.get("kind") != "unit_results"
                   for c in t.get("columns") or [])

    @property
    def has_criteria_tables(self) -> bool:
        return any(t.get("kind", "criteria") == "criteria" for t in (self.reading or {}).get("tables") or [])

    @property
    def has_unit_results(self) -> bool:
        """The reading holds a results table whose rows are units (a ranking)."""
        return any(t.get("kind") == "unit_results" for t in (self.reading or {}).get("tables") or [])

    @property
    def finished(self) -> bool:
        return self.status in {UploadStatus.READY, UploadStatus.FAILED, UploadStatus.LOADED}

    @property
    def can_retry(self) -> bool:
        """Failed for a reason that reading again may cure (not a file the reader refuses)."""
        return self.status == UploadStatus.FAILED and self.error_code in RETRYABLE
