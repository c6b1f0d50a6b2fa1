"""External certifications: a session of a certification (PCIE/ICDL, Pix, the French basic
digital-skills certification, a national degree or another named one) held at a site for
one or more of its cohorts, and each learner's result in it.

A passed result of a certification read in a competency framework (Pix, ICDL) becomes
evidence of competence in the framework it maps to (DigComp), through the placement app's
crosswalk (services/certification.py)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tremplin.network.models import Site
from tremplin.placement.models import Framework
from tremplin.training.models.cohorts import Cohort, Enrolment


class CertificationKind(models.TextChoices):
    PCIE_ICDL = "pcie_icdl", _("PCIE / ICDL")
    PIX = "pix", _("Pix")
    CLEA_NUMERIQUE = "clea_numerique", _("Certification Pix / CléA numérique")
    NATIONAL_DEGREE = "national_degree", _("National degree")
    OTHER = "other", _("Other certification")


# The kinds whose name must be given (which degree, which certification).
NAMED_KINDS = frozenset({CertificationKind.NATIONAL_DEGREE, CertificationKind.OTHER})


class CertificationSession(models.Model):
    site = models.ForeignKey(
        Site,
        on_delete=models.PROTECT,
        related_name="certification_sessions",
        verbose_name=_("site"),
    )
    cohorts = models.ManyToManyField(
        Cohort, related_name="certification_sessions", verbose_name=_("cohorts")
    )
    kind = models.CharField(_("certification"), max_length=16, choices=CertificationKind.choices)
    name = models.CharField(
        _("name of the certification"),
        max_length=200,
        blank=True,
        help_text=_("Required for a national degree or another certification."),
    )
    awarding_body = models.CharField(_("awarding body"), max_length=200)
    held_on = models.DateField(_("date"))
    reference = models.CharField(_("session reference"), max_length=80, blank=True)
    framework = models.ForeignKey(
        Framework,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("competency framework"),
        help_text=_(
            "The framework the certification is read in (Pix, ICDL): a passed result "
            "becomes evidence of the competences it covers."
        ),
    )
    max_score = models.PositiveIntegerField(
        _("highest score"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100000)],
        help_text=_("Empty when the certification gives no score."),
    )
    pass_level = models.PositiveSmallIntegerField(
        _("level shown by a pass"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(8)],
        help_text=_("The framework's level a pass shows when the result gives no level."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-held_on", "pk"]
        verbose_name = _("certification session")
        verbose_name_plural = _("certification sessions")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind__in=["national_degree", "other"]) | ~Q(name=""),
                name="training_certification_named",
            ),
            models.CheckConstraint(
                condition=Q(pass_level__isnull=True) | Q(pass_level__gte=1, pass_level__lte=8),
                name="training_certification_pass_level_1_to_8",
            ),
        ]
        indexes = [models.Index(fields=["site", "held_on"])]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return self.name or str(self.get_kind_display())


class CertificationOutcome(models.TextChoices):
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Failed")
    ABSENT = "absent", _("Absent")


class CertificationResult(models.Model):
    session = models.ForeignKey(
        CertificationSession, on_delete=models.CASCADE, related_name="results"
    )
    enrolment = models.ForeignKey(
        Enrolment,
        on_delete=models.CASCADE,
        related_name="certification_results",
        verbose_name=_("learner"),
    )
    outcome = models.CharField(_("result"), max_length=8, choices=CertificationOutcome.choices)
    score = models.PositiveIntegerField(_("score"), null=True, blank=True)
    level = models.PositiveSmallIntegerField(
        _("level"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(8)],
    )
    reference = models.CharField(_("certificate number"), max_length=80, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["session", "enrolment"]
        verbose_name = _("certification result")
        verbose_name_plural = _("certification results")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "enrolment"], name="training_certification_result_once"
            ),
            models.CheckConstraint(
                condition=Q(level__isnull=True) | Q(level__gte=1, level__lte=8),
                name="training_certification_level_1_to_8",
            ),
        ]

    def __str__(self) -> str:
        return str(self.get_outcome_display())
