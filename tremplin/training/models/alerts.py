"""Early warning: the rules a programme sets (3 absences in a row, a rate below 80 % over
4 weeks, late 4 times in 4 weeks), the alerts they raise for a learner, and what the job
coach or site manager did about each alert until it was closed.

A rule's parameters are held by the database: each kind needs its own and no other. There
is at most one open alert per learner and rule (the background check raises idempotently).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tremplin.core.encryption import EncryptedTextField
from tremplin.network.models import Programme
from tremplin.training.early_warning import finding_words, rule_words
from tremplin.training.models.cohorts import Enrolment

MAX_COUNT = 30
MAX_WEEKS = 26


class AlertKind(models.TextChoices):
    ABSENCES_IN_A_ROW = "absences_in_a_row", _("Absences in a row")
    RATE_BELOW = "rate_below", _("Attendance rate below a threshold")
    LATE_TIMES = "late_times", _("Late several times")


class AlertRule(models.Model):
    """A programme's rule of one kind, in use or not. ``count``: absences in a row or times
    late; ``percent`` and ``weeks``: the attendance rate under which the rule fires, over the
    last weeks. A programme with no rule uses ``early_warning.DEFAULT_RULES``."""

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="alert_rules",
        verbose_name=_("programme"),
    )
    kind = models.CharField(_("kind of rule"), max_length=20, choices=AlertKind.choices)
    count = models.PositiveSmallIntegerField(_("how many times"), null=True, blank=True)
    percent = models.PositiveSmallIntegerField(_("attendance rate (%)"), null=True, blank=True)
    weeks = models.PositiveSmallIntegerField(_("over how many weeks"), null=True, blank=True)
    active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["programme", "kind", "pk"]
        verbose_name = _("early-warning rule")
        verbose_name_plural = _("early-warning rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=AlertKind.values), name="training_alert_rule_kind_known"
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        kind=AlertKind.ABSENCES_IN_A_ROW,
                        count__gte=1,
                        count__lte=MAX_COUNT,
                        percent__isnull=True,
                        weeks__isnull=True,
                    )
                    | Q(
                        kind=AlertKind.RATE_BELOW,
                        count__isnull=True,
                        percent__gte=1,
                        percent__lte=100,
                        weeks__gte=1,
                        weeks__lte=MAX_WEEKS,
                    )
                    | Q(
                        kind=AlertKind.LATE_TIMES,
                        count__gte=1,
                        count__lte=MAX_COUNT,
                        percent__isnull=True,
                        weeks__gte=1,
                        weeks__lte=MAX_WEEKS,
                    )
                ),
                name="training_alert_rule_parameters",
            ),
            # One rule of each kind per programme, switched on or off.
            models.UniqueConstraint(
                fields=["programme", "kind"], name="training_alert_rule_kind_once"
            ),
        ]

    def __str__(self) -> str:
        return rule_words(self.kind, count=self.count, percent=self.percent, weeks=self.weeks)


class AlertState(models.TextChoices):
    OPEN = "open", pgettext_lazy("alert state", "Open")
    CLOSED = "closed", pgettext_lazy("alert state", "Closed")


class AlertOutcome(models.TextChoices):
    """How an alert ended."""

    BACK_ON_TRACK = "back_on_track", _("Back on track")
    SUPPORT = "support", _("Support put in place")
    JUSTIFIED = "justified", _("Absences explained, no risk")
    LEFT = "left", _("The learner left the training")
    UNREACHABLE = "unreachable", _("Could not be reached")
    OTHER = "other", _("Other")


class Alert(models.Model):
    """A rule that fired for a learner. ``facts`` holds what fired (counts, rate, dates),
    put into words in the reader's language; ``evidence_until`` the start of the latest
    session it counted, so a closed alert is not raised again from the same marks."""

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="alerts", verbose_name=_("learner")
    )
    rule = models.ForeignKey(
        AlertRule, on_delete=models.PROTECT, related_name="alerts", verbose_name=_("rule")
    )
    raised_at = models.DateTimeField(_("raised at"))
    facts = models.JSONField(default=dict)
    evidence_until = models.DateTimeField()
    state = models.CharField(
        _("state"), max_length=8, choices=AlertState.choices, default=AlertState.OPEN
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=AlertOutcome.choices, blank=True
    )
    closing_note = EncryptedTextField(_("note"), blank=True, default="")

    class Meta:
        ordering = ["-raised_at", "-pk"]
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "rule"],
                condition=Q(state="open"),
                name="training_alert_open_once",
            ),
            models.CheckConstraint(
                condition=Q(state="open", closed_at__isnull=True, outcome="")
                | Q(state="closed", closed_at__isnull=False) & ~Q(outcome=""),
                name="training_alert_closed_with_outcome",
            ),
            models.CheckConstraint(
                condition=Q(outcome="") | Q(outcome__in=AlertOutcome.values),
                name="training_alert_outcome_known",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "raised_at"]),
            models.Index(fields=["enrolment", "rule", "state"]),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} — {self.rule}"

    @property
    def fired(self) -> str:
        """What fired, in the reader's language."""
        return finding_words(self.facts)


class ActionKind(models.TextChoices):
    CALL = "call", _("Phone call")
    MEETING = "meeting", _("Meeting")
    MESSAGE = "message", _("Message")
    HOME_VISIT = "home_visit", _("Home visit")
    OTHER = "other", _("Other")


class ActionOutcome(models.TextChoices):
    REACHED = "reached", _("Spoke with the learner")
    NOT_REACHED = "not_reached", _("Could not reach them")
    PLAN_AGREED = "plan_agreed", _("Agreed on what happens next")
    REFERRED = "referred", _("Referred to another service")
    OTHER = "other", _("Other")


class AlertAction(models.Model):
    """What someone did about an alert: a call, a meeting, and what came of it."""

    alert = models.ForeignKey(
        Alert, on_delete=models.CASCADE, related_name="actions", verbose_name=_("alert")
    )
    kind = models.CharField(_("what was done"), max_length=12, choices=ActionKind.choices)
    done_on = models.DateField(_("date"))
    outcome = models.CharField(_("outcome"), max_length=12, choices=ActionOutcome.choices)
    note = EncryptedTextField(_("note"), blank=True, default="")
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-done_on", "-pk"]
        verbose_name = _("action on an alert")
        verbose_name_plural = _("actions on alerts")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ActionKind.values), name="training_alert_action_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=ActionOutcome.values),
                name="training_alert_action_outcome_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.done_on}"
