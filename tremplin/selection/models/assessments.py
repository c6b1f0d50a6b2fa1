"""What a stage records beyond its result: a rater's interview and marks, a home visit, an
administrative check."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tremplin.core.encryption import EncryptedTextField
from tremplin.selection.models.applications import Application
from tremplin.selection.models.calls import Criterion, Stage


class InterviewAssignment(models.Model):
    """A rater asked to interview one applicant; their marks stay hidden from the other
    raters until each has submitted their own."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="interview_assignments"
    )
    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="assignments")
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="interview_assignments"
    )
    comment = models.TextField(_("comment"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application", "rater__email"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "stage", "rater"], name="interview_rater_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rater} → {self.application}"


class Rating(models.Model):
    """One rater's mark on one criterion (1 to 5)."""

    assignment = models.ForeignKey(
        InterviewAssignment, on_delete=models.CASCADE, related_name="ratings"
    )
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="ratings")
    value = models.PositiveSmallIntegerField(
        _("mark"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assignment", "criterion"], name="rating_once"),
            models.CheckConstraint(condition=Q(value__gte=1, value__lte=5), name="rating_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"


class SocialInvestigation(models.Model):
    """A home visit: the questionnaire's answers (sensitive, encrypted) and the need index."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="social_investigations"
    )
    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="investigations")
    investigator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="social_investigations"
    )
    visited_on = models.DateField(_("visited on"), null=True, blank=True)
    answers = EncryptedTextField(_("answers"), blank=True)
    need_index = models.DecimalField(
        _("need index"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "stage"], name="investigation_once"),
            models.CheckConstraint(
                condition=Q(need_index__isnull=True) | Q(need_index__gte=0, need_index__lte=100),
                name="need_index_0_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application}"


class AdministrativeCheck(models.Model):
    """Documents received and the administrative situation found (sensitive)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="administrative_checks"
    )
    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="checks")
    documents_received = models.JSONField(default=list, blank=True)
    checks_passed = models.JSONField(default=list, blank=True)
    findings = EncryptedTextField(_("what was found"), blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "stage"], name="admin_check_once"),
        ]

    def __str__(self) -> str:
        return f"{self.application}"
