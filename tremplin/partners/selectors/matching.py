"""What the fit and the matching read: offers' needs, learners' facts (latest evidence,
languages, place, end of training, wishes), in a constant number of queries whatever the
number of learners; the ranking of learners for an offer; a cohort's matching runs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from tremplin.core.models import User
from tremplin.network.selectors import scope_for
from tremplin.partners import fit
from tremplin.partners.models import (
    Match,
    MatchingRun,
    MatchStatus,
    Offer,
    OfferCompetence,
    OfferInterest,
    OfferKind,
    OfferLanguage,
    OfferStatus,
)
from tremplin.partners.selectors.access import PARTNER_ROLES
from tremplin.people.models import PersonLanguage
from tremplin.placement.models import Competence
from tremplin.training.models import CompetenceEvidence, Enrolment

LEARNER_STATUSES = (Enrolment.Status.ACTIVE, Enrolment.Status.GRADUATED)

_ENROLMENT_FIELDS = (
    "pk",
    "person_id",
    "person__city",
    "person__region_id",
    "person__country",
    "cohort__run__site__city",
    "cohort__run__site__region_id",
    "cohort__run__site__country",
    "cohort__ends_on",
    "status",
    "left_on",
)


def offer_needs(offers: Sequence[Offer]) -> list[fit.OfferNeeds]:
    """Each offer's needs (two queries for any number of offers)."""
    ids = [offer.pk for offer in offers]
    competences: dict[int, dict[int, int]] = {pk: {} for pk in ids}
    languages: dict[int, dict[str, str]] = {pk: {} for pk in ids}
    for offer_id, competence_id, level in OfferCompetence.objects.filter(
        offer_id__in=ids
    ).values_list("offer_id", "competence_id", "level"):
        competences[offer_id][competence_id] = level
    for offer_id, code, cefr in OfferLanguage.objects.filter(offer_id__in=ids).values_list(
        "offer_id", "language", "level"
    ):
        languages[offer_id][code] = cefr
    return [
        fit.OfferNeeds(
            key=offer.pk,
            competences=competences[offer.pk],
            languages=languages[offer.pk],
            city=offer.city or (offer.partner_site.city if offer.partner_site else ""),
            region=offer.region_id
            or (offer.partner_site.region_id if offer.partner_site else None),
            country=_offer_country(offer),
            remote=offer.remote,
            starts_on=offer.starts_on,
            during_training=offer.kind == OfferKind.APPRENTICESHIP,
        )
        for offer in offers
    ]


def _offer_country(offer: Offer) -> str:
    if offer.region_id is not None and offer.region is not None:
        return str(offer.region.country)
    if offer.partner_site is not None and offer.partner_site.country:
        return offer.partner_site.country
    return offer.partner.country


def learner_facts(
    enrolments: QuerySet[Enrolment], needs: Sequence[fit.OfferNeeds]
) -> list[fit.LearnerFacts]:
    """The facts the fit reads for each enrolment of ``enrolments`` (four queries), in the
    order of the query."""
    rows = list(enrolments.values_list(*_ENROLMENT_FIELDS))
    competence_ids = sorted({c for need in needs for c in need.competences})
    language_codes = sorted({lang for need in needs for lang in need.languages})
    levels: dict[int, dict[int, int]] = {row[0]: {} for row in rows}
    if competence_ids:
        evidence = (
            CompetenceEvidence.objects.filter(
                enrolment__in=enrolments.values("pk"), competence_id__in=competence_ids
            )
            .order_by("enrolment_id", "competence_id", "-assessed_on", "-pk")
            .values_list("enrolment_id", "competence_id", "level")
        )
        for enrolment_id, competence_id, level in evidence:
            # the first row of each pair is the latest
            levels.setdefault(enrolment_id, {}).setdefault(competence_id, level)
    spoken: dict[int, dict[str, str]] = {}
    if language_codes:
        for person_id, code, cefr in PersonLanguage.objects.filter(
            person__in=enrolments.values("person_id"), language__in=language_codes
        ).values_list("person_id", "language", "level"):
            spoken.setdefault(person_id, {})[code] = cefr
    wishes: dict[int, dict[int, int]] = {}
    for enrolment_id, offer_id, rank in OfferInterest.objects.filter(
        enrolment__in=enrolments.values("pk"), offer__status=OfferStatus.OPEN
    ).values_list("enrolment_id", "offer_id", "rank"):
        wishes.setdefault(enrolment_id, {})[offer_id] = rank
    return [_facts(row, levels, spoken, wishes) for row in rows]


def _facts(
    row: tuple[Any, ...],
    levels: dict[int, dict[int, int]],
    spoken: dict[int, dict[str, str]],
    wishes: dict[int, dict[int, int]],
) -> fit.LearnerFacts:
    (pk, person_id, city, region, country, site_city, site_region, site_country) = row[:8]
    ends_on, status, left_on = row[8:]
    own_place = bool(city or region or country)
    return fit.LearnerFacts(
        key=pk,
        levels=levels.get(pk, {}),
        languages=spoken.get(person_id, {}),
        city=city if own_place else site_city,
        region=region if own_place else site_region,
        country=str(country or "") if own_place else str(site_country or ""),
        training_ends_on=left_on if status == Enrolment.Status.GRADUATED and left_on else ends_on,
        wishes=wishes.get(pk, {}),
    )


