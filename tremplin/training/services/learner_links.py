"""The learner's private link: the address of their own pages (their cohort and coming
sessions, then progress, signing attendance, the survey, certificates), opened on a phone
without an account. The token goes to the learner; only its hash is kept
(``Enrolment.token_hash``), so a new link makes the old one stop working."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from tremplin.core.audit import audit_record
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import User
from tremplin.core.tokens import token_hash
from tremplin.messaging.models import Kind, Message
from tremplin.messaging.services import send_to_applicant
from tremplin.training.models import Enrolment
from tremplin.training.selectors.access import sees_cohort_site_wide


@dataclass(frozen=True)
class LinkSent:
    enrolment: Enrolment
    link: str
    sent: tuple[Message, ...]


def learner_language(enrolment: Enrolment) -> str:
    """The learner's language: their application's, else their site's."""
    if enrolment.application_id and enrolment.application is not None:
        return enrolment.application.language
    return enrolment.cohort.run.site.default_language


def learner_link_send(*, actor: User, enrolment: Enrolment, base_url: str) -> LinkSent:
    """Issue a new private link (the old one stops working) and send it by e-mail and SMS, in
    the learner's language, after the commit. Refused when the learner gave neither."""
    if not sees_cohort_site_wide(actor, enrolment.cohort):
        raise PermissionDenied
    person = enrolment.person
    if not (person.email or person.phone):
        raise ValidationError(
            _("%(name)s has no e-mail address or phone number: add one to their record first.")
            % {"name": person.display_name}
        )
    token = secrets.token_urlsafe(32)
    link = base_url.rstrip("/") + reverse("training:learner-home", kwargs={"token": token})
    site = enrolment.cohort.run.site
    with transaction.atomic():
        locked = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        renewed = bool(locked.token_hash)
        locked.token_hash = token_hash(token)
        locked.save(update_fields=["token_hash", "updated_at"])
        sent = tuple(
            send_to_applicant(
                site=site,
                kind=Kind.LEARNER_LINK,
                template="training/messages/learner_link",
                context={"enrolment": enrolment, "link": link, "site": site},
                language=learner_language(enrolment),
                person=person,
                about=locked,
            )
        )
        audit_record(
            actor=actor,
            action=AuditAction.ENROLMENT_LINK_SENT,
            subject=locked,
            changes={"renewed": {"from": None, "to": renewed}},
            note=", ".join(message.get_channel_display() for message in sent),
        )
    return LinkSent(enrolment, link, sent)
