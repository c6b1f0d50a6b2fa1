"""E-mails to applicants, each in the applicant's own language.

Sent after the transaction commits: a mail server that is down never undoes a decision; the
decision keeps `mailed_at` empty and the call page offers to send again.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation

from tremplin.selection.models import Application, FinalDecision

logger = logging.getLogger(__name__)


def _language(application: Application) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    return application.language if application.language in codes else settings.LANGUAGE_CODE


def _send(*, application: Application, template: str, context: dict[str, object]) -> bool:
    person = application.person
    if person is None or not person.email:
        return False
    with translation.override(_language(application)):
        subject = render_to_string(f"selection/mail/{template}_subject.txt", context).strip()
        body = render_to_string(f"selection/mail/{template}.txt", context)
    try:
        send_mail(subject, body, None, [person.email])
    except OSError:
        logger.exception("mail to applicant %s failed", application.pk)
        return False
    return True


def confirmation_send(*, application_id: int) -> bool:
    application = Application.objects.select_related("person", "call__site").get(pk=application_id)
    return _send(
        application=application,
        template="confirmation",
        context={"application": application, "call": application.call},
    )


def resume_link_send(*, application: Application, email: str, resume_url: str) -> bool:
    """The link to come back to a draft, to the address typed on the form."""
    with translation.override(_language(application)):
        context = {"call": application.call, "resume_url": resume_url}
        subject = render_to_string("selection/mail/resume_subject.txt", context).strip()
        body = render_to_string("selection/mail/resume.txt", context)
    try:
        send_mail(subject, body, None, [email])
    except OSError:
        logger.exception("resume link mail for draft %s failed", application.pk)
        return False
    return True


def decisions_send(*, decision_ids: Iterable[int]) -> int:
    sent = 0
    for decision in FinalDecision.objects.filter(
        pk__in=list(decision_ids), state=FinalDecision.State.VALIDATED, mailed_at__isnull=True
    ).select_related("application__person", "application__call__site"):
        application = decision.application
        if _send(
            application=application,
            template=f"decision_{decision.outcome}",
            context={"application": application, "call": application.call, "decision": decision},
        ):
            FinalDecision.objects.filter(pk=decision.pk).update(mailed_at=timezone.now())
            sent += 1
    return sent
