"""Competency frameworks (DigComp 2.2 and those mapped to it), the item bank, the programme's
test settings, and each attempt at the adaptive placement test with its answers."""

from __future__ import annotations

import math
import secrets
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tremplin.network.models import Organisation, Programme, Site
from tremplin.people.models import Person


def translated(texts: dict[str, str] | Any, language: str | None = None) -> str:
    """The text in the language asked for (or the active one), else English, French, any."""
    if not isinstance(texts, dict) or not texts:
        return ""
    language = (language or get_language() or "en").split("-")[0]
    for key in (language, "en", "fr"):
        if texts.get(key):
            return str(texts[key])
    return str(next(iter(texts.values())))


class Framework(models.Model):
    """A competency framework: shipped (no organisation) or an organisation's own."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="frameworks"
    )
    code = models.SlugField(_("code"), max_length=64)
    name = models.JSONField(_("name"), default=dict)
    publisher = models.JSONField(_("publisher"), default=dict, blank=True)
    url = models.URLField(_("reference"), blank=True)
    levels = models.JSONField(_("levels"), default=list, blank=True)
    maps_to = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mapped_from",
        verbose_name=_("crosswalk to"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organisation_id", "code"]
        verbose_name = _("competency framework")
        verbose_name_plural = _("competency frameworks")
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(organisation__isnull=True),
                name="framework_shipped_once",
            ),
            models.UniqueConstraint(fields=["organisation", "code"], name="framework_code_once"),
        ]

    def __str__(self) -> str:
        return translated(self.name) or self.code


class Area(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="areas")
    code = models.CharField(_("code"), max_length=16)
    name = models.JSONField(_("name"), default=dict)
    position = models.PositiveSmallIntegerField(_("position"))

    class Meta:
        ordering = ["framework", "position"]
        verbose_name = _("competence area")
        verbose_name_plural = _("competence areas")
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="area_code_once"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {translated(self.name)}"


class Competence(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="competences")
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="competences")
    code = models.CharField(_("code"), max_length=16)
    name = models.JSONField(_("name"), default=dict)
    description = models.JSONField(_("description"), default=dict, blank=True)
    position = models.PositiveSmallIntegerField(_("position"))

    class Meta:
        ordering = ["framework", "position"]
        verbose_name = _("competence")
        verbose_name_plural = _("competences")
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="competence_code_once"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {translated(self.name)}"


class CrosswalkLink(models.Model):
    """A competence of one framework covers (part of) a competence of the framework it maps
    to, e.g. Pix 1.1 → DigComp 1.1 and 1.2."""

    source = models.ForeignKey(Competence, on_delete=models.CASCADE, related_name="links_out")
    target = models.ForeignKey(Competence, on_delete=models.CASCADE, related_name="links_in")
    note = models.JSONField(_("note"), default=dict, blank=True)

    class Meta:
        verbose_name = _("crosswalk link")
        verbose_name_plural = _("crosswalk links")
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="crosswalk_link_once"),
        ]

    def __str__(self) -> str:
        return f"{self.source.code} → {self.target.code}"


class ProgrammeTarget(models.Model):
    """A competence and level a programme (or one of its modules) aims at."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="competence_targets"
    )
    module = models.CharField(_("module"), max_length=120, blank=True)
    competence = models.ForeignKey(Competence, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(
        _("level"), validators=[MinValueValidator(1), MaxValueValidator(8)]
    )

    class Meta:
        ordering = ["programme", "module", "competence__position"]
        verbose_name = _("competence aimed at")
        verbose_name_plural = _("competences aimed at")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "module", "competence"], name="programme_target_once"
            ),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=8), name="programme_target_level_1_to_8"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.competence.code} ≥ {self.level}"


class ItemKind(models.TextChoices):
    CHOICE = "choice", _("Question with choices")
    HOTSPOT = "hotspot", _("Task on a picture (tap the right place)")


class ItemStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PILOT = "pilot", _("Pilot (being tried by trainers, not asked yet)")
    LIVE = "live", _("Live")
    RETIRED = "retired", _("Retired")


def _uploaded_file_name(organisation_id: int, filename: str) -> str:
    """``placement/<organisation id>/<random token>.<ext>``: the extension is the one the
    services chose from the file's content; the name the user gave is never kept."""
    suffix = PurePosixPath(filename).suffix.lower().lstrip(".")
    if not (suffix.isascii() and suffix.isalnum() and len(suffix) <= 5):
        suffix = "bin"
    return f"placement/{organisation_id}/{secrets.token_hex(16)}.{suffix}"


