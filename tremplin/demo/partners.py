"""The demo's partners (issue 14): each reference organisation's partner companies,
universities, funders and referral partners from the reference texts (plus a few invented
local ones, clearly fictional), their sites, contacts and timeline; referrals of
applicants; open offers; and a running cohort per organisation matched to the offers by
the real optimiser, with the learners' wishes and some matches confirmed. The internships
themselves are in demo/partners_internships.py.

Rows are made with bulk_create (the demo loads in the test suite); ``Partner.save`` is not
called, so the duplicate keys are set here."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone

from tremplin.core.models import User
from tremplin.demo.partner_offers import OFFERS
from tremplin.demo.partners_catalogue import HOSTS, MATCHED, PARTNERS, REFERS
from tremplin.demo.partners_internships import cohort_of, internships_load, internships_remove
from tremplin.demo.training_results import organisation_admin
from tremplin.network.models import Organisation, ProgrammeRun, Region
from tremplin.partners.duplicates import partner_name_key, registration_key
from tremplin.partners.models import (
    Interaction,
    InteractionKind,
    Match,
    MatchingRun,
    MatchStatus,
    Offer,
    OfferCompetence,
    OfferInterest,
    OfferLanguage,
    OfferStatus,
    Partner,
    PartnerContact,
    PartnerKind,
    PartnerLink,
    PartnerSite,
    Referral,
)
from tremplin.partners.services.matching import match_confirm, matching_run
from tremplin.placement.models import Competence
from tremplin.selection.models import Application
from tremplin.training.models import Cohort


def _regions(organisation: Organisation) -> tuple[dict[str, Region], dict[str, Region]]:
    """Regions of the organisation's sites, by city and by country (for partner sites)."""
    by_city: dict[str, Region] = {}
    by_country: dict[str, Region] = {}
    for site in organisation.sites.select_related("region").order_by("pk"):
        if site.region is not None:
            by_city.setdefault(site.city, site.region)
            by_country.setdefault(str(site.country), site.region)
    return by_city, by_country


