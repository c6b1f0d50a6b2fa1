"""The end-of-course satisfaction survey: who was asked (one invitation per enrolment, sent
at graduation or on demand for a cohort) and their one answer (five scales from 1 to 5 and
a free comment). Results are shown per cohort and trainer with small groups suppressed
(selectors/surveys.py): an answer holds no name, and only managers read the comments."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tremplin.core.encryption import EncryptedTextField
from tremplin.training.models.cohorts import Enrolment

SCALE_MIN = 1
SCALE_MAX = 5
# The questions, in the order the learner answers them (SurveyResponse's fields).
SURVEY_QUESTIONS = ("overall", "trainers", "content", "pace", "recommend")


class SatisfactionSurvey(models.Model):
    """The learner was asked to answer (at graduation, or sent for their cohort)."""

    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.CASCADE, related_name="survey", verbose_name=_("learner")
    )
    sent_at = models.DateTimeField(_("sent at"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("end-of-course survey")
        verbose_name_plural = _("end-of-course surveys")

    def __str__(self) -> str:
        return str(self.enrolment)


class SurveyResponse(models.Model):
    """One learner's answer. ``enrolment`` links it to its cohort (and so to its trainers);
    results never show it with a name."""

    enrolment = models.OneToOneField(
        Enrolment,
        on_delete=models.CASCADE,
        related_name="survey_response",
        verbose_name=_("learner"),
    )
    overall = models.PositiveSmallIntegerField(_("overall satisfaction"))
    trainers = models.PositiveSmallIntegerField(_("the trainers"))
    content = models.PositiveSmallIntegerField(_("the content"))
    pace = models.PositiveSmallIntegerField(_("the pace"))
    recommend = models.PositiveSmallIntegerField(_("would recommend it"))
    comment = EncryptedTextField(_("comment"), blank=True, default="")
    language = models.CharField(max_length=8, blank=True)
    answered_at = models.DateTimeField(_("answered at"))

    class Meta:
        ordering = ["-answered_at"]
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    **{
                        f"{name}__{lookup}": bound
                        for name in SURVEY_QUESTIONS
                        for lookup, bound in (("gte", SCALE_MIN), ("lte", SCALE_MAX))
                    }
                ),
                name="training_survey_scales_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return str(self.enrolment)