def offer_candidates(*, user: User, offer: Offer) -> QuerySet[Enrolment]:
    """The learners an offer's ranking lists: in training or graduated, at the sites the
    user works with, of the offer's organisation, at the offer's site when it names one."""
    scope = scope_for(user)
    enrolments = Enrolment.objects.filter(
        status__in=LEARNER_STATUSES,
        cohort__run__site__organisation_id=offer.partner.organisation_id,
    )
    if not scope.superuser:
        enrolments = enrolments.filter(scope.site_filter(PARTNER_ROLES, field="cohort__run__site"))
    if offer.site_id is not None:
        enrolments = enrolments.filter(cohort__run__site_id=offer.site_id)
    return enrolments.order_by("pk")


@dataclass(frozen=True)
class Ranking:
    """The fit table of one offer over its candidates, and the order of its rows: best fit
    first, the excluded last."""

    table: fit.FitTable
    order: list[int]

    def enrolment_id(self, row: int) -> int:
        return self.table.learners[row].key


def offer_ranking(*, user: User, offer: Offer) -> Ranking:
    """Every candidate for the offer ranked by fit, in seven queries whatever their number
    (the offer's needs: two; the learners' facts: four; the enrolments shown: one)."""
    needs = offer_needs([offer])
    facts = learner_facts(offer_candidates(user=user, offer=offer), needs)
    table = fit.fit_table(facts, needs)
    order = sorted(
        range(len(facts)),
        key=lambda row: (bool(table.excluded[row, 0]), -table.total[row, 0], facts[row].key),
    )
    return Ranking(table=table, order=order)


def enrolments_shown(ids: Sequence[int]) -> dict[int, Enrolment]:
    return {
        enrolment.pk: enrolment
        for enrolment in Enrolment.objects.filter(pk__in=ids).select_related(
            "person", "cohort", "cohort__run__site"
        )
    }


def competence_names(ids: Sequence[int]) -> dict[int, str]:
    return {c.pk: str(c) for c in Competence.objects.filter(pk__in=ids)}


# --- the cohort's matching -------------------------------------------------------------------


def cohort_learners(*, cohort_id: int) -> QuerySet[Enrolment]:
    """The cohort's learners to place: in training or graduated, without a confirmed match."""
    return (
        Enrolment.objects.filter(cohort_id=cohort_id, status__in=LEARNER_STATUSES)
        .exclude(matches__status=MatchStatus.CONFIRMED)
        .order_by("pk")
    )


def offers_for_cohort(*, organisation_id: int, site_id: int) -> list[Offer]:
    """The open offers a cohort's learners may be matched to: the organisation's partners',
    for the cohort's site or every site."""
    return list(
        Offer.objects.filter(
            status=OfferStatus.OPEN,
            partner__organisation_id=organisation_id,
            partner__archived_at__isnull=True,
        )
        .filter(Q(site__isnull=True) | Q(site_id=site_id))
        .select_related("partner", "partner_site", "region")
        .order_by("pk")
    )


def confirmed_counts(offer_ids: Sequence[int]) -> dict[int, int]:
    counts: dict[int, int] = {}
    for offer_id in Match.objects.filter(
        offer_id__in=offer_ids, status=MatchStatus.CONFIRMED
    ).values_list("offer_id", flat=True):
        counts[offer_id] = counts.get(offer_id, 0) + 1
    return counts


def declined_pairs(enrolment_ids: QuerySet[Enrolment]) -> set[tuple[int, int]]:
    return set(
        Match.objects.filter(
            enrolment__in=enrolment_ids.values("pk"), status=MatchStatus.DECLINED
        ).values_list("enrolment_id", "offer_id")
    )


def latest_run(*, cohort_id: int) -> MatchingRun | None:
    return MatchingRun.objects.filter(cohort_id=cohort_id).order_by("-created_at", "-pk").first()


def cohort_matches(*, cohort_id: int) -> QuerySet[Match]:
    return (
        Match.objects.filter(enrolment__cohort_id=cohort_id)
        .select_related("offer", "offer__partner", "enrolment__person", "decided_by")
        .order_by(
            "enrolment__person__legal_family_name", "enrolment__person__legal_given_names", "pk"
        )
    )


def match_get(*, user: User, match_id: int) -> Match:
    scope = scope_for(user)
    matches = Match.objects.select_related(
        "offer", "enrolment__cohort__run__site", "enrolment__person"
    )
    if not scope.superuser:
        matches = matches.filter(
            scope.site_filter(PARTNER_ROLES, field="enrolment__cohort__run__site")
        )
    return matches.get(pk=match_id)
