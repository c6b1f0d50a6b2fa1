"""Roll call on a trainer's phone: every tap is an operation the device names with a UUID
(kept, so that a tap sent twice is applied once), and the learner photos a trainer may see
on the list when the learner consented to it (docs/decisions/0028-offline-roll-call.md)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tremplin.core.encryption import EncryptedFileField
from tremplin.people.models import Consent, Person
from tremplin.training.models.attendance import MarkStatus
from tremplin.training.models.cohorts import Enrolment
from tremplin.training.models.timetable import Session


class MarkOperation(models.Model):
    """One tap received from a device. ``applied`` is False when a later tap for the same
    learner had already been recorded (the older one never overwrites it)."""

    op_id = models.UUIDField(_("operation"), unique=True)
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="mark_operations")
    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="mark_operations"
    )
    status = models.CharField(_("attendance"), max_length=8, choices=MarkStatus.choices)
    tapped_at = models.DateTimeField(_("tapped at"))
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    applied = models.BooleanField(_("applied"), default=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["session", "tapped_at", "pk"]
        verbose_name = _("roll-call tap")
        verbose_name_plural = _("roll-call taps")
        indexes = [models.Index(fields=["session", "enrolment"])]

    def __str__(self) -> str:
        return str(self.op_id)


def learner_photo_path(instance: LearnerPhoto, filename: str) -> str:
    return f"training/photos/{instance.person.site_id}/{secrets.token_hex(16)}.bin"


PHOTO_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}


class LearnerPhoto(models.Model):
    """A learner's photo for the trainer's attendance list, encrypted at rest, shown only
    while the consent it was taken under (people.Consent, purpose "rollcall_photo") holds."""

    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, related_name="rollcall_photo", verbose_name=_("learner")
    )
    file = EncryptedFileField(_("photo"), upload_to=learner_photo_path)
    extension = models.CharField(max_length=8, choices=[(k, k) for k in PHOTO_TYPES])
    consent = models.ForeignKey(
        Consent, on_delete=models.CASCADE, related_name="+", verbose_name=_("consent")
    )
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("learner photo")
        verbose_name_plural = _("learner photos")

    def __str__(self) -> str:
        return str(self.person)

    @property
    def content_type(self) -> str:
        return PHOTO_TYPES[self.extension]
