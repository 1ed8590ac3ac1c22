"""Surveys: questionnaires (versioned data), campaigns over units, respondent tokens, responses.

Privacy by construction: a response points to its campaign unit only — never to the token,
invitation or device it came through — and keeps the day it was sent, not the time, so that
a used token's row and a response cannot be matched up. IP addresses are never stored here
(the rate limit keeps a keyed hash in the cache for its window only).
"""
from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.functional import cached_property
from simple_history.models import HistoricalRecords

from chiso.common.models import PublicIdModel
from chiso.core import questionnaire as qdef
from chiso.core.ids import new_public_id
from chiso.core.survey_math import sample_size


def new_key() -> str:
    """A respondent token or open-link key: 16 random characters (80 bits), unguessable."""
    return new_public_id(16)


class Audience(models.TextChoices):
    CITIZEN = "citizen", qdef.AUDIENCES["citizen"]
    DELEGATE = "delegate", qdef.AUDIENCES["delegate"]


class Questionnaire(PublicIdModel):
    """One version of a questionnaire. Bundled templates have no owner and are read-only;
    a province works on its own copies. A version that has responses is frozen: changing it
    makes the next version."""

    owner = models.ForeignKey("units.Unit", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="questionnaires", verbose_name="Đơn vị sở hữu")
    code = models.SlugField("Mã", max_length=64)
    version = models.PositiveSmallIntegerField("Phiên bản", default=1)
    label = models.CharField("Căn cứ", max_length=128, blank=True)
    title = models.CharField("Tên phiếu", max_length=300)
    audience = models.CharField("Đối tượng", max_length=16, choices=Audience.choices, default=Audience.CITIZEN)
    definition = models.JSONField("Nội dung phiếu")
    based_on = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies")
    revision = models.PositiveIntegerField(default=0)  # bumped on each save: a stale edit form is refused
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["definition"])

    class Meta:
        ordering = ["owner_id", "code", "-version"]
        constraints = [models.UniqueConstraint(fields=["owner", "code", "version"], name="questionnaire_version_unique")]

    def __str__(self) -> str:
        return f"{self.title} (phiên bản {self.version})"

    @cached_property
    def spec(self) -> qdef.Definition:
        return qdef.validate(self.definition)

    @property
    def is_template(self) -> bool:
        return self.owner_id is None

    @property
    def is_frozen(self) -> bool:
        """In use: answered, or asked by a campaign past its draft. Changing it makes the next version."""
        return self.used_by is not None

    @cached_property
    def used_by(self) -> "Campaign | None":
        """The campaign that locks this version (it collects or collected answers on it), if any."""
        return (Campaign.objects.filter(questionnaire=self)
                .filter(models.Q(responses__isnull=False) | ~models.Q(state=CampaignState.DRAFT))
                .order_by("-starts_on").first())


class CampaignState(models.TextChoices):
    DRAFT = "draft", "Đang chuẩn bị"
    OPEN = "open", "Đang thu phiếu"
    CLOSED = "closed", "Đã kết thúc"


