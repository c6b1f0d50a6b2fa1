"""Messages to applicants about their application, each in the applicant's own language, by
e-mail, SMS or both (whatever they gave), through `messaging.services.send_to_applicant`.

Called inside the service's transaction: the `Message` rows are written with the change and
leave after the commit, so a mail server or SMS gateway that is down never undoes a
decision. A decision's `mailed_at` is set when one of its messages is delivered
(`decision_delivered`, connected in apps.py); until then the committee page offers to send
again, and each failed message can be retried from the application page.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from tremplin.messaging.models import Kind, Message
from tremplin.messaging.services import send_to_applicant
from tremplin.selection.models import Application, FinalDecision


def confirmation_send(
    *, application: Application, answers: dict[str, Any] | None = None
) -> list[Message]:
    """The confirmation, to the e-mail address and phone typed on the form (``answers``, by
    default the application's own), and to the person's stored ones for a channel left empty:
    someone known under an old phone is told on the new one."""
    typed = application.answers if answers is None else answers
    return send_to_applicant(
        site=application.call.site,
        kind=Kind.CONFIRMATION,
        template="selection/mail/confirmation",
        context={"application": application, "call": application.call},
        language=application.language,
        person=application.person,
        email=str(typed.get("email") or "").strip(),
        phone=str(typed.get("phone") or "").strip(),
        about=application,
    )


def resume_link_send(
    *, application: Application, email: str, phone: str, resume_url: str
) -> list[Message]:
    """The link to come back to a draft, to the address or phone typed on the form."""
    return send_to_applicant(
        site=application.call.site,
        kind=Kind.RESUME_LINK,
        template="selection/mail/resume",
        context={"call": application.call, "resume_url": resume_url},
        language=application.language,
        email=email,
        phone=phone,
        about=application,
    )


def decisions_send(*, decision_ids: Iterable[int]) -> list[Message]:
    """Send each validated decision not yet delivered; returns the messages written."""
    messages: list[Message] = []
    for decision in FinalDecision.objects.filter(
        pk__in=list(decision_ids), state=FinalDecision.State.VALIDATED, mailed_at__isnull=True
    ).select_related("application__person", "application__call__site", "application__call__run"):
        application = decision.application
        messages += send_to_applicant(
            site=application.call.site,
            kind=Kind.DECISION,
            template=f"selection/mail/decision_{decision.outcome}",
            context={"application": application, "call": application.call, "decision": decision},
            language=application.language,
            person=application.person,
            about=application,
        )
    return messages


def decision_delivered(*, message: Message, **_kwargs: Any) -> None:
    """A decision's message left: the decision is marked as told (mailed_at)."""
    if (
        message.kind != Kind.DECISION
        or message.status != Message.Status.SENT
        or message.subject_type != Application._meta.label_lower
        or message.subject_id is None
    ):
        return
    FinalDecision.objects.filter(
        application_id=message.subject_id,
        state=FinalDecision.State.VALIDATED,
        mailed_at__isnull=True,
    ).update(mailed_at=timezone.now())
