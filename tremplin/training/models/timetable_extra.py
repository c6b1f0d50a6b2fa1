"""What the timetable needs beyond rooms and sessions: holidays (no class that day), weekly
patterns ("Mon–Thu 9:00–12:30 for 6 weeks", which generate sessions and stay linked to them)
and calendar subscription addresses (one per trainer, one per cohort; only the hash of the
token is kept, and renewing it ends the old address)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tremplin.network.models import Organisation, Site
from tremplin.people.models import Person
from tremplin.training.models.cohorts import Cohort
from tremplin.training.models.structure import Module
from tremplin.training.models.timetable import Room


class Holiday(models.Model):
    """Days without class: for every site of the organisation, or for one site."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="training_holidays",
        verbose_name=_("organisation"),
    )
    site = models.ForeignKey(
        Site,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="training_holidays",
        verbose_name=_("site"),
        help_text=_("Leave empty for a holiday at every site of the organisation."),
    )
    name = models.CharField(_("name"), max_length=120)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_on", "name"]
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="training_holiday_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "starts_on"])]

    def __str__(self) -> str:
        return self.name


class WeeklyPattern(models.Model):
    """Sessions on the same weekdays at the same time, from one date to another."""

    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="patterns", verbose_name=_("cohort")
    )
    # Weekdays as digits, Monday 0 … Sunday 6: "0123" is Monday to Thursday.
    weekdays = models.CharField(_("days of the week"), max_length=7)
    starts_at = models.TimeField(_("start time"))
    ends_at = models.TimeField(_("end time"))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    module = models.ForeignKey(
        Module,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="patterns",
        verbose_name=_("module"),
    )
    room = models.ForeignKey(
        Room,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="patterns",
        verbose_name=_("room"),
    )
    video_link = models.URLField(_("video link"), blank=True)
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="training_patterns",
        blank=True,
        verbose_name=_("trainers"),
    )
    volunteers = models.ManyToManyField(
        Person, related_name="volunteer_patterns", blank=True, verbose_name=_("volunteers")
    )
    # The dates the user chose to leave out (clashes), and those holidays took, as ISO dates.
    skipped = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("weekly pattern")
        verbose_name_plural = _("weekly patterns")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="training_pattern_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="training_pattern_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(weekdays__regex=r"^0?1?2?3?4?5?6?$") & ~Q(weekdays=""),
                name="training_pattern_weekdays",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cohort} {self.weekdays} {self.starts_at}–{self.ends_at}"


class CalendarLink(models.Model):
    """The private address of a calendar subscription: a trainer's sessions, or a cohort's."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="training_calendar_link",
        verbose_name=_("trainer"),
    )
    cohort = models.OneToOneField(
        Cohort,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="calendar_link",
        verbose_name=_("cohort"),
    )
    token_hash = models.CharField(max_length=64, unique=True)
    renewed_at = models.DateTimeField(_("renewed at"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("calendar subscription address")
        verbose_name_plural = _("calendar subscription addresses")
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=True, cohort__isnull=False)
                | Q(user__isnull=False, cohort__isnull=True),
                name="training_calendar_link_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return str(self.user or self.cohort)
