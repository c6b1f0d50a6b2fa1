"""The end-of-course survey, written: sending it (at graduation, heard from
``learner_left_training``, or for a whole cohort on demand) and a learner's answer.

The link is the learner's private link (``me/<token>/survey/``): sending renews it, so the
message carries a working link and any older link to the learner's pages stops working.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.core.audit import audit_record
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import User
from tremplin.core.tokens import token_hash
from tremplin.messaging.models import Kind
from tremplin.messaging.services import send_to_applicant
from tremplin.training.models import Cohort, Enrolment, SatisfactionSurvey, SurveyResponse
from tremplin.training.models.surveys import SCALE_MAX, SCALE_MIN, SURVEY_QUESTIONS
from tremplin.training.selectors.access import sees_cohort_site_wide
from tremplin.training.signals import learner_left_training

# Who is asked when a survey is sent for a cohort: learners still in it and graduates.
ASKED = (Enrolment.Status.ACTIVE, Enrolment.Status.GRADUATED)


def _learner_language(enrolment: Enrolment) -> str:
    application = enrolment.application
    return application.language if application is not None else ""


def survey_send(
    *, actor: User | None, enrolment: Enrolment, base_url: str = ""
) -> SatisfactionSurvey:
    """Ask one learner to answer, by e-mail and SMS (whichever they gave): renews their
    private link and records the invitation. Call inside a transaction or not; the message
    leaves after the commit."""
    token = secrets.token_urlsafe(24)
    base = (base_url or settings.TREMPLIN_BASE_URL).rstrip("/")
    link = base + reverse("training:survey-answer", kwargs={"token": token})
    site = enrolment.cohort.run.site
    with transaction.atomic():
        enrolment.token_hash = token_hash(token)
        enrolment.save(update_fields=["token_hash", "updated_at"])
        survey, _created = SatisfactionSurvey.objects.update_or_create(
            enrolment=enrolment, defaults={"sent_at": timezone.now(), "sent_by": actor}
        )
        send_to_applicant(
            site=site,
            kind=Kind.SURVEY,
            template="training/mail/survey",
            context={"enrolment": enrolment, "link": link, "site": site},
            language=_learner_language(enrolment),
            person=enrolment.person,
            about=enrolment,
        )
        audit_record(actor=actor, action=AuditAction.SURVEY_SENT, subject=enrolment)
    return survey


def surveys_send_for_cohort(*, actor: User, cohort: Cohort, base_url: str = "") -> int:
    """Ask every learner of the cohort who is in training or graduated and has not answered.
    Returns how many were asked."""
    if not sees_cohort_site_wide(actor, cohort):
        raise PermissionDenied
    enrolments = list(
        cohort.enrolments.filter(status__in=ASKED, survey_response__isnull=True).select_related(
            "person", "application", "cohort__run__site"
        )
    )
    if not enrolments:
        raise ValidationError(_("No learner of this cohort is left to ask: everyone answered."))
    with transaction.atomic():
        for enrolment in enrolments:
            survey_send(actor=actor, enrolment=enrolment, base_url=base_url)
    return len(enrolments)


@receiver(learner_left_training, dispatch_uid="training.surveys.learner_left_training")
def _learner_left(sender: Any, *, enrolment: Enrolment, **kwargs: Any) -> None:
    """A graduate is asked at once (inside the graduation's transaction)."""
    if enrolment.status != Enrolment.Status.GRADUATED:
        return
    if SurveyResponse.objects.filter(enrolment=enrolment).exists():
        return
    survey_send(actor=None, enrolment=enrolment)


@dataclass(frozen=True)
class Answers:
    overall: int
    trainers: int
    content: int
    pace: int
    recommend: int
    comment: str = ""


# applicant-facing: start (docs/languages.md)
def survey_answer(*, enrolment: Enrolment, answers: Answers, language: str) -> SurveyResponse:
    """Record the learner's one answer."""
    if not SatisfactionSurvey.objects.filter(enrolment=enrolment).exists():
        raise ValidationError(_("This survey is not open yet."))
    errors = {
        name: _("Choose one answer.")
        for name in SURVEY_QUESTIONS
        if not SCALE_MIN <= getattr(answers, name) <= SCALE_MAX
    }
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            response = SurveyResponse.objects.create(
                enrolment=enrolment,
                language=language[:8],
                answered_at=timezone.now(),
                comment=answers.comment.strip()[:2000],
                **{name: getattr(answers, name) for name in SURVEY_QUESTIONS},
            )
            audit_record(actor=None, action=AuditAction.SURVEY_ANSWERED, subject=enrolment)
    except IntegrityError as exc:
        raise ValidationError(_("You have already answered. Thank you!")) from exc
    return response


# applicant-facing: end
