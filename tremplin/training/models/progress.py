"""Evidence of competence: what shows that a learner reached a level of a framework's
competence — a placement re-test, a trainer's assessment, a project's evaluation, a
certification result. A learner's profile and a cohort's heat map are read from it."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tremplin.placement.models import Competence
from tremplin.training.models.cohorts import Enrolment


class EvidenceSource(models.TextChoices):
    PLACEMENT = "placement", _("Placement test")
    TRAINER = "trainer", _("Trainer's assessment")
    PROJECT = "project", _("Project evaluation")
    CERTIFICATION = "certification", _("Certification result")


class CompetenceEvidence(models.Model):
    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("learner")
    )
    competence = models.ForeignKey(
        Competence, on_delete=models.PROTECT, related_name="+", verbose_name=_("competence")
    )
    level = models.PositiveSmallIntegerField(
        _("level"), validators=[MinValueValidator(1), MaxValueValidator(8)]
    )
    source = models.CharField(_("source"), max_length=16, choices=EvidenceSource.choices)
    # The record it comes from, when it is one: "project_evaluation:12", "certification:3".
    source_ref = models.CharField(max_length=64, blank=True)
    assessed_on = models.DateField(_("assessed on"))
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["enrolment", "competence", "-assessed_on", "-pk"]
        verbose_name = _("competence evidence")
        verbose_name_plural = _("competence evidence")
        constraints = [
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=8), name="training_evidence_level_1_to_8"
            ),
        ]
        indexes = [models.Index(fields=["enrolment", "competence", "assessed_on"])]

    def __str__(self) -> str:
        return f"{self.competence.code} {self.level}"
