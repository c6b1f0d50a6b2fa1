"""Internships and their agreements: created for a learner (from a confirmed match, or
directly), changed while the agreement is prepared, signed by each party (with the signed
scan), started only once signed, or cancelled. Every write is atomic and audited; refusals
name the field."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tremplin.core.audit import audit_record
from tremplin.core.audit_actions import AuditAction
from tremplin.core.encryption import encrypted_file_save
from tremplin.core.models import User
from tremplin.partners.models import (
    AgreementSignature,
    Internship,
    InternshipStatus,
    Match,
    MatchStatus,
    SignatoryRole,
)
from tremplin.partners.selectors.access import works_with_learners_at
from tremplin.partners.services import agreements
from tremplin.training.models import Enrolment
from tremplin.training.services.certificates import learner_language

# What a form gives an internship (the learner, partner and match are set apart).
FIELDS = (
    "partner_site",
    "kind",
    "tutor",
    "referent",
    "starts_on",
    "ends_on",
    "hours_per_week",
    "tasks",
    "pay_amount",
    "allowance_amount",
    "pay_period",
    "currency",
    "country",
    "school_obligations",
    "company_obligations",
    "template",
)
SCAN_MAX_BYTES = 10 * 1024 * 1024
SCAN_SIGNATURES = (
    (b"%PDF-", "pdf"),
    (b"\xff\xd8\xff", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
)
ADULT_AGE = 18


def match_prefill(match: Match) -> dict[str, Any]:
    """What a confirmed match's offer gives the internship: partner, where, kind, dates,
    hours, pay and allowance, the offer's contact as tutor when they tutor."""
    offer = match.offer
    contact = offer.contact
    partner_site = offer.partner_site
    return {
        "partner": offer.partner,
        "partner_site": partner_site,
        "kind": offer.kind,
        "tutor": contact if contact is not None and contact.is_tutor else None,
        "starts_on": offer.starts_on,
        "ends_on": offer.ends_on,
        "hours_per_week": offer.hours_per_week,
        "tasks": offer.description or offer.title,
        "pay_amount": offer.pay_amount,
        "allowance_amount": offer.allowance_amount,
        "pay_period": offer.pay_period,
        "currency": offer.currency,
        "country": (partner_site.country if partner_site else "") or offer.partner.country,
    }


def _refusals(internship: Internship) -> dict[str, str]:
    """What is wrong with ``internship`` before it is saved, by field."""
    errors: dict[str, str] = {}
    partner = internship.partner
    site = internship.enrolment.cohort.run.site
    if partner.organisation_id != site.organisation_id:
        errors["partner"] = _("This partner is not one of the learner's organisation.")
    elif partner.archived_at is not None:
        errors["partner"] = _("This partner is archived.")
    if internship.ends_on < internship.starts_on:
        errors["ends_on"] = _("The internship ends before it starts.")
    if (internship.pay_amount or internship.allowance_amount) and not internship.currency:
        errors["currency"] = _("Give the currency of the pay or allowance.")
    if internship.tutor is not None and (
        internship.tutor.partner_id != partner.pk or internship.tutor.archived_at is not None
    ):
        errors["tutor"] = _("The tutor must be a contact of this partner.")
    if internship.partner_site is not None and internship.partner_site.partner_id != partner.pk:
        errors["partner_site"] = _("This place is not one of the partner's sites.")
    template = internship.template
    if template is not None and template.organisation_id != partner.organisation_id:
        errors["template"] = _("This template is not one of the organisation's.")
    if not internship.country:
        errors["country"] = _("Give the country where the internship takes place.")
    return errors


def _overlap_refusal(internship: Internship) -> str | None:
    """Another internship of the same person (not cancelled) whose dates overlap, with the
    person's enrolments locked so that two requests cannot both pass."""
    person_id = internship.enrolment.person_id
    list(Enrolment.objects.select_for_update().filter(person_id=person_id).values_list("pk"))
    other = (
        Internship.objects.filter(
            enrolment__person_id=person_id,
            starts_on__lte=internship.ends_on,
            ends_on__gte=internship.starts_on,
        )
        .exclude(status=InternshipStatus.CANCELLED)
        .exclude(pk=internship.pk)
        .select_related("partner")
        .first()
    )
    if other is None:
        return None
    return _(
        "The learner already has an internship at %(partner)s from %(start)s to %(end)s: the "
        "dates overlap."
    ) % {
        "partner": other.partner.name,
        "start": date_format(other.starts_on, "SHORT_DATE_FORMAT"),
        "end": date_format(other.ends_on, "SHORT_DATE_FORMAT"),
    }


def _language(internship: Internship) -> str:
    """The agreement's language: its template's (chosen, or by kind, country and the
    learner's language)."""
    if internship.template is not None:
        return internship.template.language
    chosen = agreements.template_choose(
        organisation_id=internship.partner.organisation_id,
        kind=internship.kind,
        country=internship.country,
        language=learner_language(internship.enrolment),
    )
    return chosen.language if chosen is not None else "fr"


