"""Reads of offers, scoped to the acting user (the people who work with partners, see
access.py), and of the offers a partner contact or a learner sees through their link."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from tremplin.core.models import User
from tremplin.network.models import Site
from tremplin.network.selectors import scope_for
from tremplin.partners.models import (
    MatchStatus,
    Offer,
    OfferInterest,
    OfferStatus,
    Partner,
    PartnerSite,
)
from tremplin.partners.selectors.access import PARTNER_ROLES, partner_filter
from tremplin.placement.models import Competence
from tremplin.training.models import Cohort, Enrolment


def offers_visible(*, user: User) -> QuerySet[Offer]:
    return Offer.objects.filter(partner_filter(user, field="partner")).select_related(
        "partner", "site", "partner_site", "region"
    )


def offers_listed(
    *, user: User, status: str = "", kind: str = "", partner_id: int | None = None
) -> QuerySet[Offer]:
    offers = offers_visible(user=user)
    if status:
        offers = offers.filter(status=status)
    if kind:
        offers = offers.filter(kind=kind)
    if partner_id is not None:
        offers = offers.filter(partner_id=partner_id)
    return offers.annotate(
        confirmed=Count("matches", filter=Q(matches__status=MatchStatus.CONFIRMED), distinct=True)
    )


def offer_get(*, user: User, offer_id: int) -> Offer:
    """The offer, or Offer.DoesNotExist when it is outside the user's scope."""
    return offers_visible(user=user).get(pk=offer_id)


def offer_details(*, offer: Offer) -> Offer:
    """The offer with what it asks for (two queries)."""
    return (
        Offer.objects.select_related("partner", "site", "partner_site", "region", "contact")
        .prefetch_related("competences__competence", "languages")
        .get(pk=offer.pk)
    )


def offer_confirmed_count(*, offer: Offer) -> int:
    return offer.matches.filter(status=MatchStatus.CONFIRMED).count()


def partners_for_offers(*, user: User) -> QuerySet[Partner]:
    return Partner.objects.filter(partner_filter(user), archived_at__isnull=True)


def partner_sites_for(*, partner_ids: QuerySet[Partner]) -> QuerySet[PartnerSite]:
    return PartnerSite.objects.filter(partner__in=partner_ids).select_related("partner")


def sites_for_offers(*, user: User) -> QuerySet[Site]:
    """Sites of the organisations whose partners the user works with."""
    scope = scope_for(user)
    sites = Site.objects.all()
    if not scope.superuser:
        organisations = partners_for_offers(user=user).values("organisation_id")
        sites = sites.filter(organisation_id__in=organisations)
    return sites.order_by("name")


def competences_for(*, organisation_id: int) -> QuerySet[Competence]:
    """The competences an offer may ask for: the shipped frameworks' and the
    organisation's own."""
    return (
        Competence.objects.filter(
            Q(framework__organisation__isnull=True) | Q(framework__organisation_id=organisation_id)
        )
        .select_related("framework")
        .order_by("framework__code", "position")
    )


def cohorts_for_matching(*, user: User) -> QuerySet[Cohort]:
    """Cohorts whose learners the user matches to offers (managers and job coaches of the
    cohort's site, the organisation's admins)."""
    scope = scope_for(user)
    cohorts = Cohort.objects.select_related("run", "run__site")
    if not scope.superuser:
        cohorts = cohorts.filter(scope.site_filter(PARTNER_ROLES, field="run__site"))
    return cohorts.order_by("-ends_on", "title")


def cohort_for_matching(*, user: User, cohort_id: int) -> Cohort:
    return cohorts_for_matching(user=user).get(pk=cohort_id)


def offers_for_partner(*, partner: Partner) -> QuerySet[Offer]:
    """What a partner contact sees through their link: that partner's offers, nothing else."""
    return (
        Offer.objects.filter(partner=partner)
        .select_related("partner_site")
        .order_by("-created_at", "-pk")
    )


def offers_open_for_learner(*, enrolment: Enrolment) -> QuerySet[Offer]:
    """The open offers a learner may say interest them: their organisation's partners', for
    their site or every site."""
    site = enrolment.cohort.run.site
    return (
        Offer.objects.filter(
            status=OfferStatus.OPEN,
            partner__organisation_id=site.organisation_id,
            partner__archived_at__isnull=True,
        )
        .filter(Q(site__isnull=True) | Q(site=site))
        .select_related("partner", "partner_site")
        .order_by("closes_on", "title", "pk")
    )


def learner_interests(*, enrolment: Enrolment) -> dict[int, int]:
    """Offer id → rank of the learner's wishes."""
    return dict(OfferInterest.objects.filter(enrolment=enrolment).values_list("offer_id", "rank"))
