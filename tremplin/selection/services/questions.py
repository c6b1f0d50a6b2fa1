"""Answering an applicant's "ask a person" question by e-mail or SMS, or marking it handled
(the call page lists the questions; a new question from the applicant waits again)."""

from __future__ import annotations

from collections.abc import Collection

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.core.audit import audit_record
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import User
from tremplin.messaging.models import Kind, Message
from tremplin.messaging.services import send_to_applicant
from tremplin.selection.models import Application, ApplicationQuestion
from tremplin.selection.selectors import can_manage_call
from tremplin.selection.services.guards import require


def _contact_of(application: Application) -> tuple[str, str]:
    """The applicant's e-mail and phone: their record's once submitted, else the draft's."""
    if application.person is not None:
        person = application.person
        return person.email, str(person.phone.as_e164) if person.phone else ""
    answers = application.answers
    return str(answers.get("email") or ""), str(answers.get("phone") or "")


def application_question_answer(
    *, actor: User, application: Application, text: str, channels: Collection[str]
) -> list[Message]:
    """Staff answer an applicant's "ask a person" question by e-mail, SMS or both; the
    question is then handled. Audited (the answer itself is in the message, not the audit)."""
    require(can_manage_call(actor, application.call))
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write the answer.")})
    if not application.help_requested:
        raise ValidationError(_("This applicant has no question waiting."))
    email, phone = _contact_of(application)
    with transaction.atomic():
        sent = send_to_applicant(
            site=application.call.site,
            kind=Kind.ANSWER,
            template="selection/mail/answer",
            context={"application": application, "call": application.call, "answer": text},
            language=application.language,
            person=application.person,
            email=email,
            phone=phone,
            about=application,
            channels=channels,
        )
        if not sent:
            raise ValidationError(
                {"channel": _("The applicant gave no e-mail address or phone number for this.")}
            )
        _question_handled(actor, application, answer=text)
        audit_record(
            actor=actor,
            action=AuditAction.APPLICATION_QUESTION_ANSWERED,
            subject=application,
            note=", ".join(str(message.get_channel_display()) for message in sent),
        )
    return sent


def _question_handled(actor: User, application: Application, *, answer: str = "") -> None:
    """The waiting question is handled, on the application and in its history (the latest
    question there; one asked before the history existed is added to it)."""
    now = timezone.now()
    application.help_handled_at = now
    application.help_handled_by = actor
    application.save(update_fields=["help_handled_at", "help_handled_by", "updated_at"])
    latest = (
        ApplicationQuestion.objects.select_for_update()
        .filter(application=application, handled_at__isnull=True)
        .order_by("-asked_at", "-pk")
        .first()
    )
    if latest is None:
        latest = ApplicationQuestion(
            application=application,
            text=application.help_requested,
            asked_at=application.help_requested_at or now,
        )
    latest.handled_at = now
    latest.handled_by = actor
    latest.answer = answer
    latest.save()


def application_question_handled(*, actor: User, application: Application) -> Application:
    """The team dealt with the question another way (a call, a visit): no longer waiting."""
    require(can_manage_call(actor, application.call))
    if not application.help_requested:
        raise ValidationError(_("This applicant has no question waiting."))
    with transaction.atomic():
        _question_handled(actor, application)
        audit_record(
            actor=actor, action=AuditAction.APPLICATION_QUESTION_HANDLED, subject=application
        )
    return application
