"""Offers: entered by staff for a partner, or by a partner contact through their private
link (as a draft that staff publish, decision 0035), changed, published, closed; and the
learner's wishes among open offers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import pycountry
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tremplin.core.audit import audit_record
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import User
from tremplin.network.models import Region, Site
from tremplin.partners.models import (
    Offer,
    OfferCompetence,
    OfferInterest,
    OfferKind,
    OfferLanguage,
    OfferSource,
    OfferStatus,
    Partner,
    PartnerLink,
    PartnerSite,
    PayPeriod,
)
from tremplin.partners.selectors.access import partner_filter
from tremplin.placement.models import Competence
from tremplin.training.models import Enrolment

MAX_PLACES = 500
MAX_LEVEL = 8


@dataclass(frozen=True)
class OfferData:
    kind: str
    title: str
    description: str = ""
    partner_site: PartnerSite | None = None
    site: Site | None = None
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    hours_per_week: Decimal | None = None
    pay_amount: Decimal | None = None
    allowance_amount: Decimal | None = None
    pay_period: str = PayPeriod.MONTH
    currency: str = ""
    places: int = 1
    region: Region | None = None
    city: str = ""
    remote: bool = False
    closes_on: dt.date | None = None
    competences: Sequence[tuple[Competence, int]] = field(default_factory=tuple)
    languages: Sequence[tuple[str, str]] = field(default_factory=tuple)


def offer_check(*, partner: Partner, data: OfferData) -> None:
    """Every rule an offer keeps, each error on its field (ValidationError by field)."""
    errors: dict[str, list[str]] = {}

    def refuse(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if data.kind not in OfferKind.values:
        # applicant-facing (the partner contact's form shows it)
        refuse("kind", _("Choose the kind of offer."))
    if not data.title.strip():
        # applicant-facing (the partner contact's form shows it)
        refuse("title", _("Give the offer a title."))
    has_pay = data.pay_amount is not None or data.allowance_amount is not None
    if has_pay and not data.currency:
        # applicant-facing (the partner contact's form shows it)
        refuse("currency", _("Give the currency of the pay or allowance."))
    if data.currency and pycountry.currencies.get(alpha_3=data.currency.upper()) is None:
        # applicant-facing (the partner contact's form shows it)
        refuse("currency", _("“%(code)s” is not a currency code.") % {"code": data.currency})
    if data.starts_on and data.ends_on and data.ends_on < data.starts_on:
        # applicant-facing (the partner contact's form shows it)
        refuse("ends_on", _("The offer cannot end before it starts."))
    if not 1 <= data.places <= MAX_PLACES:
        # applicant-facing (the partner contact's form shows it)
        refuse("places", _("An offer has from 1 to %(max)s places.") % {"max": MAX_PLACES})
    if data.partner_site is not None and data.partner_site.partner_id != partner.pk:
        # applicant-facing (the partner contact's form shows it)
        refuse("partner_site", _("This place is not one of the partner's."))
    if data.site is not None and data.site.organisation_id != partner.organisation_id:
        # applicant-facing (the partner contact's form shows it)
        refuse("site", _("This site is not one of the organisation's."))
    competences = [competence.pk for competence, _level in data.competences]
    if len(set(competences)) != len(competences):
        # applicant-facing (the partner contact's form shows it)
        refuse("competences", _("Each competence once."))
    if any(not 1 <= level <= MAX_LEVEL for _c, level in data.competences):
        # applicant-facing (the partner contact's form shows it)
        refuse("competences", _("A competence's level is from 1 to 8."))
    languages = [language for language, _level in data.languages]
    if len(set(languages)) != len(languages):
        # applicant-facing (the partner contact's form shows it)
        refuse("languages", _("Each language once."))
    if errors:
        raise ValidationError(errors)


def _write(offer: Offer, data: OfferData) -> None:
    for name in (
        "kind",
        "title",
        "description",
        "partner_site",
        "site",
        "starts_on",
        "ends_on",
        "hours_per_week",
        "pay_amount",
        "allowance_amount",
        "pay_period",
        "places",
        "region",
        "city",
        "remote",
        "closes_on",
    ):
        setattr(offer, name, getattr(data, name))
    offer.currency = data.currency.upper()
    offer.save()
    offer.competences.all().delete()
    OfferCompetence.objects.bulk_create(
        OfferCompetence(offer=offer, competence=competence, level=level)
        for competence, level in data.competences
    )
    offer.languages.all().delete()
    OfferLanguage.objects.bulk_create(
        OfferLanguage(offer=offer, language=language, level=level)
        for language, level in data.languages
    )


def _summary(data: OfferData) -> dict[str, object]:
    return {
        "title": data.title,
        "kind": data.kind,
        "places": data.places,
        "starts_on": data.starts_on.isoformat() if data.starts_on else None,
        "currency": data.currency,
    }


def _check_actor(actor: User, partner: Partner) -> None:
    if not Partner.objects.filter(partner_filter(actor), pk=partner.pk).exists():
        raise PermissionError("The user does not work with this partner.")


@transaction.atomic
def offer_create(*, actor: User, partner: Partner, data: OfferData) -> Offer:
    _check_actor(actor, partner)
    offer_check(partner=partner, data=data)
    offer = Offer(partner=partner, created_by=actor, source=OfferSource.STAFF)
    _write(offer, data)
    audit_record(
        actor=actor, action=AuditAction.OFFER_CREATED, subject=offer, changes=_summary(data)
    )
    return offer


@transaction.atomic
def offer_create_by_link(*, link: PartnerLink, data: OfferData) -> Offer:
    """A partner contact's offer: a draft until staff publish it (decision 0035)."""
    offer_check(partner=link.partner, data=data)
    offer = Offer(
        partner=link.partner,
        contact=link.contact,
        source=OfferSource.PARTNER_LINK,
        status=OfferStatus.DRAFT,
    )
    _write(offer, data)
    audit_record(
        actor=None,
        action=AuditAction.OFFER_CREATED,
        subject=offer,
        changes={**_summary(data), "link": link.pk},
    )
    return offer