def partners_make(
    organisation: Organisation, *, admin: User, today: dt.date, rng: random.Random
) -> dict[str, Partner]:
    specs = PARTNERS[organisation.slug]
    partners = Partner.objects.bulk_create(
        [
            Partner(
                organisation=organisation,
                name=s.name,
                name_key=partner_name_key(s.name),
                registration_number=s.registration,
                registration_key=registration_key(s.registration),
                kind=s.kind,
                sector=s.sector,
                size=s.size,
                partnerships=list(s.partnerships),
                website=s.website,
                country=s.country,
                created_by=admin,
            )
            for s in specs
        ]
    )
    by_city, by_country = _regions(organisation)
    sites = PartnerSite.objects.bulk_create(
        [
            PartnerSite(
                partner=partner,
                name=name,
                city=city,
                country=country,
                region=by_city.get(city) or by_country.get(country),
            )
            for partner, spec in zip(partners, specs, strict=True)
            for name, city, country in spec.sites
        ]
    )
    first_site: dict[int, PartnerSite] = {}
    for site in sites:
        first_site.setdefault(site.partner_id, site)
    contacts = []
    for partner, spec in zip(partners, specs, strict=True):
        for number, (name, title, language, tutor) in enumerate(spec.contacts):
            local = partner_name_key(name).replace(" ", ".")[:30] or f"contact{number}"
            contacts.append(
                PartnerContact(
                    partner=partner,
                    site=first_site[partner.pk],
                    name=name,
                    job_title=title,
                    email=f"{local}@{partner_name_key(spec.name).replace(' ', '-')[:20]}.example",
                    phone="",
                    language=language,
                    is_tutor=tutor,
                )
            )
    contact_rows = PartnerContact.objects.bulk_create(contacts)
    first_contact: dict[int, PartnerContact] = {}
    for row in contact_rows:
        first_contact.setdefault(row.partner_id, row)
    our_site = organisation.sites.order_by("pk").first()
    interactions = []
    for partner, spec in zip(partners, specs, strict=True):
        contact = first_contact.get(partner.pk)
        start = today - dt.timedelta(days=rng.randint(300, 700))
        timeline: list[tuple[str, dt.date, str, int | None]] = [
            (InteractionKind.MEETING, start, f"First meeting with {spec.name}.", None),
            (
                InteractionKind.AGREEMENT_SIGNED,
                start + dt.timedelta(days=rng.randint(20, 60)),
                "Partnership agreement signed for the coming years.",
                None,
            ),
            (
                InteractionKind.CALL,
                today - dt.timedelta(days=rng.randint(10, 90)),
                "Call about next season's needs.",
                None,
            ),
        ]
        if partner.kind == PartnerKind.COMPANY and HOSTS in spec.partnerships:
            timeline.append(
                (
                    InteractionKind.VISIT,
                    today - dt.timedelta(days=rng.randint(5, 60)),
                    "Visit of the workplace with the job coach.",
                    None,
                )
            )
        if spec.donation is not None:
            amount = spec.donation[0]
            pledged = start + dt.timedelta(days=90)
            timeline += [
                (InteractionKind.DONATION_PLEDGED, pledged, "Yearly grant pledged.", amount),
                (
                    InteractionKind.DONATION_RECEIVED,
                    pledged + dt.timedelta(days=45),
                    "First instalment received.",
                    amount // 2,
                ),
            ]
        for kind, day, summary, given in timeline:
            interactions.append(
                Interaction(
                    partner=partner,
                    site=our_site,
                    contact=contact,
                    kind=kind,
                    happened_on=min(day, today),
                    summary=summary,
                    amount=Decimal(given) if given is not None else None,
                    currency=spec.donation[1] if given is not None and spec.donation else "",
                    recorded_by=admin,
                )
            )
    Interaction.objects.bulk_create(interactions)
    return {p.name: p for p in partners}


def referrals_make(organisation: Organisation, partners: dict[str, Partner], *, admin: User) -> int:
    """Some applications to the organisation's open call came through its referral
    partners, each with the person's consent; about half agreed to share their status."""
    referrers = [p for p in partners.values() if REFERS in p.partnerships]
    if not referrers:
        return 0
    applications = list(
        Application.objects.filter(
            call__site__organisation=organisation, call__published=True, person__isnull=False
        )
        .select_related("person")
        .order_by("pk")
    )
    now = timezone.now()
    rows = []
    for number, application in enumerate(applications):
        if number % 3 == 2:
            continue  # the others came on their own
        person = application.person
        assert person is not None
        partner = referrers[number % len(referrers)]
        rows.append(
            Referral(
                partner=partner,
                call_id=application.call_id,
                application=application,
                person=person,
                given_names=person.legal_given_names,
                family_name=person.legal_family_name,
                email=person.email,
                phone=str(person.phone),
                language=application.language,
                referred_by=partner.name,
                note="Motivated, wants to work in digital.",
                consent_at=now - dt.timedelta(days=30 - number),
                shares_status=number % 2 == 0,
                created_by=admin,
            )
        )
    Referral.objects.bulk_create(rows)
    return len(rows)


def _competences() -> dict[str, Competence]:
    return {
        c.code: c
        for c in Competence.objects.filter(
            framework__code="digcomp-2.2", framework__organisation__isnull=True
        )
    }


