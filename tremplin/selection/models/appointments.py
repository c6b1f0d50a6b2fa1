"""Appointments: an interview, a home visit or a selection day set at a date, time and place
(or video link), with the applicants and the staff invited."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tremplin.selection.models.applications import Application
from tremplin.selection.models.calls import Stage


class Appointment(models.Model):
    stage = models.ForeignKey(
        Stage, on_delete=models.CASCADE, related_name="appointments", verbose_name=_("stage")
    )
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("starts at"))
    ends_at = models.TimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    video_link = models.URLField(_("video link"), blank=True)
    note = models.TextField(_("note for those invited"), blank=True)
    applications = models.ManyToManyField(
        Application, related_name="appointments", verbose_name=_("applicants")
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="selection_appointments", verbose_name=_("staff")
    )
    # The calendar event's identity, kept when the appointment changes (RFC 5545 UID).
    uid = models.CharField(max_length=64, unique=True)
    # RFC 5545 SEQUENCE: raised at each change, so calendars replace the event they hold.
    sequence = models.PositiveIntegerField(default=0)
    invitations_sent_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["date", "starts_at", "pk"]
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="appointment_ends_after_start"
            ),
            models.CheckConstraint(
                condition=~Q(place="") | ~Q(video_link=""), name="appointment_has_a_place"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stage} · {self.date:%Y-%m-%d} {self.starts_at:%H:%M}"


class AppointmentLink(models.Model):
    """A private link that shows an applicant their appointment (sent by SMS): the token
    goes to the applicant, only its hash is kept (core.tokens). Each message gets its own
    link; they all lead to the appointment as it is now, and go with it."""

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="links")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.appointment} · {self.application_id}"