def _save_checked(internship: Internship, data: dict[str, Any]) -> None:
    """Give ``internship`` the form's values, check it, and save it (its language is its
    template's)."""
    for field in FIELDS:
        if field in data:
            setattr(internship, field, data[field])
    errors = _refusals(internship)
    if errors:
        raise ValidationError(errors)
    overlap = _overlap_refusal(internship)
    if overlap:
        raise ValidationError({"starts_on": overlap})
    internship.language = _language(internship)
    internship.save()


def _changes(internship: Internship) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for field in ("starts_on", "ends_on", "hours_per_week", "pay_amount", "allowance_amount"):
        value = getattr(internship, field)
        values[field] = str(value) if isinstance(value, dt.date | Decimal) else value
    values.update(
        partner=internship.partner_id,
        tutor=internship.tutor_id,
        kind=internship.kind,
        country=internship.country,
        currency=internship.currency,
    )
    return values


@transaction.atomic
def internship_create(
    *,
    actor: User,
    enrolment: Enrolment,
    partner: Any,
    data: dict[str, Any],
    match: Match | None = None,
) -> Internship:
    """An internship (its agreement being prepared) for ``enrolment`` with ``partner``.
    Refused, naming the field: overlapping dates with another internship of the learner,
    an end before the start, pay without currency, a tutor who is not the partner's
    contact. The organisation's shipped templates and rules are seeded on first use."""
    site = enrolment.cohort.run.site
    if not works_with_learners_at(actor, site):
        raise PermissionDenied
    agreements.agreement_defaults_seed(organisation=site.organisation, actor=actor)
    internship = Internship(enrolment=enrolment, partner=partner, created_by=actor, match=match)
    if match is not None:
        internship.offer = match.offer
    _save_checked(internship, data)
    audit_record(
        actor=actor,
        action=AuditAction.INTERNSHIP_CREATED,
        subject=internship,
        changes={**_changes(internship), "match": match.pk if match else None},
    )
    return internship


@transaction.atomic
def internship_create_from_match(
    *, actor: User, match: Match, data: dict[str, Any] | None = None
) -> Internship:
    """The internship of a confirmed match: partner, place, offer, kind, dates, hours and
    pay come from the offer; ``data`` (the form's values) overrides them."""
    locked = Match.objects.select_for_update().get(pk=match.pk)
    if locked.status != MatchStatus.CONFIRMED:
        raise ValidationError(_("Only a confirmed match becomes an internship."))
    if Internship.objects.filter(match=locked).exists():
        raise ValidationError(_("This match already has its internship."))
    values = {**match_prefill(match), **(data or {})}
    for field, label in (
        ("starts_on", _("Give the first day: the offer has none.")),
        ("ends_on", _("Give the last day: the offer has none.")),
        ("hours_per_week", _("Give the hours per week: the offer has none.")),
    ):
        if values.get(field) is None:
            raise ValidationError({field: label})
    return internship_create(
        actor=actor,
        enrolment=match.enrolment,
        partner=values.pop("partner"),
        data=values,
        match=match,
    )


@transaction.atomic
def internship_update(
    *, actor: User, internship: Internship, partner: Any, data: dict[str, Any]
) -> Internship:
    """Change an internship while its agreement is being prepared (no signature yet)."""
    locked = Internship.objects.select_for_update().get(pk=internship.pk)
    if locked.status != InternshipStatus.DRAFT:
        raise ValidationError(_("The agreement is signed: the internship cannot be changed."))
    if locked.signatures.exists():
        raise ValidationError(
            _("Signatures are recorded: cancel this internship and create a new one to change it.")
        )
    internship.partner = partner
    _save_checked(internship, data)
    audit_record(
        actor=actor,
        action=AuditAction.INTERNSHIP_UPDATED,
        subject=internship,
        changes=_changes(internship),
    )
    return internship


# --- signatures -------------------------------------------------------------------------------


def learner_is_minor(internship: Internship) -> bool:
    """Under 18 on the first day (a birth date not known: not a minor)."""
    born = internship.enrolment.person.birth_date
    if born is None:
        return False
    start = internship.starts_on
    age = start.year - born.year - ((start.month, start.day) < (born.month, born.day))
    return age < ADULT_AGE


def signatures_required(internship: Internship) -> list[SignatoryRole]:
    """The learner, the company and the organisation; the tutor when one is named; the
    legal guardian when the learner is a minor on the first day."""
    roles = [SignatoryRole.LEARNER, SignatoryRole.COMPANY, SignatoryRole.ORGANISATION]
    if internship.tutor_id is not None:
        roles.append(SignatoryRole.TUTOR)
    if learner_is_minor(internship):
        roles.append(SignatoryRole.GUARDIAN)
    return roles


