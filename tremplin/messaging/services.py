"""The one way a message reaches an applicant: by e-mail, SMS or both, after the commit.

`send_to_applicant` renders the message under the applicant's language, stores one
`Message` per channel (an e-mail if there is an address, an SMS if there is a phone) and
delivers them once the caller's transaction has committed: a mail server or SMS gateway
that is down never undoes the caller's change, and no message announces a change that was
rolled back (docs/decisions/0009 and 0016). A failure is kept on the row, with its error,
and staff send it again with `message_retry`.
"""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Collection, Mapping, Sequence
from smtplib import SMTPException
from typing import Any, NamedTuple

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import models, transaction
from django.dispatch import Signal
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tremplin.core.audit import audit_record
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import User
from tremplin.messaging.models import Channel, Kind, Message
from tremplin.messaging.selectors import can_message_at
from tremplin.messaging.sms import SmsError, sms_backend
from tremplin.network.models import Site
from tremplin.people.models import Person

logger = logging.getLogger(__name__)

# Sent after each delivery attempt (sender=Message, message=...): an app that must know when
# its message left (a decision's `mailed_at`) listens here instead of being imported.
message_delivered = Signal()


class Attachment(NamedTuple):
    """A file sent with the e-mail (never by SMS): its name, bytes and MIME type."""

    name: str
    content: bytes
    mimetype: str


def _attachments_text(attachments: Sequence[Attachment]) -> str:
    if not attachments:
        return ""
    return json.dumps(
        [
            {"name": a.name, "type": a.mimetype, "content": base64.b64encode(a.content).decode()}
            for a in attachments
        ]
    )


def message_attachments(message: Message) -> list[Attachment]:
    """The files kept with an e-mail, to send it again as it was."""
    if not message.attachments:
        return []
    return [
        Attachment(str(a["name"]), base64.b64decode(a["content"]), str(a["type"]))
        for a in json.loads(message.attachments)
    ]


def message_language(language: str, *, site: Site | None = None) -> str:
    """The applicant's language if the site speaks it, else the site's, else the default."""
    codes = {code for code, _name in settings.LANGUAGES}
    for candidate in (language, site.default_language if site else ""):
        if candidate in codes:
            return candidate
    return str(settings.LANGUAGE_CODE)


def _phone_text(phone: object) -> str:
    if not phone:
        return ""
    e164 = getattr(phone, "as_e164", None)
    return str(e164 if e164 else phone).replace(" ", "")


def send_to_applicant(
    *,
    site: Site,
    kind: Kind,
    template: str,
    context: Mapping[str, Any],
    language: str,
    person: Person | None = None,
    email: str = "",
    phone: object = "",
    about: models.Model | None = None,
    channels: Collection[str] | None = None,
    attachments: Sequence[Attachment] = (),
) -> list[Message]:
    """Send `template` to the applicant by every channel they gave.

    Renders `<template>_subject.txt` and `<template>.txt` for the e-mail and
    `<template>_sms.txt` for the SMS. The address and phone default to the person's. Returns
    the messages (none when the applicant gave neither); they are delivered after the commit,
    at once when no transaction is open, and hold their status then. `channels` keeps only
    those channels (staff answering by SMS only). `attachments` go with the e-mail only (an
    SMS names a link instead) and are kept to send it again."""
    email = email or (person.email if person else "")
    phone_text = _phone_text(phone or (person.phone if person else ""))
    if channels is not None:
        email = email if Channel.EMAIL in channels else ""
        phone_text = phone_text if Channel.SMS in channels else ""
    language = message_language(language, site=site)
    messages: list[Message] = []
    with translation.override(language):
        if email:
            messages.append(
                Message(
                    channel=Channel.EMAIL,
                    recipient=email,
                    title=" ".join(render_to_string(f"{template}_subject.txt", context).split()),
                    body=render_to_string(f"{template}.txt", context),
                    attachments=_attachments_text(attachments),
                )
            )
        if phone_text:
            messages.append(
                Message(
                    channel=Channel.SMS,
                    recipient=phone_text,
                    body=render_to_string(f"{template}_sms.txt", context).strip(),
                )
            )
    for message in messages:
        message.site = site
        message.person = person
        message.kind = kind
        message.language = language
        if about is not None:
            message.subject_type = about._meta.label_lower
            message.subject_id = about.pk
        message.save()
    if messages:
        transaction.on_commit(lambda: deliver(messages))
    return messages


def _send_one(message: Message) -> None:
    if message.channel == Channel.EMAIL:
        email = EmailMessage(message.title, message.body, None, [message.recipient])
        for attachment in message_attachments(message):
            email.attach(attachment.name, attachment.content, attachment.mimetype)
        email.send()
    else:
        sms_backend().send(to=message.recipient, text=message.body)


def deliver(messages: Sequence[Message]) -> None:
    """Send each message now and record what happened (called after the commit)."""
    for message in messages:
        message.attempts += 1
        try:
            _send_one(message)
        except (OSError, SMTPException, SmsError, ValueError) as error:
            logger.warning("message %s (%s) not delivered: %s", message.pk, message.channel, error)
            message.status = Message.Status.FAILED
            message.error = str(error)[:1000] or error.__class__.__name__
        else:
            message.status = Message.Status.SENT
            message.error = ""
            message.sent_at = timezone.now()
        message.save(update_fields=["attempts", "status", "error", "sent_at", "updated_at"])
        message_delivered.send(sender=Message, message=message)


def message_retry(*, actor: User, message: Message) -> Message:
    """Send a message that was not delivered again, with the same text; audited."""
    if not can_message_at(actor, message.site):
        raise PermissionDenied
    with transaction.atomic():
        message = Message.objects.select_for_update().get(pk=message.pk)
        if message.status != Message.Status.FAILED:
            raise ValidationError(_("Only a message that was not delivered can be sent again."))
        message.status = Message.Status.QUEUED
        message.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.MESSAGE_RETRIED,
            subject=message,
            note=f"{message.kind} {message.channel}",
        )
        transaction.on_commit(lambda: deliver([message]))
    return message
