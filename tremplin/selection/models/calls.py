"""Calls for applications, the seats they offer per site, their stages and the criteria of
an interview."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tremplin.network.languages import CEFR_LEVELS, validate_language_code
from tremplin.network.models import ProgrammeRun, Site


class Call(models.Model):
    """A call for applications: a programme run's intake."""

    run = models.ForeignKey(
        ProgrammeRun,
        on_delete=models.PROTECT,
        related_name="calls",
        verbose_name=_("programme run"),
    )
    # The site that runs the call (the run's site); its staff handle the applications.
    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="calls", verbose_name=_("site")
    )
    slug = models.SlugField(
        _("short name"),
        max_length=64,
        unique=True,
        help_text=_("Used in the public link and on the command line, for example pn-kh-2027."),
    )
    title = models.CharField(_("title"), max_length=200)
    introduction = models.TextField(
        _("introduction for applicants"),
        blank=True,
        help_text=_("A few plain sentences shown at the top of the application form."),
    )
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    published = models.BooleanField(
        _("published"), default=False, help_text=_("Applicants can use the form while it is open.")
    )
    age_reference_date = models.DateField(
        _("age counted on"), help_text=_("Ages are worked out on this date, usually the start.")
    )
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    required_language = models.CharField(
        _("required language"), max_length=8, blank=True, validators=[validate_language_code]
    )
    required_language_level = models.CharField(
        _("minimum level in that language"), max_length=2, choices=CEFR_LEVELS, blank=True
    )
    required_documents = models.JSONField(
        _("required documents"),
        default=list,
        blank=True,
        help_text=_("One document per line, for example: identity document."),
    )
    administrative_checks = models.JSONField(
        _("administrative checks"),
        default=list,
        blank=True,
        help_text=_("One check per line, for example: right to train in France."),
    )
    contact_email = models.EmailField(
        _("contact e-mail for applicants"),
        blank=True,
        help_text=_("Where applicants write to ask a person for help."),
    )
    contact_phone = models.CharField(_("contact phone for applicants"), max_length=40, blank=True)
    # The text above in the other languages offered to applicants: {language: {field: text}}
    # (core/translations.py).
    translations = models.JSONField(_("translations"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-opens_on", "title"]
        verbose_name = _("call for applications")
        verbose_name_plural = _("calls for applications")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="call_closes_after_opening"
            ),
            models.CheckConstraint(
                condition=Q(min_age__isnull=True)
                | Q(max_age__isnull=True)
                | Q(min_age__lte=models.F("max_age")),
                name="call_age_range_ordered",
            ),
            models.CheckConstraint(
                condition=Q(required_language="", required_language_level="")
                | (~Q(required_language="") & ~Q(required_language_level="")),
                name="call_language_with_level",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class CallSite(models.Model):
    """Seats offered at one site by a call (a call may fill several sites)."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="call_sites")
    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="call_sites", verbose_name=_("site")
    )
    seats = models.PositiveSmallIntegerField(_("seats"), validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["call", "site__name"]
        verbose_name = _("seats at a site")
        verbose_name_plural = _("seats per site")
        constraints = [
            models.UniqueConstraint(fields=["call", "site"], name="call_site_once"),
            models.CheckConstraint(condition=Q(seats__gte=1), name="call_site_has_seats"),
        ]

    def __str__(self) -> str:
        return f"{self.site}: {self.seats}"


class StageKind(models.TextChoices):
    INFORMATION_SESSION = "information_session", _("Information session attended")
    WRITTEN_EXAM = "written_exam", _("Written exam or test (a score)")
    INTERVIEW = "interview", _("Interview with a scorecard")
    SOCIAL_INVESTIGATION = "social_investigation", _("Social investigation (home visit)")
    ADMINISTRATIVE_CHECK = "administrative_check", _("Administrative check")


class Stage(models.Model):
    """One step of a call's selection, in order."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="stages")
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=32, choices=StageKind.choices)
    name = models.CharField(_("name"), max_length=120)
    max_score = models.DecimalField(
        _("highest possible score"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    pass_mark = models.DecimalField(
        _("pass mark"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Scores below this are proposed for rejection. Leave empty for none."),
    )
    raters_per_application = models.PositiveSmallIntegerField(
        _("raters per application"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(9)],
    )
    standardise_raters = models.BooleanField(
        _("correct for severe or lenient raters"),
        default=False,
        help_text=_(
            "Each rater's marks are put on the common scale (same mean and spread) before they "
            "are averaged. Needs at least three interviews per rater."
        ),
    )
    # A written exam whose score comes from the placement test (placement app), not typed.
    placement_test = models.BooleanField(
        _("scored by the placement test"),
        default=False,
        help_text=_(
            "A finished placement test records its score here by itself, for the applicant's "
            "application to this call."
        ),
    )
    # Social investigation: the questions and how each answer weighs on the need index.
    questionnaire = models.JSONField(_("questionnaire"), default=list, blank=True)
    cohort_weight = models.DecimalField(
        _("weight in the cohort score"),
        max_digits=5,
        decimal_places=2,
        default=1,
        validators=[MinValueValidator(0)],
        help_text=_(
            "How much this stage's score counts when the committee chooses the cohort "
            "(0: not at all). Scores are put on a 0–100 scale first."
        ),
    )
    # The text above in the other languages offered to applicants: {language: {field: text}}
    # (core/translations.py).
    translations = models.JSONField(_("translations"), default=dict, blank=True)

    class Meta:
        ordering = ["call", "position"]
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        constraints = [
            models.UniqueConstraint(fields=["call", "position"], name="stage_position_once"),
            models.CheckConstraint(
                condition=Q(pass_mark__isnull=True)
                | Q(max_score__isnull=True)
                | Q(pass_mark__lte=models.F("max_score")),
                name="stage_pass_mark_within_max",
            ),
            models.CheckConstraint(
                condition=Q(cohort_weight__gte=0), name="stage_cohort_weight_not_negative"
            ),
            # A written exam's score is read on its scale: it needs a highest score above 0.
            models.CheckConstraint(
                condition=~Q(kind="written_exam") | Q(max_score__isnull=False, max_score__gt=0),
                name="stage_exam_has_max_score",
                violation_error_message=_(
                    "A written exam needs its highest possible score (above 0), for example 100."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_scored(self) -> bool:
        return self.kind in {StageKind.WRITTEN_EXAM, StageKind.INTERVIEW}


class Criterion(models.Model):
    """An interview criterion, weighted, with a description of what each mark means."""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("name"), max_length=120)
    weight = models.DecimalField(
        _("weight"), max_digits=5, decimal_places=2, validators=[MinValueValidator(0.01)]
    )
    # Five anchors: what a 1, 2, 3, 4 and 5 look like.
    anchors = models.JSONField(_("what each mark means"), default=list)
    # The text above in the other languages offered to applicants: {language: {field: text}}
    # (core/translations.py).
    translations = models.JSONField(_("translations"), default=dict, blank=True)

    class Meta:
        ordering = ["stage", "position"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.UniqueConstraint(fields=["stage", "position"], name="criterion_position_once"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight_positive"),
        ]

    def __str__(self) -> str:
        return self.name
