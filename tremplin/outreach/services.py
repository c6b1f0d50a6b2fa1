"""Writes for outreach: registration with a waiting list, cancellation, check-in."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.core.audit import audit_record
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import User
from tremplin.messaging.models import Kind
from tremplin.messaging.services import send_to_applicant
from tremplin.network.models import Site
from tremplin.network.selectors import can_see_sensitive_at
from tremplin.outreach.models import InformationSession, Registration
from tremplin.outreach.signals import people_checked_in


def information_session_create(
    *,
    actor: User,
    site: Site,
    title: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    capacity: int,
    mode: str = InformationSession.Mode.IN_PERSON,
    place: str = "",
    online_link: str = "",
    language: str = "fr",
) -> InformationSession:
    """Schedule an information session at a site (its staff who handle people)."""
    if not can_see_sensitive_at(actor, site):
        raise PermissionDenied
    with transaction.atomic():
        session = InformationSession(
            site=site,
            title=title,
            starts_at=starts_at,
            ends_at=ends_at,
            capacity=capacity,
            mode=mode,
            place=place,
            online_link=online_link,
            language=language,
            public_key=secrets.token_urlsafe(12),
        )
        session.full_clean()
        session.save()
        audit_record(actor=actor, action=AuditAction.INFORMATION_SESSION_CREATED, subject=session)
    return session


@dataclass(frozen=True)
class RegistrationResult:
    registration: Registration
    waitlisted: bool


def registration_create(
    *,
    session: InformationSession,
    given_names: str,
    family_name: str,
    channel: str,
    phone: Any = "",
    email: str = "",
    walk_in: bool = False,
    language: str = "",
) -> RegistrationResult:
    """Register someone: a seat while there is one, else the waiting list. Walk-ins who came
    to the door are checked in at once, even over capacity. The others are told by e-mail
    or SMS (whatever they gave) in `language`, the page's, else the session's."""
    if session.status == InformationSession.Status.CANCELLED:
        # applicant-facing
        raise ValidationError(_("This information session was cancelled."))
    with transaction.atomic():
        # Lock the session row so two registrations cannot take the last seat together.
        session = InformationSession.objects.select_for_update().get(pk=session.pk)
        if (
            phone
            and session.registrations.filter(phone=phone)
            .exclude(status=Registration.Status.CANCELLED)
            .exists()
        ):
            # applicant-facing
            raise ValidationError({"phone": _("This phone number is already registered.")})
        if (
            email
            and session.registrations.filter(email__iexact=email)
            .exclude(status=Registration.Status.CANCELLED)
            .exists()
        ):
            # applicant-facing
            raise ValidationError({"email": _("This e-mail address is already registered.")})
        taken = session.registrations.filter(status=Registration.Status.REGISTERED).count()
        waitlisted = taken >= session.capacity and not walk_in
        registration = Registration(
            session=session,
            given_names=" ".join(given_names.split()),
            family_name=" ".join(family_name.split()),
            phone=phone,
            email=email.strip().lower(),
            channel=channel,
            walk_in=walk_in,
            status=Registration.Status.WAITLISTED if waitlisted else Registration.Status.REGISTERED,
            checked_in_at=timezone.now() if walk_in else None,
        )
        registration.full_clean()
        registration.save()
        if walk_in:
            people_checked_in.send(
                sender=Registration, actor=None, registration_ids=[registration.pk]
            )
        else:
            _registration_tell(registration, language=language or session.language)
    return RegistrationResult(registration=registration, waitlisted=waitlisted)


def _registration_tell(registration: Registration, *, language: str) -> None:
    """The seat (or the place on the waiting list), by e-mail and/or SMS, after the commit."""
    session = registration.session
    waiting = registration.status == Registration.Status.WAITLISTED
    send_to_applicant(
        site=session.site,
        kind=Kind.INVITATION,
        template="outreach/mail/waitlisted" if waiting else "outreach/mail/registered",
        context={"registration": registration, "session": session, "site": session.site},
        language=language,
        email=registration.email,
        phone=registration.phone,
        about=registration,
    )


def registration_cancel(*, registration: Registration) -> Registration | None:
    """Cancel a registration; the first person waiting takes the seat. Returns them."""
    with transaction.atomic():
        session = InformationSession.objects.select_for_update().get(pk=registration.session_id)
        registration.refresh_from_db()
        if registration.status == Registration.Status.CANCELLED:
            return None
        freed = registration.status == Registration.Status.REGISTERED
        registration.status = Registration.Status.CANCELLED
        registration.save(update_fields=["status", "updated_at"])
        if not freed:
            return None
        taken = session.registrations.filter(status=Registration.Status.REGISTERED).count()
        if taken >= session.capacity:
            return None
        promoted = (
            session.registrations.filter(status=Registration.Status.WAITLISTED)
            .order_by("created_at", "pk")
            .first()
        )
        if promoted is not None:
            promoted.status = Registration.Status.REGISTERED
            promoted.save(update_fields=["status", "updated_at"])
            _registration_tell(promoted, language=session.language)
        return promoted


def registrations_check_in(
    *, actor: User, session: InformationSession, registration_ids: Iterable[int]
) -> int:
    """Mark people as present (several at once, from a phone at the door). The apps that
    follow hear of it through `people_checked_in` (an application's information-session stage
    is passed)."""
    if not can_see_sensitive_at(actor, session.site):
        raise PermissionDenied
    ids = list(registration_ids)
    with transaction.atomic():
        arriving = list(
            session.registrations.filter(pk__in=ids, checked_in_at__isnull=True)
            .exclude(status=Registration.Status.CANCELLED)
            .values_list("pk", flat=True)
        )
        count = Registration.objects.filter(pk__in=arriving).update(
            checked_in_at=timezone.now(), status=Registration.Status.REGISTERED
        )
        if count:
            people_checked_in.send(sender=Registration, actor=actor, registration_ids=arriving)
            audit_record(
                actor=actor,
                action=AuditAction.INFORMATION_SESSION_CHECKED_IN,
                subject=session,
                changes={"present": {"from": None, "to": count}},
            )
    return count