@transaction.atomic
def offer_update(*, actor: User, offer: Offer, data: OfferData) -> Offer:
    offer = Offer.objects.select_for_update().select_related("partner").get(pk=offer.pk)
    _check_actor(actor, offer.partner)
    offer_check(partner=offer.partner, data=data)
    _write(offer, data)
    audit_record(
        actor=actor, action=AuditAction.OFFER_UPDATED, subject=offer, changes=_summary(data)
    )
    return offer


@transaction.atomic
def offer_status_set(*, actor: User, offer: Offer, status: OfferStatus) -> Offer:
    """Publish a draft (open) or close an offer; closing keeps its matches."""
    offer = Offer.objects.select_for_update().select_related("partner").get(pk=offer.pk)
    _check_actor(actor, offer.partner)
    if offer.status != status:
        before = offer.status
        offer.status = status
        offer.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.OFFER_CLOSED
            if status == OfferStatus.CLOSED
            else AuditAction.OFFER_UPDATED,
            subject=offer,
            changes={"status": [before, status.value]},
        )
    return offer


@transaction.atomic
def offer_interest_toggle(*, enrolment: Enrolment, offer: Offer, interested: bool) -> list[int]:
    """The learner says an offer interests them (it goes last in their wishes) or no longer
    does (the wishes after it move up). Returns the offers in the order of the wishes."""
    Enrolment.objects.select_for_update().filter(pk=enrolment.pk).first()
    wishes = list(
        OfferInterest.objects.filter(enrolment=enrolment).order_by("rank", "pk").select_related()
    )
    ids = [wish.offer_id for wish in wishes]
    changed = False
    if interested and offer.pk not in ids:
        OfferInterest.objects.create(enrolment=enrolment, offer=offer, rank=len(ids) + 1)
        ids.append(offer.pk)
        changed = True
    elif not interested and offer.pk in ids:
        OfferInterest.objects.filter(enrolment=enrolment, offer=offer).delete()
        ids.remove(offer.pk)
        for rank, wish in enumerate(w for w in wishes if w.offer_id != offer.pk):
            if wish.rank != rank + 1:
                wish.rank = rank + 1
                wish.save(update_fields=["rank"])
        changed = True
    if changed:
        audit_record(
            actor=None,
            action=AuditAction.OFFER_INTEREST_SAVED,
            subject=enrolment,
            changes={"offers": ids},
        )
    return ids
