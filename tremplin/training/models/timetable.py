"""The timetable: rooms of a site, holidays, and the sessions of a cohort (date, time, room or
video link, trainers and optional volunteers)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tremplin.network.models import Site
from tremplin.people.models import Person
from tremplin.training.models.cohorts import Cohort
from tremplin.training.models.structure import Module


class Room(models.Model):
    site = models.ForeignKey(
        Site, on_delete=models.CASCADE, related_name="training_rooms", verbose_name=_("site")
    )
    name = models.CharField(_("name"), max_length=120)
    capacity = models.PositiveSmallIntegerField(_("places"), null=True, blank=True)

    class Meta:
        ordering = ["site", "name"]
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        constraints = [
            models.UniqueConstraint(fields=["site", "name"], name="training_room_name_once")
        ]

    def __str__(self) -> str:
        return self.name


class Session(models.Model):
    """One class of a cohort: a start and an end in the site's time zone, a place, people."""

    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("cohort")
    )
    module = models.ForeignKey(
        Module,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("module"),
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    room = models.ForeignKey(
        Room,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("room"),
    )
    video_link = models.URLField(_("video link"), blank=True)
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="training_sessions",
        blank=True,
        verbose_name=_("trainers"),
    )
    volunteers = models.ManyToManyField(
        Person, related_name="volunteer_sessions", blank=True, verbose_name=_("volunteers")
    )
    # timetable: the weekly pattern that generated the session, if any, and the number of
    # changes (the SEQUENCE of its calendar event, so that subscribed calendars update it).
    pattern = models.ForeignKey(
        "training.WeeklyPattern",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("weekly pattern"),
    )
    sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="training_session_ends_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["cohort", "starts_at"]),
            models.Index(fields=["room", "starts_at"]),
        ]

    def __str__(self) -> str:
        return self.title or (self.module.title if self.module else str(self.cohort))