def offers_make(
    organisation: Organisation, partners: dict[str, Partner], *, admin: User, today: dt.date
) -> list[Offer]:
    sites = {s.slug: s for s in organisation.sites.all()}
    partner_sites: dict[int, PartnerSite] = {}
    for partner_site in PartnerSite.objects.filter(partner__organisation=organisation).order_by(
        "pk"
    ):
        partner_sites.setdefault(partner_site.partner_id, partner_site)
    specs = OFFERS[organisation.slug]
    offers = []
    for spec in specs:
        name, kind, title, site_slug, places, weeks, hours, pay, allowance = spec[:9]
        currency, period = spec[9], spec[10]
        partner = partners[name]
        where = partner_sites[partner.pk]
        starts_on = today + dt.timedelta(days=60)
        offers.append(
            Offer(
                partner=partner,
                partner_site=where,
                site=sites[site_slug] if site_slug else None,
                kind=kind,
                title=title,
                description=f"{title} at {partner.name}.",
                starts_on=starts_on,
                ends_on=starts_on + dt.timedelta(weeks=weeks),
                hours_per_week=Decimal(hours),
                pay_amount=Decimal(pay) if pay is not None else None,
                allowance_amount=Decimal(allowance) if allowance is not None else None,
                currency=currency,
                pay_period=period,
                places=places,
                region=where.region,
                city=where.city,
                status=OfferStatus.OPEN,
                closes_on=today + dt.timedelta(days=30),
                created_by=admin,
            )
        )
    offers = Offer.objects.bulk_create(offers)
    competences = _competences()
    OfferCompetence.objects.bulk_create(
        OfferCompetence(offer=offer, competence=competences[code], level=level)
        for offer, spec in zip(offers, specs, strict=True)
        for code, level in spec[11]
        if code in competences
    )
    OfferLanguage.objects.bulk_create(
        OfferLanguage(offer=offer, language=language, level=level)
        for offer, spec in zip(offers, specs, strict=True)
        for language, level in spec[12]
    )
    return offers


def matched_cohort_load(
    organisation: Organisation, offers: list[Offer], *, admin: User, rng: random.Random
) -> Cohort | None:
    """The learners' wishes, one run of the optimiser, and about half the proposals
    confirmed by staff."""
    site_slug, programme_slug = MATCHED[organisation.slug]
    cohort = cohort_of(organisation, site_slug, programme_slug, ProgrammeRun.Status.RUNNING)
    if cohort is None:
        return None
    for_site = [o for o in offers if o.site_id in (None, cohort.run.site_id)]
    interests = []
    for enrolment_id in cohort.enrolments.filter(status="active").values_list("pk", flat=True):
        for rank, offer in enumerate(rng.sample(for_site, k=min(2, len(for_site))), start=1):
            interests.append(OfferInterest(offer=offer, enrolment_id=enrolment_id, rank=rank))
    OfferInterest.objects.bulk_create(interests)
    matching_run(actor=admin, cohort=cohort)
    proposed = list(
        Match.objects.filter(enrolment__cohort=cohort, status=MatchStatus.PROPOSED).order_by("pk")
    )
    for match in proposed[::2]:
        match_confirm(actor=admin, match=match)
    return cohort


def partners_demo_load(*, organisation: Organisation, today: dt.date, seed: int) -> None:
    rng = random.Random(f"{seed}-{organisation.slug}")
    admin = organisation_admin(organisation)
    partners = partners_make(organisation, admin=admin, today=today, rng=rng)
    referrals_make(organisation, partners, admin=admin)
    offers = offers_make(organisation, partners, admin=admin, today=today)
    matched_cohort_load(organisation, offers, admin=admin, rng=rng)
    internships_load(organisation, partners, admin=admin, today=today, rng=rng)


def partners_remove(organisations: QuerySet[Organisation]) -> None:
    """The demo's partners and all that hangs on them, before the training records, calls
    and sites they point at."""
    partners = Partner.objects.filter(organisation__in=organisations)
    internships_remove(partners)
    Match.objects.filter(offer__partner__in=partners).delete()
    MatchingRun.objects.filter(cohort__run__site__organisation__in=organisations).delete()
    Offer.objects.filter(partner__in=partners).delete()
    Referral.objects.filter(partner__in=partners).delete()
    PartnerLink.objects.filter(partner__in=partners).delete()
    partners.delete()