def item_picture_path(instance: Item, filename: str) -> str:
    return _uploaded_file_name(instance.organisation_id, filename)


def item_recording_path(instance: ItemRecording, filename: str) -> str:
    return _uploaded_file_name(instance.item.organisation_id, filename)


PICTURE_PART = "picture"  # in placement:item-file, next to the languages of the recordings
# The extension a file was stored with (chosen from its content) → the type it is served as.
CONTENT_TYPES = {
    "png": "image/png",
    "jpg": "image/jpeg",
    "webp": "image/webp",
    "mp3": "audio/mpeg",
    "ogg": "audio/ogg",
    "m4a": "audio/mp4",
    "aac": "audio/aac",
    "wav": "audio/wav",
}


class Item(models.Model):
    """One question of an organisation's bank, tied to a DigComp competence and level."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(_("code"), max_length=32)
    competence = models.ForeignKey(Competence, on_delete=models.PROTECT, related_name="items")
    level = models.PositiveSmallIntegerField(
        _("level"), validators=[MinValueValidator(1), MaxValueValidator(8)]
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ItemKind.choices)
    stem = models.JSONField(_("question"), default=dict)
    choices = models.JSONField(_("choices"), default=list)
    answer = models.PositiveSmallIntegerField(_("right choice"))
    image = models.CharField(_("picture"), max_length=200, blank=True)  # a shipped static file
    # The organisation's own picture (PNG, JPEG or WebP), shown instead of ``image``.
    picture = models.FileField(_("own picture"), upload_to=item_picture_path, blank=True)
    image_alt = models.JSONField(_("picture description"), default=dict, blank=True)
    audio = models.JSONField(_("recordings"), default=dict, blank=True)
    accessibility = models.JSONField(_("accessibility notes"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ItemStatus.choices, default=ItemStatus.DRAFT
    )
    a = models.FloatField(_("discrimination (a)"), null=True, blank=True)
    b = models.FloatField(_("difficulty (b)"), null=True, blank=True)
    se_a = models.FloatField(null=True, blank=True)
    se_b = models.FloatField(null=True, blank=True)
    fit_p = models.FloatField(null=True, blank=True)
    flags = models.JSONField(default=list, blank=True)
    calibrated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organisation", "code"]
        verbose_name = _("item")
        verbose_name_plural = _("items")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="item_code_once"),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=8), name="item_level_1_to_8"
            ),
            models.CheckConstraint(
                condition=Q(a__isnull=True) | Q(a__gt=0), name="item_discrimination_positive"
            ),
            models.CheckConstraint(
                condition=Q(a__isnull=True, b__isnull=True) | Q(a__isnull=False, b__isnull=False),
                name="item_a_and_b_together",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def calibrated(self) -> bool:
        return self.a is not None and self.b is not None


class ItemRecording(models.Model):
    """The question read aloud in one language, uploaded by the organisation (MP3, OGG, M4A,
    AAC or WAV); played by "Read aloud" instead of the link in ``Item.audio``."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="recordings")
    language = models.CharField(_("language"), max_length=8)
    file = models.FileField(_("recording"), upload_to=item_recording_path)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item", "language"]
        verbose_name = _("recording of a question")
        verbose_name_plural = _("recordings of questions")
        constraints = [
            models.UniqueConstraint(fields=["item", "language"], name="item_recording_once"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} · {self.language}"


class PlacementSetup(models.Model):
    """How a programme runs its placement test."""

    programme = models.OneToOneField(
        Programme, on_delete=models.CASCADE, related_name="placement_setup"
    )
    se_target = models.DecimalField(
        _("stop when the standard error is below"),
        max_digits=4,
        decimal_places=2,
        default=0.3,
        validators=[MinValueValidator(0.1), MaxValueValidator(1)],
    )
    max_items = models.PositiveSmallIntegerField(
        _("at most this many questions"),
        default=20,
        validators=[MinValueValidator(5), MaxValueValidator(60)],
    )
    bands = models.JSONField(
        _("level groups and where each starts"),
        default=list,
        blank=True,
        help_text=_("Empty: Beginner, Intermediate from -0.5, Advanced from 0.8."),
    )
    borderline_below = models.DecimalField(
        _("borderline when the level is less sure than"),
        max_digits=3,
        decimal_places=2,
        default=0.8,
        validators=[MinValueValidator(0.5), MaxValueValidator(0.99)],
    )

    class Meta:
        verbose_name = _("placement test settings")
        verbose_name_plural = _("placement test settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(max_items__gte=5, max_items__lte=60), name="setup_max_items_5_to_60"
            ),
        ]

    def __str__(self) -> str:
        return str(self.programme)


