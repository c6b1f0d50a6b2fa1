"""Referrals: a referral partner sends a person to an open call, with their consent. The
referral opens a draft application pre-filled with what the partner knows, and the person
gets their own link to complete it (messaging, after the commit). Staff withdraw a referral
when the person asks to stop."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.core.audit import audit_record
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import User
from tremplin.messaging.models import Kind, Message
from tremplin.messaging.services import send_to_applicant
from tremplin.outreach.models import Channel
from tremplin.partners.models import Partner, PartnerLink, Referral
from tremplin.partners.selectors.referrals import calls_visible
from tremplin.selection.models import Application, Call
from tremplin.selection.services.applications import application_start

# The channel ("how did you hear about us") a referred application gets.
REFERRAL_CHANNEL = Channel.PARTNER


@dataclass(frozen=True)
class ReferralMade:
    referral: Referral
    resume_url: str
    sent: tuple[Message, ...]


def call_is_open(call: Call) -> bool:
    """Published, and open today (opens_on ≤ today ≤ closes_on)."""
    return call.published and call.opens_on <= timezone.localdate() <= call.closes_on


def _already_referred(call: Call, email: str, phone: str) -> bool:
    contact = Q()
    if email:
        contact |= Q(email__iexact=email)
    if phone:
        contact |= Q(phone=phone)
    return Referral.objects.filter(contact, call=call, withdrawn_at__isnull=True).exists()


# applicant-facing: start (errors shown on the partner contact's link)
def _check(
    *, partner: Partner, call: Call, email: str, phone: str, consent: bool
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not consent:
        errors["consent"] = _(
            "The person must agree to be referred and contacted: without it, nothing is sent."
        )
    if not email and not phone:
        errors["email"] = _("Give the person's e-mail address or phone number.")
    if call.site.organisation_id != partner.organisation_id or not call_is_open(call):
        errors["call"] = _("This call for applications is not open.")
    elif (email or phone) and _already_referred(call, email, phone):
        errors["email"] = _("This person is already referred to this call.")
    return errors


# applicant-facing: end


def _answers(*, given_names: str, family_name: str, email: str, phone: str) -> dict[str, Any]:
    """The answers the public form asks that the referral knows (selection.forms: about you,
    how to reach you, how did you hear about us), so the applicant finds them filled."""
    answers: dict[str, Any] = {
        "given_names": given_names,
        "family_name": family_name,
        "channel": REFERRAL_CHANNEL.value,
    }
    if email:
        answers["email"] = email
    if phone:
        answers["phone"] = phone
    return answers


@transaction.atomic
def referral_create(
    *,
    actor: User | None,
    partner: Partner,
    call: Call,
    given_names: str,
    family_name: str,
    email: str = "",
    phone: str = "",
    language: str,
    note: str = "",
    consent: bool,
    shares_status: bool,
    base_url: str,
    link: PartnerLink | None = None,
) -> ReferralMade:
    """Record the referral, open the person's draft application with what it knows, and send
    them the link to complete it, in their language. Refused (ValidationError by field, nothing
    saved) without the person's consent, without an e-mail or phone, for a call that is not
    open, or when the person is already referred to this call. ``actor`` is None when the
    partner refers through their private link (``link``)."""
    if actor is not None and not calls_visible(user=actor).filter(pk=call.pk).exists():
        raise PermissionDenied
    given_names, family_name = given_names.strip(), family_name.strip()
    email = email.strip().lower()
    phone = phone.strip()
    # One referral at a time per call, so that two sent at once cannot both pass the
    # duplicate check.
    Call.objects.select_for_update().filter(pk=call.pk).first()
    errors = _check(partner=partner, call=call, email=email, phone=phone, consent=consent)
    if errors:
        raise ValidationError(errors)
    # The draft is made as the public form makes one (its resume token), then given the
    # answers the referral knows.
    draft = application_start(call=call, language=language)
    application = draft.application
    application.answers = _answers(
        given_names=given_names, family_name=family_name, email=email, phone=phone
    )
    application.channel = REFERRAL_CHANNEL
    application.save(update_fields=["answers", "channel", "updated_at"])
    referral = Referral.objects.create(
        partner=partner,
        link=link,
        call=call,
        application=application,
        given_names=given_names,
        family_name=family_name,
        email=email,
        phone=phone,
        language=language,
        referred_by=(link.contact.name if link and link.contact else ""),
        note=note.strip(),
        consent_at=timezone.now(),
        shares_status=shares_status,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditAction.REFERRAL_CREATED,
        subject=referral,
        changes={
            "partner": partner.pk,
            "call": call.pk,
            "application": application.pk,
            "shares_status": shares_status,
            "through_link": link.pk if link else None,
        },
    )
    resume_url = base_url.rstrip("/") + reverse(
        "selection:apply-resume", kwargs={"slug": call.slug, "token": draft.token}
    )
    sent = send_to_applicant(
        site=call.site,
        kind=Kind.REFERRAL,
        template="partners/messages/referral",
        context={"call": call, "partner": partner, "resume_url": resume_url},
        language=language,
        email=email,
        phone=phone,
        about=application,
    )
    return ReferralMade(referral=referral, resume_url=resume_url, sent=tuple(sent))


@transaction.atomic
def referral_withdraw(*, actor: User, referral: Referral, note: str = "") -> Referral:
    """The person asked to stop: the partner no longer follows them, and the draft the
    referral opened is deleted with what it held (a submitted application is the person's
    own: it stays)."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.withdrawn_at is not None:
        return referral
    referral.withdrawn_at = timezone.now()
    referral.shares_status = False
    referral.save(update_fields=["withdrawn_at", "shares_status"])
    draft = referral.application
    if draft is not None and draft.status == Application.Status.DRAFT:
        # What the partner typed goes with the draft, and the person's link stops working.
        draft.delete()
    audit_record(
        actor=actor, action=AuditAction.REFERRAL_WITHDRAWN, subject=referral, note=note[:500]
    )
    return referral


def referral_application_submitted(*, application: Application, **_kwargs: Any) -> None:
    """Selection's `application_submitted` (connected in apps.py): the referral that opened
    this application now knows the person."""
    Referral.objects.filter(application_id=application.pk, person__isnull=True).update(
        person_id=application.person_id
    )
