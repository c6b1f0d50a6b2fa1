"""The company tutor's evaluation by private link (docs/decisions/0037): staff ask for it
(the link is sent by e-mail, or by SMS when the tutor gave only a phone, after the commit),
revoke it, ask again; the tutor submits it once. The link is single-purpose (this intern,
this evaluation), expires, and stops working once submitted or revoked. Only the token's
hash is kept."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.core.audit import audit_record
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import User
from tremplin.core.tokens import token_hash
from tremplin.messaging.models import Kind, Message
from tremplin.messaging.services import send_to_applicant
from tremplin.partners.models import Internship, TutorEvaluation
from tremplin.partners.selectors.follow_up import FOLLOWED, Criterion, evaluation_state

# How long the tutor's link works.
DAYS = 30
RATINGS = (1, 2, 3, 4)


@dataclass(frozen=True)
class EvaluationSent:
    evaluation: TutorEvaluation
    link: str
    sent: tuple[Message, ...]


def tutor_language(internship: Internship) -> str:
    """The tutor's language if the interface speaks it, else the learner's site's."""
    codes = {code for code, _name in settings.LANGUAGES}
    language = internship.tutor.language if internship.tutor is not None else ""
    if language in codes:
        return language
    return internship.enrolment.cohort.run.site.default_language


def tutor_evaluation_request(
    *, actor: User, internship: Internship, base_url: str, days: int = DAYS
) -> EvaluationSent:
    """A new link for the tutor (any link still open for this internship is revoked: asking
    again sends a new one), sent in the tutor's language."""
    tutor = internship.tutor
    if internship.status not in FOLLOWED:
        raise ValidationError(
            _("The tutor is asked for an evaluation once the agreement is signed.")
        )
    if tutor is None:
        raise ValidationError(_("Name the company tutor on the agreement first."))
    if not (tutor.email or tutor.phone):
        raise ValidationError(
            _("%(name)s has no e-mail address or phone number: add one to the contact first.")
            % {"name": tutor.name}
        )
    token = secrets.token_urlsafe(32)
    link = base_url.rstrip("/") + reverse("partners:tutor-evaluation", kwargs={"token": token})
    site = internship.enrolment.cohort.run.site
    language = tutor_language(internship)
    now = timezone.now()
    with transaction.atomic():
        locked = Internship.objects.select_for_update().get(pk=internship.pk)
        for earlier in locked.evaluations.filter(
            submitted_at__isnull=True, revoked_at__isnull=True
        ):
            _revoke(actor=actor, evaluation=earlier, now=now, note="asked again")
        evaluation = TutorEvaluation.objects.create(
            internship=locked,
            tutor=tutor,
            token_hash=token_hash(token),
            language=language,
            expires_at=now + dt.timedelta(days=days),
            requested_by=actor,
        )
        sent = tuple(
            send_to_applicant(
                site=site,
                kind=Kind.TUTOR_EVALUATION,
                template="partners/messages/tutor_evaluation",
                context={
                    "tutor": tutor,
                    "person": internship.enrolment.person,
                    "link": link,
                    "site": site,
                    "expires_at": evaluation.expires_at,
                },
                language=language,
                email=tutor.email,
                # by SMS only when the tutor gave no e-mail address
                phone="" if tutor.email else tutor.phone,
                about=evaluation,
            )
        )
        audit_record(
            actor=actor,
            action=AuditAction.EVALUATION_REQUESTED,
            subject=locked,
            changes={"evaluation": evaluation.pk, "days": days, "language": language},
            note=", ".join(message.get_channel_display() for message in sent),
        )
    return EvaluationSent(evaluation, link, sent)


def _revoke(*, actor: User, evaluation: TutorEvaluation, now: dt.datetime, note: str = "") -> None:
    evaluation.revoked_at = now
    evaluation.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        action=AuditAction.EVALUATION_REVOKED,
        subject=evaluation.internship,
        changes={"evaluation": evaluation.pk},
        note=note,
    )


@transaction.atomic
def tutor_evaluation_revoke(*, actor: User, evaluation: TutorEvaluation) -> TutorEvaluation:
    """The link stops working. A submitted evaluation stays (it is the tutor's word)."""
    evaluation = (
        TutorEvaluation.objects.select_for_update()
        .select_related("internship")
        .get(pk=evaluation.pk)
    )
    if evaluation.submitted_at is not None:
        raise ValidationError(
            _("The tutor has already sent this evaluation: it cannot be revoked.")
        )
    if evaluation.revoked_at is None:
        _revoke(actor=actor, evaluation=evaluation, now=timezone.now())
    return evaluation


@transaction.atomic
def tutor_evaluation_submit(
    *,
    evaluation: TutorEvaluation,
    criteria: list[Criterion],
    ratings: dict[str, int],
    comment: str,
    would_hire: bool | None,
    evaluator_name: str,
) -> TutorEvaluation:
    """The tutor's answers, once: refused when the link was already used, revoked or has
    expired (checked under a lock, so two taps submit once)."""
    evaluation = (
        TutorEvaluation.objects.select_for_update()
        .select_related("internship")
        .get(pk=evaluation.pk)
    )
    state = evaluation_state(evaluation, now=timezone.now())
    if state != "open":
        raise ValidationError(closed_message(state), code=state)
    errors: dict[str, str] = {}
    keys = {c.key for c in criteria}
    if set(ratings) != keys or any(r not in RATINGS for r in ratings.values()):
        errors["__all__"] = _("Rate every point from 1 to 4.")  # applicant-facing
    if not evaluator_name.strip():
        errors["evaluator_name"] = _("Write your name.")  # applicant-facing
    if errors:
        raise ValidationError(errors)
    evaluation.answers = {
        "criteria": {c.key: ratings[c.key] for c in criteria},
        # the labels as the tutor read them, kept if the programme's criteria change later
        "labels": {c.key: c.label for c in criteria},
        "comment": comment.strip(),
        "would_hire": would_hire,
    }
    evaluation.evaluator_name = evaluator_name.strip()
    evaluation.submitted_at = timezone.now()
    evaluation.save(update_fields=["answers", "evaluator_name", "submitted_at"])
    audit_record(
        actor=None,
        action=AuditAction.EVALUATION_SUBMITTED,
        subject=evaluation.internship,
        changes={"evaluation": evaluation.pk, "would_hire": would_hire},
        note=evaluation.evaluator_name,
    )
    return evaluation


# applicant-facing: start (docs/languages.md)
def closed_message(state: str) -> str:
    """Why the tutor's link no longer opens the form, in the tutor's language."""
    if state == "submitted":
        return _("This evaluation has already been sent. Thank you!")
    if state == "revoked":
        return _("This link has been withdrawn. The organisation may send you a new one.")
    return _("This link has expired. Ask the organisation for a new one.")


# applicant-facing: end
