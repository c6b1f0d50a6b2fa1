"""The committee's cohort: its rules, its own choices for applicants, and the rounds of the
optimiser it acted on."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tremplin.selection.models.applications import Application
from tremplin.selection.models.calls import Call


class CohortAttribute(models.TextChoices):
    GENDER = "gender", _("Gender")
    REGION = "region", _("Region")
    PRIORITY = "priority_neighbourhood", _("Priority neighbourhood")
    AGE_BAND = "age_band", _("Age band")
    CHANNEL = "channel", _("How they heard about us")
    NATIONALITY = "nationality", _("Nationality")


class CohortRuleKind(models.TextChoices):
    MIN_SHARE = "min_share", _("At least this share")
    MAX_SHARE = "max_share", _("At most this share")
    MIN_COUNT = "min_count", _("At least this many")
    MAX_COUNT = "max_count", _("At most this many")
    MAX_COUNT_EACH = "max_count_each", _("At most this many for each value")


class CohortRule(models.Model):
    """A commitment the cohort must keep: at least 50 % women, at most 12 per province…"""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="cohort_rules")
    position = models.PositiveSmallIntegerField(_("position"))
    attribute = models.CharField(_("about"), max_length=32, choices=CohortAttribute.choices)
    kind = models.CharField(_("rule"), max_length=16, choices=CohortRuleKind.choices)
    value = models.CharField(_("value"), max_length=64, blank=True)
    target = models.DecimalField(
        _("target"),
        max_digits=7,
        decimal_places=4,
        help_text=_("A share is written between 0 and 1 (0.5 for 50 %); a count is whole."),
    )
    per_site = models.BooleanField(_("at each site"), default=False)

    class Meta:
        ordering = ["call", "position"]
        verbose_name = _("cohort rule")
        verbose_name_plural = _("cohort rules")
        constraints = [
            models.UniqueConstraint(fields=["call", "position"], name="cohort_rule_position_once"),
            models.CheckConstraint(
                condition=~Q(kind__in=["min_share", "max_share"]) | Q(target__gte=0, target__lte=1),
                name="cohort_rule_share_between_0_and_1",
            ),
            models.CheckConstraint(condition=Q(target__gte=0), name="cohort_rule_target_positive"),
            models.CheckConstraint(
                condition=Q(kind="max_count_each", value="")
                | (~Q(kind="max_count_each") & ~Q(value="")),
                name="cohort_rule_value_unless_each",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_attribute_display()} {self.get_kind_display()} {self.target}"


class CohortPin(models.Model):
    """The committee's own choice for one applicant: always in, or never."""

    class Must(models.TextChoices):
        INCLUDE = "include", _("Always in the cohort")
        EXCLUDE = "exclude", _("Never in the cohort")

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="cohort_pin"
    )
    must = models.CharField(_("committee's choice"), max_length=8, choices=Must.choices)
    note = models.CharField(_("why"), max_length=300)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    set_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("committee's choice")
        verbose_name_plural = _("committee's choices")
        constraints = [
            models.CheckConstraint(
                condition=Q(must__in=["include", "exclude"]), name="cohort_pin_must_known"
            ),
            models.CheckConstraint(condition=~Q(note=""), name="cohort_pin_has_a_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.application}: {self.get_must_display()}"


class CohortRound(models.Model):
    """One run of the optimiser the committee acted on: what it was asked, what it found,
    who proposed and validated it, and the minutes. Kept whole, so the minutes can be
    printed again as they were."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("Proposed to the committee")
        VALIDATED = "validated", _("Validated by the committee")

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="cohort_rounds")
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.PROPOSED
    )
    # The question: seats, sites, weights, rules; the answer: status, objective, bound, each
    # applicant's outcome and reason, each rule's gauge. Names, never sensitive data.
    snapshot = models.JSONField(default=dict)
    objective = models.FloatField()
    bound = models.FloatField()
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    proposed_at = models.DateTimeField()
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    validated_at = models.DateTimeField(null=True, blank=True)
    members_present = models.TextField(_("members present"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)

    class Meta:
        ordering = ["call", "-proposed_at"]
        verbose_name = _("committee round")
        verbose_name_plural = _("committee rounds")
        constraints = [
            models.CheckConstraint(
                condition=Q(state="proposed")
                | Q(validated_at__isnull=False, validated_by__isnull=False),
                name="cohort_round_validated_has_who_and_when",
            ),
            models.UniqueConstraint(
                fields=["call"],
                condition=Q(state="proposed"),
                name="cohort_round_one_open_per_call",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.call} — {self.proposed_at:%Y-%m-%d}"
