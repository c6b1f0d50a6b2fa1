"""Assessments of a programme and the learners' results.

An assessment belongs to the programme (so every run and every site shares it) and to one of
its periods, one of its modules, or both: a term's written exam, a module's practical test.
Its highest score, pass mark and weight count in the transcript's weighted averages. A
result is one learner's score on it, entered for a whole cohort at once."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from tremplin.network.models import Programme
from tremplin.training.models.cohorts import Enrolment
from tremplin.training.models.structure import Module, Period

SCORE_MAX = Decimal("1000")


class AssessmentKind(models.TextChoices):
    # applicant-facing: start (docs/languages.md): printed on the learner's transcript
    WRITTEN_EXAM = "written_exam", _("Written exam")
    PRACTICAL = "practical", _("Practical test")
    ORAL = "oral", _("Oral")
    CONTINUOUS = "continuous", _("Continuous assessment")
    PROJECT = "project", _("Project")
    # applicant-facing: end


class Assessment(models.Model):
    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="assessments",
        verbose_name=_("programme"),
    )
    period = models.ForeignKey(
        Period,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessments",
        verbose_name=_("period"),
    )
    module = models.ForeignKey(
        Module,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessments",
        verbose_name=_("module"),
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=AssessmentKind.choices)
    max_score = models.DecimalField(
        _("highest score"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(SCORE_MAX)],
    )
    pass_mark = models.DecimalField(
        _("pass mark"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(SCORE_MAX)],
    )
    weight = models.DecimalField(
        _("weight"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal(100))],
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["programme", "period__position", "module__position", "pk"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "title"], name="training_assessment_title_once"
            ),
            models.CheckConstraint(
                condition=Q(period__isnull=False) | Q(module__isnull=False),
                name="training_assessment_of_period_or_module",
            ),
            models.CheckConstraint(
                condition=Q(max_score__gt=0), name="training_assessment_max_score_positive"
            ),
            models.CheckConstraint(
                condition=Q(pass_mark__gte=0, pass_mark__lte=F("max_score")),
                name="training_assessment_pass_mark_within_max",
            ),
            models.CheckConstraint(
                condition=Q(weight__gt=0), name="training_assessment_weight_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class AssessmentResult(models.Model):
    """One learner's score on an assessment (from 0 to its highest score)."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.PROTECT, related_name="results", verbose_name=_("assessment")
    )
    enrolment = models.ForeignKey(
        Enrolment,
        on_delete=models.CASCADE,
        related_name="assessment_results",
        verbose_name=_("learner"),
    )
    score = models.DecimalField(
        _("score"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(SCORE_MAX)],
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["assessment", "enrolment"]
        verbose_name = _("assessment result")
        verbose_name_plural = _("assessment results")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "enrolment"], name="training_result_once"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0), name="training_result_score_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} — {self.score}"
