"""The outcome of an application: proposed, validated by the committee, reversed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tremplin.selection.models.applications import Application, ReasonCode


class FinalDecision(models.Model):
    """The outcome of an application: proposed by an officer, validated by the committee,
    reversed only by a manager with a reason (the reversed row stays, for the record)."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        VALIDATED = "validated", _("Validated by the committee")
        REVERSED = "reversed", _("Reversed")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="final_decisions"
    )
    outcome = models.CharField(
        _("outcome"),
        max_length=16,
        choices=[
            (Application.Outcome.SELECTED, Application.Outcome.SELECTED.label),
            (Application.Outcome.WAITLISTED, Application.Outcome.WAITLISTED.label),
            (Application.Outcome.REJECTED, Application.Outcome.REJECTED.label),
        ],
    )
    reason = models.CharField(_("reason"), max_length=32, choices=ReasonCode.choices)
    note = models.TextField(_("note"), blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    proposed_at = models.DateTimeField()
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    validated_at = models.DateTimeField(null=True, blank=True)
    reversed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reversed_at = models.DateTimeField(null=True, blank=True)
    reversal_reason = models.TextField(_("why it is reversed"), blank=True)
    mailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=~Q(state="reversed"),
                name="one_standing_decision_per_application",
            ),
            models.CheckConstraint(
                condition=~Q(state="reversed") | ~Q(reversal_reason=""),
                name="reversal_has_a_reason",
            ),
            models.CheckConstraint(
                condition=~Q(state="validated") | Q(validated_at__isnull=False),
                name="validated_decision_has_a_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application}: {self.get_outcome_display()}"