class Campaign(PublicIdModel):
    """One questionnaire over a set of units in a period (đợt khảo sát)."""

    owner = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="survey_campaigns",
                              verbose_name="Tỉnh tổ chức")
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="campaigns",
                                      verbose_name="Phiếu khảo sát")
    name = models.CharField("Tên đợt khảo sát", max_length=255)
    year = models.PositiveSmallIntegerField("Năm đánh giá")
    starts_on = models.DateField("Từ ngày")
    ends_on = models.DateField("Đến ngày")
    margin = models.DecimalField("Sai số cho phép (e)", max_digits=4, decimal_places=3, default=Decimal("0.05"))
    state = models.CharField("Trạng thái", max_length=8, choices=CampaignState.choices, default=CampaignState.DRAFT)
    device_limit = models.PositiveSmallIntegerField("Số phiếu tối đa mỗi thiết bị qua đường dẫn chung", default=1)
    results_public = models.BooleanField("Công bố kết quả trên trang công khai", default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    revision = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "-starts_on", "name"]
        indexes = [models.Index(fields=["owner", "year"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.state == CampaignState.OPEN


class CampaignUnit(PublicIdModel):
    """A unit surveyed by a campaign (its one-stop counter), with the dossiers it settled (N)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="units")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="survey_units")
    dossiers = models.PositiveIntegerField("Số hồ sơ đã giải quyết (N)", null=True, blank=True)
    open_key = models.CharField(max_length=24, unique=True, default=new_key, editable=False)
    open_link = models.BooleanField("Nhận phiếu qua đường dẫn chung", default=True)
    history = HistoricalRecords(excluded_fields=["open_key"])

    class Meta:
        ordering = ["campaign", "unit__name"]
        constraints = [models.UniqueConstraint(fields=["campaign", "unit"], name="campaign_unit_unique")]

    def __str__(self) -> str:
        return f"{self.campaign} — {self.unit}"

    @property
    def target(self) -> int | None:
        return None if self.dossiers is None else sample_size(self.dossiers, self.campaign.margin)


class TokenKind(models.TextChoices):
    PRINTED = "printed", "Mã in (QR)"
    INVITE = "invite", "Thư mời"


class RespondentToken(models.Model):
    """A single-use key: printed as a QR code, or sent by email to a delegate.

    It records that it was used, not when: the response it produced cannot be found from it.
    """

    campaign_unit = models.ForeignKey(CampaignUnit, on_delete=models.CASCADE, related_name="tokens")
    key = models.CharField(max_length=24, unique=True, default=new_key)
    kind = models.CharField(max_length=8, choices=TokenKind.choices, default=TokenKind.PRINTED)
    email = models.EmailField(blank=True)
    batch = models.PositiveIntegerField(default=1)  # which printed sheet
    used = models.BooleanField(default=False)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["campaign_unit", "kind", "used"])]


class InvitationReminder(models.Model):
    """One reminder sent for one unanswered invitation: (token, seq) is unique, so running
    `send-reminders` again never sends the same reminder twice. It says nothing of answers."""

    token = models.ForeignKey(RespondentToken, on_delete=models.CASCADE, related_name="reminders")
    seq = models.PositiveSmallIntegerField()  # 1: the first reminder
    sent_on = models.DateField()  # the run's day, from which the next one is counted
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["token", "seq"]
        constraints = [models.UniqueConstraint(fields=["token", "seq"], name="invitation_reminder_once")]


class Channel(models.TextChoices):
    PRINTED = "printed", "Mã QR phát tại quầy"
    OPEN = "open", "Đường dẫn chung"
    INVITE = "invite", "Thư mời"
    ENTRY = "entry", "Nhập từ phiếu giấy"


class Response(models.Model):
    """One filled questionnaire, anonymous. Saved exactly once: a token is spent in the same
    transaction, an open-link form carries a one-time receipt, a paper form its serial number."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="responses")
    campaign_unit = models.ForeignKey(CampaignUnit, on_delete=models.CASCADE, related_name="responses")
    channel = models.CharField(max_length=8, choices=Channel.choices)
    submitted_on = models.DateField("Ngày gửi")
    answers = models.JSONField(default=dict)
    # The rated answers in the questionnaire's order, one character each (survey_math.encode_levels):
    # derived from `answers` when saved (a questionnaire with answers is frozen), read by the results.
    levels = models.CharField(max_length=200, blank=True, editable=False)
    serial = models.CharField("Số phiếu giấy", max_length=32, null=True, blank=True)
    receipt = models.CharField(max_length=32, null=True, blank=True, unique=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["campaign_unit", "serial"], condition=models.Q(serial__isnull=False),
                                               name="response_serial_unique")]
        indexes = [models.Index(fields=["campaign", "campaign_unit"])]


class Publication(models.Model):
    """What a province shows on its public results page (no login): chosen by the coordinator."""

    owner = models.OneToOneField("units.Unit", on_delete=models.CASCADE, related_name="publication")
    slug = models.CharField(max_length=16, unique=True, default=new_public_id, editable=False)
    enabled = models.BooleanField("Bật trang công khai", default=False)
    indices = models.JSONField("Chỉ số công bố", default=list)  # IndexKind values
    years = models.JSONField("Năm công bố", default=list)  # empty: every year
    levels = models.JSONField("Cấp đơn vị công bố", default=list)  # UnitKind values
    revision = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Trang công khai {self.owner}"


class PapiImportState(models.TextChoices):
    QUEUED = "queued", "Đang chờ đọc"
    READING = "reading", "Đang đọc và nạp"
    DONE = "done", "Đã nạp"
    FAILED = "failed", "Không nạp được"


class PapiImport(PublicIdModel):
    """A PAPI table in a Word, PDF or web document, read and loaded by the background worker (a
    document is never parsed in a web request). `attempt` makes an older worker's writes void
    once the job was given up as lost and tried again (see surveys.jobs)."""

    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField("Năm của kết quả")
    file = models.FileField(upload_to="papi/%Y/%m/")
    file_name = models.CharField("Tên tệp", max_length=255)
    state = models.CharField(max_length=16, choices=PapiImportState.choices, default=PapiImportState.QUEUED)
    errors = models.JSONField(default=list, blank=True)
    retryable = models.BooleanField(default=False)  # failed for the machinery, not for the file
    outcome = models.JSONField(null=True, blank=True)  # counts and the public ids to link to
    attempt = models.PositiveSmallIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"PAPI {self.year}: {self.file_name}"

    @property
    def finished(self) -> bool:
        return self.state in {PapiImportState.DONE, PapiImportState.FAILED}