class Attempt(models.Model):
    """One sitting of the placement test by one person, reached by a private link."""

    class State(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        FINISHED = "finished", _("Finished")

    class Review(models.TextChoices):
        NONE = "", _("Not reviewed")
        CONFIRMED = "confirmed", _("Confirmed")
        OVERRIDDEN = "overridden", _("Changed by a trainer")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="placement_attempts")
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="+")
    application = models.ForeignKey(
        "selection.Application",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="placement_attempts",
    )
    stage = models.ForeignKey(
        "selection.Stage", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    language = models.CharField(_("language"), max_length=8, default="fr")
    read_aloud = models.BooleanField(_("read aloud"), default=False)
    state = models.CharField(max_length=16, choices=State.choices, default=State.IN_PROGRESS)
    next_item = models.ForeignKey(
        Item, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    seed = models.BigIntegerField()
    theta = models.FloatField(null=True, blank=True)
    se = models.FloatField(null=True, blank=True)
    band = models.CharField(_("level group"), max_length=32, blank=True)
    confidence = models.FloatField(null=True, blank=True)
    borderline = models.BooleanField(default=False)
    profile = models.JSONField(default=list, blank=True)
    review = models.CharField(
        max_length=16, choices=Review.choices, default=Review.NONE, blank=True
    )
    reviewed_band = models.CharField(max_length=32, blank=True)
    review_reason = models.TextField(_("reason"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("placement test attempt")
        verbose_name_plural = _("placement test attempts")
        constraints = [
            models.CheckConstraint(
                condition=Q(state="in_progress") | Q(finished_at__isnull=False, next_item=None),
                name="attempt_finished_has_no_next_item",
            ),
            models.CheckConstraint(
                condition=~Q(review="overridden") | ~Q(review_reason=""),
                name="attempt_override_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.started_at:%Y-%m-%d}"

    @property
    def final_band(self) -> str:
        return self.reviewed_band or self.band

    @property
    def score(self) -> float | None:
        """θ as a 0–100 score: the share of the reference population below it."""
        if self.theta is None:
            return None
        return round(50 * (1 + math.erf(self.theta / math.sqrt(2))), 1)


class Answer(models.Model):
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="answers")
    position = models.PositiveSmallIntegerField()
    choice = models.PositiveSmallIntegerField()
    right = models.BooleanField()
    theta_after = models.FloatField()
    se_after = models.FloatField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["attempt", "position"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "position"], name="answer_position_once"),
            models.UniqueConstraint(fields=["attempt", "item"], name="answer_item_once"),
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id}#{self.position}"


class CalibrationRun(models.Model):
    """One estimation of the organisation's item parameters from the answers its finished
    tests collected, with the check for questions that work differently by language; applied
    (written onto the items) or not."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Could not be done")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="calibration_runs"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.QUEUED)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    people = models.PositiveIntegerField(default=0)
    answers = models.PositiveIntegerField(default=0)
    items_estimated = models.PositiveIntegerField(default=0)
    # [{"item_id", "code", "reason", "answers"}]: why each item was not estimated
    items_left_out = models.JSONField(default=list, blank=True)
    # {"items": [{"item_id", "code", "a", "b", "se_a", "se_b", "fit", "fit_p", "answered",
    #   "right_share", "flags", "dif": {"fr-ar": {...}}}], "dif_pairs": [...], "converged"}
    results = models.JSONField(default=dict, blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("calibration")
        verbose_name_plural = _("calibrations")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(state__in=["queued", "running"]),
                name="calibration_one_under_way_per_organisation",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["queued", "running"]) | Q(finished_at__isnull=False),
                name="calibration_finished_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(state="failed") | ~Q(error=""), name="calibration_failure_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(applied_at__isnull=True) | Q(state="done"),
                name="calibration_only_done_is_applied",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.created_at:%Y-%m-%d %H:%M}"
