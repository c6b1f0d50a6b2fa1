"""Issuing and revoking the programme's own certificate (a PDF, a public verification page
and a signed credential all read the same row)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tremplin.core.audit import audit_record
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import User
from tremplin.network.models import Organisation
from tremplin.training import jose
from tremplin.training.models import Certificate, Cohort, Enrolment
from tremplin.training.selectors.access import can_manage_cohort
from tremplin.training.services import credentials

LANGUAGE_CODES = frozenset(code for code, _name in settings.LANGUAGES)


def learner_language(enrolment: Enrolment) -> str:
    """The learner's language: their application's, else the site's default."""
    application = enrolment.application
    if application is not None and application.language in LANGUAGE_CODES:
        return application.language
    site_language = enrolment.cohort.run.site.default_language
    return site_language if site_language in LANGUAGE_CODES else settings.LANGUAGE_CODE


def legal_name(enrolment: Enrolment) -> str:
    person = enrolment.person
    return f"{person.legal_given_names} {person.legal_family_name}".strip()


def _refusals(enrolments: Sequence[Enrolment]) -> list[str]:
    problems: list[str] = []
    valid = {
        c.enrolment_id: c.number
        for c in Certificate.objects.filter(enrolment__in=enrolments, revoked_at=None)
    }
    for enrolment in enrolments:
        name = enrolment.person.display_name
        if enrolment.status != Enrolment.Status.GRADUATED:
            problems.append(
                _("%(name)s has not graduated (%(status)s).")
                % {"name": name, "status": enrolment.get_status_display()}
            )
        elif enrolment.pk in valid:
            problems.append(
                _("%(name)s already holds certificate %(number)s.")
                % {"name": name, "number": valid[enrolment.pk]}
            )
    return problems


def certificate_issue(
    *,
    actor: User,
    cohort: Cohort,
    enrolments: Sequence[Enrolment],
    issued_on: dt.date | None = None,
) -> list[Certificate]:
    """Issue a certificate to each of ``enrolments`` (learners of ``cohort``), all or none:
    one who has not graduated, or already holds a valid certificate, refuses the lot and
    is named."""
    if not can_manage_cohort(actor, cohort):
        raise PermissionDenied
    if not enrolments:
        raise ValidationError({"learners": _("Choose at least one learner.")})
    if any(e.cohort_id != cohort.pk for e in enrolments):
        raise ValidationError({"learners": _("Choose learners of this cohort.")})
    problems = _refusals(enrolments)
    if problems:
        raise ValidationError(problems)
    today = timezone.localdate()
    issued_on = issued_on or today
    if issued_on > today:
        raise ValidationError({"issued_on": _("A certificate cannot be dated in the future.")})
    if issued_on < cohort.starts_on:
        raise ValidationError(
            {"issued_on": _("A certificate cannot be dated before the cohort starts.")}
        )
    organisation = cohort.run.site.organisation
    programme = cohort.run.programme
    with transaction.atomic():
        # One issuer at a time per organisation: numbers and list positions follow each other.
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        credentials.issuer_key(organisation)
        taken = Certificate.objects.filter(organisation=organisation).aggregate(
            index=Max("status_index")
        )["index"]
        next_index = 0 if taken is None else taken + 1
        if next_index + len(enrolments) > jose.STATUS_LIST_SIZE:
            raise ValidationError(_("The organisation's list of certificates is full."))
        year_count = Certificate.objects.filter(
            organisation=organisation, issued_on__year=issued_on.year
        ).count()
        issued: list[Certificate] = []
        for offset, enrolment in enumerate(enrolments):
            certificate = Certificate.objects.create(
                enrolment=enrolment,
                organisation=organisation,
                number=_number(organisation, issued_on, year_count + offset + 1),
                status_index=next_index + offset,
                issued_on=issued_on,
                language=learner_language(enrolment),
                holder_name=legal_name(enrolment),
                programme_title=programme.title,
                organisation_name=organisation.name,
                issued_by=actor,
            )
            audit_record(
                actor=actor,
                action=AuditAction.CERTIFICATE_ISSUED,
                subject=certificate,
                changes={
                    "enrolment": enrolment.pk,
                    "number": certificate.number,
                    "issued_on": issued_on.isoformat(),
                    "language": certificate.language,
                },
            )
            issued.append(certificate)
    return issued


def _number(organisation: Organisation, issued_on: dt.date, sequence: int) -> str:
    prefix = organisation.slug.upper()[:12]
    number = f"{prefix}-{issued_on.year}-{sequence:04d}"
    while Certificate.objects.filter(organisation=organisation, number=number).exists():
        sequence += 1  # a number taken by a certificate dated in another year
        number = f"{prefix}-{issued_on.year}-{sequence:04d}"
    return number


def certificate_revoke(*, actor: User, certificate: Certificate, reason: str) -> Certificate:
    """Revoke: the verification page and the credential check say so from now on."""
    if not can_manage_cohort(actor, certificate.enrolment.cohort):
        raise PermissionDenied
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the certificate is revoked.")})
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if certificate.revoked:
            raise ValidationError(_("This certificate is already revoked."))
        certificate.revoked_at = timezone.now()
        certificate.revoked_by = actor
        certificate.revocation_reason = reason
        certificate.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
        audit_record(
            actor=actor,
            action=AuditAction.CERTIFICATE_REVOKED,
            subject=certificate,
            changes={"reason": reason},
        )
    return certificate


def issued_message(certificates: Sequence[Certificate]) -> str:
    count = len(certificates)
    return ngettext("%(count)d certificate issued.", "%(count)d certificates issued.", count) % {
        "count": count
    }
