"""Applications, and what each stage decided for them."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tremplin.core.levels import band_label
from tremplin.network.models import Region, Site
from tremplin.outreach.models import Channel
from tremplin.people.models import Gender, Person
from tremplin.selection.models.calls import Call, Stage

# The highest score a result's column holds (7 digits, 2 of them decimals).
MAX_SCORE = Decimal("99999.99")


class AgeBand(models.TextChoices):
    UNDER_18 = "under_18", _("Under 18")
    AGE_18_25 = "18_25", _("18 to 25")
    AGE_26_30 = "26_30", _("26 to 30")
    AGE_31_45 = "31_45", _("31 to 45")
    OVER_45 = "over_45", _("Over 45")
    UNKNOWN = "unknown", _("Not known")


class Application(models.Model):
    """One person's application to one call, from the first step of the form to the decision."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Being filled in")
        SUBMITTED = "submitted", _("Submitted")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Source(models.TextChoices):
        FORM = "form", _("Public form")
        IMPORT = "import", _("Imported file")
        STAFF = "staff", _("Entered by staff")

    class Outcome(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        REJECTED = "rejected", _("Not selected")
        WAITLISTED = "waitlisted", _("On the waiting list")
        SELECTED = "selected", _("Selected")

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications")
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="applications"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=Outcome.choices, default=Outcome.IN_PROGRESS
    )
    # The sites the applicant can attend, in order of preference (ids of the call's sites).
    site = models.ForeignKey(
        Site,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("preferred site"),
    )
    site_choices = models.JSONField(default=list, blank=True)
    # What the applicant typed, step by step, until the application is submitted.
    answers = models.JSONField(default=dict, blank=True)
    step = models.PositiveSmallIntegerField(default=1)
    language = models.CharField(_("language"), max_length=8, default="fr")
    resume_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    eligible = models.BooleanField(null=True)
    eligibility_reasons = models.JSONField(default=list, blank=True)
    help_requested = models.TextField(_("question for the team"), blank=True)
    help_requested_at = models.DateTimeField(null=True, blank=True)
    # Set when staff answer the question or mark it handled; a new question clears it.
    help_handled_at = models.DateTimeField(null=True, blank=True)
    help_handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Stages passed so far (0 = none): the funnel reads this, never the results one by one.
    stages_passed = models.PositiveSmallIntegerField(default=0)
    # Snapshot at submission for the funnel, so it needs no join (see docs/decisions).
    gender = models.CharField(max_length=16, choices=Gender.choices, blank=True)
    region = models.ForeignKey(
        Region, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    priority_neighbourhood = models.BooleanField(default=False)
    age_band = models.CharField(
        max_length=16, choices=AgeBand.choices, default=AgeBand.UNKNOWN, blank=True
    )
    channel = models.CharField(
        _("how did you hear about us"), max_length=32, choices=Channel.choices, blank=True
    )
    attended_information_session = models.BooleanField(default=False)
    import_key = models.CharField(max_length=64, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # When the applicant or learner withdrew (status withdrawn, and only then).
    withdrawn_at = models.DateTimeField(_("withdrawn on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(
                fields=["call", "person"],
                condition=Q(person__isnull=False),
                name="application_once_per_person_and_call",
            ),
            models.UniqueConstraint(
                fields=["call", "import_key"],
                condition=~Q(import_key=""),
                name="application_import_key_once",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(person__isnull=False),
                name="application_submitted_has_person",
            ),
            models.CheckConstraint(
                condition=Q(status="withdrawn", withdrawn_at__isnull=False)
                | (~Q(status="withdrawn") & Q(withdrawn_at__isnull=True)),
                name="application_withdrawn_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["call", "status", "stages_passed"], name="application_funnel"),
        ]

    def __str__(self) -> str:
        return f"{self.person or _('Draft')} — {self.call}"


class ApplicationQuestion(models.Model):
    """Every "ask a person" question an applicant sent, with the team's answer: the history the
    call page lists. `Application.help_*` still holds the latest one, the one waiting."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="questions")
    text = models.TextField(_("question for the team"))
    asked_at = models.DateTimeField()
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The answer sent by e-mail or SMS; empty when the question was handled another way.
    answer = models.TextField(blank=True)

    class Meta:
        ordering = ["-asked_at", "-pk"]
        verbose_name = _("question from an applicant")
        verbose_name_plural = _("questions from applicants")
        indexes = [models.Index(fields=["application", "-asked_at"], name="question_latest")]

    def __str__(self) -> str:
        return f"{self.application_id} · {self.asked_at:%Y-%m-%d}"


class Decision(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    ADVANCE = "advance", _("Goes on to the next stage")
    REJECT = "reject", _("Stops here")
    WAITLIST = "waitlist", _("Waiting list")


class ReasonCode(models.TextChoices):
    PASSED = "passed", _("Reached the pass mark")
    BELOW_PASS_MARK = "below_pass_mark", _("Below the pass mark")
    NOT_ELIGIBLE = "not_eligible", _("Does not meet an eligibility rule")
    MISSING_DOCUMENTS = "missing_documents", _("Documents missing")
    ADMINISTRATIVE = "administrative", _("Administrative situation")
    MOTIVATION = "motivation", _("Motivation or project")
    NEED = "need", _("Social need")
    NO_SHOW = "no_show", _("Did not come")
    WITHDREW = "withdrew", _("Withdrew")
    SEATS = "seats", _("No seat left")
    OTHER = "other", _("Other (see the note)")


class StageResult(models.Model):
    """What a stage found for one application: a score (when scored) and the decision."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="stage_results"
    )
    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="results")
    score = models.DecimalField(
        _("score"), max_digits=7, decimal_places=2, null=True, blank=True
    )  # at most MAX_SCORE
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices)
    reason = models.CharField(_("reason"), max_length=32, choices=ReasonCode.choices)
    note = models.TextField(_("note"), blank=True)
    # The level group a placement test gave (its key: core.levels), shown translated.
    level = models.CharField(_("level group"), max_length=32, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["application", "stage__position"]
        verbose_name = _("stage result")
        verbose_name_plural = _("stage results")
        constraints = [
            models.UniqueConstraint(fields=["application", "stage"], name="stage_result_once"),
        ]

    def __str__(self) -> str:
        return f"{self.stage}: {self.get_decision_display()}"

    @property
    def level_label(self) -> str:
        """The placement test's level group in the reader's language ("" when none)."""
        return band_label(self.level) if self.level else ""
