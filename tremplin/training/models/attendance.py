"""Attendance: one mark per learner and session."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tremplin.training.models.cohorts import Enrolment
from tremplin.training.models.timetable import Session


# applicant-facing: start (docs/languages.md: a learner reads their mark when they sign)
class MarkStatus(models.TextChoices):
    # With a context: "Present" alone is a column heading elsewhere ("Présents").
    PRESENT = "present", pgettext_lazy("attendance mark", "Present")
    LATE = "late", pgettext_lazy("attendance mark", "Late")
    ABSENT = "absent", pgettext_lazy("attendance mark", "Absent")
    EXCUSED = "excused", pgettext_lazy("attendance mark", "Excused")


# applicant-facing: end


class Mark(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="marks")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="marks")
    status = models.CharField(_("attendance"), max_length=8, choices=MarkStatus.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["session", "enrolment"]
        verbose_name = _("attendance mark")
        verbose_name_plural = _("attendance marks")
        constraints = [
            models.UniqueConstraint(fields=["session", "enrolment"], name="training_mark_once"),
        ]
        indexes = [models.Index(fields=["enrolment", "session"])]

    def __str__(self) -> str:
        return self.get_status_display()
