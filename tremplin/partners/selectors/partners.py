"""Reads of partners, their sites, contacts, timeline, links and what they do with the
organisation, scoped to the acting user."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, DecimalField, F, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from tremplin.core.models import User
from tremplin.partners.duplicates import (
    SIMILAR_NAMES,
    name_similarity,
    partner_name_key,
    registration_key,
)
from tremplin.partners.models import (
    Interaction,
    Internship,
    Offer,
    OfferStatus,
    Partner,
    PartnerContact,
    PartnerLink,
    PartnerSite,
    Referral,
)
from tremplin.partners.selectors.access import (
    learner_filter,
    partner_filter,
    referral_filter,
    sees_amounts,
)

# How many of a partner's offers, internships and referrals its page lists.
LATEST = 5


def partners_visible(*, user: User) -> QuerySet[Partner]:
    return Partner.objects.filter(partner_filter(user)).select_related("organisation")


def partners_listed(
    *, user: User, query: str = "", kind: str = "", partnership: str = "", archived: bool = False
) -> QuerySet[Partner]:
    partners = partners_visible(user=user).filter(archived_at__isnull=not archived)
    if query:
        partners = partners.filter(
            Q(name__icontains=query) | Q(registration_number__icontains=query)
        )
    if kind:
        partners = partners.filter(kind=kind)
    if partnership:
        # JSON containment is not portable (SQLite): the list is stored as a JSON text, and
        # every value is a slug, so a quoted match is exact.
        partners = partners.filter(partnerships__icontains=f'"{partnership}"')
    return partners.annotate(offer_count=Count("offers", distinct=True))


def partner_get(*, user: User, partner_id: int) -> Partner:
    """The partner, or 404 when it is outside the user's scope."""
    partner = partners_visible(user=user).filter(pk=partner_id).first()
    if partner is None:
        raise Http404
    return partner


# --- duplicates ------------------------------------------------------------------------


def partner_registered(
    *, organisation_id: int, number: str, exclude_id: int | None = None
) -> Partner | None:
    """The organisation's partner with this registration number, written any way."""
    key = registration_key(number)
    if not key:
        return None
    return (
        Partner.objects.filter(organisation_id=organisation_id, registration_key=key)
        .exclude(pk=exclude_id or 0)
        .first()
    )


def partners_like(
    *, organisation_id: int, name: str, exclude_id: int | None = None
) -> list[Partner]:
    """The organisation's partners whose name is probably this one: the same key, or keys
    at least SIMILAR_NAMES alike. The closest first."""
    key = partner_name_key(name)
    if not key:
        return []
    candidates = Partner.objects.filter(organisation_id=organisation_id).exclude(pk=exclude_id or 0)
    keys = candidates.values_list("pk", "name_key")
    scores = {pk: name_similarity(key, other) for pk, other in keys}
    alike = {pk: score for pk, score in scores.items() if score >= SIMILAR_NAMES}
    found = list(candidates.filter(pk__in=alike))
    return sorted(found, key=lambda p: (-alike[p.pk], p.name))


# --- a partner's page ---------------------------------------------------------------------


def partner_sites(*, partner: Partner) -> QuerySet[PartnerSite]:
    return partner.sites.select_related("region").order_by("name", "pk")


def partner_contacts(*, partner: Partner, archived: bool = False) -> QuerySet[PartnerContact]:
    return (
        partner.contacts.filter(archived_at__isnull=not archived)
        .select_related("site")
        .order_by("name", "pk")
    )


def contact_get(*, partner: Partner, contact_id: int) -> PartnerContact:
    contact = partner.contacts.filter(pk=contact_id).first()
    if contact is None:
        raise Http404
    return contact


def site_get(*, partner: Partner, site_id: int) -> PartnerSite:
    site = partner.sites.filter(pk=site_id).first()
    if site is None:
        raise Http404
    return site


def partner_timeline(*, user: User, partner: Partner) -> QuerySet[Interaction]:
    """The partner's interactions, newest first. Each carries ``shown_amount`` and
    ``shown_currency``: the donation's amount for managers, None and "" for everyone else.
    Pages and exports read those, never ``amount``."""
    interactions = partner.interactions.select_related("contact", "site", "recorded_by")
    if sees_amounts(user, organisation_id=partner.organisation_id):
        return interactions.annotate(
            shown_amount=F("amount"), shown_currency=Coalesce(F("currency"), Value(""))
        ).defer("amount", "currency")
    return interactions.annotate(
        shown_amount=Value(None, output_field=DecimalField(max_digits=12, decimal_places=2)),
        shown_currency=Value(""),
    ).defer("amount", "currency")


def interaction_get(*, partner: Partner, interaction_id: int) -> Interaction:
    interaction = partner.interactions.filter(pk=interaction_id).first()
    if interaction is None:
        raise Http404
    return interaction


def partner_links(*, partner: Partner) -> QuerySet[PartnerLink]:
    return partner.links.select_related("contact").order_by("-created_at", "-pk")


def link_get(*, partner: Partner, link_id: int) -> PartnerLink:
    link = partner.links.filter(pk=link_id).first()
    if link is None:
        raise Http404
    return link


@dataclass(frozen=True)
class Latest:
    """How many there are, and the newest few (as far as the user may see them)."""

    count: int
    items: list[Any]


def _latest(queryset: QuerySet[Any]) -> Latest:
    return Latest(count=queryset.count(), items=list(queryset[:LATEST]))


@dataclass(frozen=True)
class PartnerWork:
    """What the partner does with the organisation: its open offers, internships and
    referrals (internships and referrals only those of learners and calls the user sees)."""

    offers: Latest
    internships: Latest
    referrals: Latest


def partner_work(*, user: User, partner: Partner) -> PartnerWork:
    offers = Offer.objects.filter(partner=partner, status=OfferStatus.OPEN).order_by(
        "-created_at", "-pk"
    )
    internships = (
        Internship.objects.filter(learner_filter(user), partner=partner)
        .select_related("enrolment__person")
        .order_by("-starts_on", "-pk")
    )
    referrals = (
        Referral.objects.filter(referral_filter(user), partner=partner)
        .select_related("call")
        .order_by("-created_at", "-pk")
    )
    return PartnerWork(
        offers=_latest(offers), internships=_latest(internships), referrals=_latest(referrals)
    )
