"""Signed attendance: a learner's signature for a half-day of a session, and the room code
learners type on their own phone to sign.

French practice (Qualiopi audits, public funders): each learner signs once per half-day,
so a session that runs over the morning and the afternoon takes two signatures. The image
is a PNG drawn with a finger on a canvas, checked and re-encoded by the service, and kept
encrypted (a handwritten signature is personal data).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tremplin.training.models.cohorts import Enrolment
from tremplin.training.models.timetable import Session


class HalfDay(models.TextChoices):
    # applicant-facing: start (docs/languages.md)
    MORNING = "am", _("Morning")
    AFTERNOON = "pm", _("Afternoon")
    # applicant-facing: end


class SignatureMethod(models.TextChoices):
    TRAINER_DEVICE = "trainer_device", _("On the trainer's phone")
    OWN_DEVICE = "own_device", _("On their own phone, with the room code")


class Signature(models.Model):
    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="signatures", verbose_name=_("session")
    )
    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="signatures", verbose_name=_("learner")
    )
    half_day = models.CharField(_("half-day"), max_length=2, choices=HalfDay.choices)
    method = models.CharField(_("signed"), max_length=16, choices=SignatureMethod.choices)
    # The PNG, encrypted (core.encryption.encrypt_bytes); read it with services.signatures.
    image = models.BinaryField(editable=False)
    signed_at = models.DateTimeField(_("signed at"))
    # The member of staff whose phone collected it; none when the learner used their own.
    collected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("collected by"),
    )

    class Meta:
        ordering = ["session", "enrolment", "half_day"]
        verbose_name = _("attendance signature")
        verbose_name_plural = _("attendance signatures")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "enrolment", "half_day"], name="training_signature_once"
            ),
            models.CheckConstraint(
                condition=Q(half_day__in=["am", "pm"]), name="training_signature_half_day_known"
            ),
            models.CheckConstraint(
                condition=Q(method__in=["trainer_device", "own_device"]),
                name="training_signature_method_known",
            ),
        ]
        indexes = [models.Index(fields=["enrolment", "session"])]

    def __str__(self) -> str:
        return f"{self.enrolment_id} {self.session_id} {self.half_day}"


class RoomCode(models.Model):
    """The code a trainer shows in the room: learners type it on their own phone to sign.
    Valid only around the session's time; renewing it replaces it (the old one stops)."""

    session = models.OneToOneField(
        Session, on_delete=models.CASCADE, related_name="room_code", verbose_name=_("session")
    )
    code = models.CharField(_("code"), max_length=6)
    valid_from = models.DateTimeField(_("valid from"))
    valid_until = models.DateTimeField(_("valid until"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("room code")
        verbose_name_plural = _("room codes")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gt=models.F("valid_from")),
                name="training_room_code_window",
            ),
        ]

    def __str__(self) -> str:
        return self.code


class SessionTally(models.Model):
    """How many marks of each status a session has: what the attendance dashboard adds up,
    a row per session instead of one per learner and session.

    Kept by the database itself: triggers on ``training_mark`` (migration
    0002_sheets_signatures) recount a session's marks whenever one is written, changed or
    deleted, whoever writes it (roll call, import, the admin, a signature). Never written
    by the application."""

    session = models.OneToOneField(
        Session, on_delete=models.CASCADE, primary_key=True, related_name="tally"
    )
    present = models.PositiveIntegerField(default=0)
    late = models.PositiveIntegerField(default=0)
    absent = models.PositiveIntegerField(default=0)
    excused = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("attendance count of a session")
        verbose_name_plural = _("attendance counts of sessions")

    def __str__(self) -> str:
        return f"{self.session_id}: {self.present}/{self.late}/{self.absent}/{self.excused}"