def _sign_when_complete(*, actor: User, internship: Internship) -> None:
    """The agreement becomes signed once every required party signed and every rule is
    met (the signed scan too, when a rule asks for it)."""
    signed = set(internship.signatures.values_list("role", flat=True))
    if any(role.value not in signed for role in signatures_required(internship)):
        return
    if agreements.rules_broken(internship, with_scan=True):
        return
    internship.status = InternshipStatus.SIGNED
    internship.signed_at = timezone.now()
    internship.save(update_fields=["status", "signed_at", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.AGREEMENT_SIGNED,
        subject=internship,
        changes={"signatures": sorted(signed), "scan": bool(internship.signed_scan)},
    )


def _rules_refusal(internship: Internship) -> None:
    broken = agreements.rules_broken(internship, with_scan=False)
    if broken:
        raise ValidationError(
            _("The agreement breaks the organisation's rules: %(rules)s")
            % {"rules": " · ".join(broken)}
        )


@transaction.atomic
def agreement_signature_record(
    *, actor: User, internship: Internship, role: str, signer_name: str, signed_on: dt.date
) -> AgreementSignature:
    """Record that ``role`` signed the agreement (by ``signer_name`` on ``signed_on``).
    The agreement must meet every rule first; the refusal names each rule broken."""
    locked = Internship.objects.select_for_update().get(pk=internship.pk)
    if locked.status != InternshipStatus.DRAFT:
        raise ValidationError(_("Signatures are recorded only while the agreement is prepared."))
    if role not in {r.value for r in signatures_required(internship)}:
        raise ValidationError({"role": _("This party does not sign this agreement.")})
    if signed_on > timezone.localdate():
        raise ValidationError({"signed_on": _("The date of signature is in the future.")})
    if locked.signatures.filter(role=role).exists():
        raise ValidationError({"role": _("This party's signature is already recorded.")})
    _rules_refusal(internship)
    signature = AgreementSignature.objects.create(
        internship=locked,
        role=role,
        signer_name=signer_name.strip(),
        signed_on=signed_on,
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditAction.AGREEMENT_SIGNATURE_RECORDED,
        subject=locked,
        changes={"role": role, "signer_name": signature.signer_name, "signed_on": str(signed_on)},
    )
    _sign_when_complete(actor=actor, internship=locked)
    internship.refresh_from_db()
    return signature


def scan_kind(content: bytes) -> str | None:
    """'pdf', 'jpg' or 'png' from the file's first bytes (never its name); None otherwise."""
    return next((kind for head, kind in SCAN_SIGNATURES if content.startswith(head)), None)


def scan_refusal(content: bytes) -> str | None:
    if len(content) > SCAN_MAX_BYTES:
        return _("The file is too large (10 MB at most).")
    if scan_kind(content) is None:
        return _("Send the signed agreement as a PDF, or a photo (JPEG or PNG).")
    return None


@transaction.atomic
def agreement_scan_upload(*, actor: User, internship: Internship, content: bytes) -> Internship:
    """Keep the signed agreement's scan, encrypted; it replaces the one before."""
    refusal = scan_refusal(content)
    if refusal:
        raise ValidationError({"scan": refusal})
    locked = Internship.objects.select_for_update().get(pk=internship.pk)
    if locked.status not in (InternshipStatus.DRAFT, InternshipStatus.SIGNED):
        raise ValidationError(_("The scan is uploaded before the internship starts."))
    kind = scan_kind(content)
    encrypted_file_save(locked.signed_scan, f"agreement.{kind}", content)
    locked.save(update_fields=["signed_scan", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.AGREEMENT_SCAN_UPLOADED,
        subject=locked,
        changes={"kind": kind, "size": len(content)},
    )
    if locked.status == InternshipStatus.DRAFT:
        _sign_when_complete(actor=actor, internship=locked)
    internship.refresh_from_db()
    return locked


@transaction.atomic
def internship_start(*, actor: User, internship: Internship) -> Internship:
    """The internship is under way: only once its agreement is signed."""
    locked = Internship.objects.select_for_update().get(pk=internship.pk)
    if locked.status == InternshipStatus.DRAFT or locked.signed_at is None:
        raise ValidationError(_("An internship cannot start without a signed agreement."))
    if locked.status != InternshipStatus.SIGNED:
        raise ValidationError(_("This internship has already started or is closed."))
    if locked.starts_on > timezone.localdate():
        # Started early, it could be neither ended (the end would come before its start)
        # nor cancelled: it starts on its first day.
        raise ValidationError(
            _("This internship starts on %(date)s: it can be marked as started from that day.")
            % {"date": date_format(locked.starts_on, "SHORT_DATE_FORMAT")}
        )
    locked.status = InternshipStatus.UNDER_WAY
    locked.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action=AuditAction.INTERNSHIP_STARTED, subject=locked)
    internship.refresh_from_db()
    return locked


@transaction.atomic
def internship_cancel(*, actor: User, internship: Internship, note: str) -> Internship:
    """Cancel an internship that has not started (its dates no longer count as taken)."""
    locked = Internship.objects.select_for_update().get(pk=internship.pk)
    if locked.status not in (InternshipStatus.DRAFT, InternshipStatus.SIGNED):
        raise ValidationError(
            _("Only an internship that has not started can be cancelled: end it early instead.")
        )
    locked.status = InternshipStatus.CANCELLED
    locked.end_note = note
    locked.save(update_fields=["status", "end_note", "updated_at"])
    audit_record(
        actor=actor, action=AuditAction.INTERNSHIP_CANCELLED, subject=locked, changes={"note": note}
    )
    internship.refresh_from_db()
    return locked
