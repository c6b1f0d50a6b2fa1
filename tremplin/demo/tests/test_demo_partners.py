"""The demo's partners (issue 14): each organisation's partners from the reference texts,
referrals, open offers, a cohort matched, internships with signed agreements, tutors'
evaluations received, and some learners hired."""

from __future__ import annotations

import pytest
from django.db.models import Count, F, Q
from django.test import Client, override_settings
from django.urls import reverse

from tremplin.demo.loader import demo_load, demo_remove
from tremplin.demo.training_results import organisation_admin
from tremplin.network.models import Organisation
from tremplin.partners.models import (
    AgreementSignature,
    CheckIn,
    Incident,
    Interaction,
    InteractionKind,
    Internship,
    InternshipStatus,
    Match,
    MatchingRun,
    MatchStatus,
    Offer,
    OfferInterest,
    OfferStatus,
    Partner,
    PartnerContact,
    PartnerSite,
    Referral,
    TutorEvaluation,
)

REFERENCE_PARTNERS = {
    "passerelles-numeriques": {
        "Cisco",
        "Accenture",
        "Avanade",
        "Econocom",
        "Palo IT",
        "Synacy",
        "Web Essentials",
        "University of San Carlos",
        "Danang Vocational Training College",
    },
    "simplon": {"France Travail", "Mission locale de Paris"},
    "konexio": {"France Travail"},
}
CURRENCIES = {"EUR", "USD", "KHR", "VND", "PHP"}


@pytest.mark.django_db
def test_the_demo_gives_every_organisation_its_partners_offers_matches_and_internships(
    client: Client,
) -> None:
    demo_load(seed=11)
    for organisation in Organisation.objects.all():
        names = set(
            Partner.objects.filter(organisation=organisation).values_list("name", flat=True)
        )
        assert REFERENCE_PARTNERS.get(organisation.slug, set()) <= names
        assert len(names) >= 5
        # Contacts (some tutors), sites in the partner's country, a timeline.
        contacts = PartnerContact.objects.filter(partner__organisation=organisation)
        assert contacts.filter(is_tutor=True).exists()
        sites = PartnerSite.objects.filter(partner__organisation=organisation)
        countries = set(organisation.sites.values_list("country", flat=True))
        assert set(sites.values_list("country", flat=True)) <= countries
        assert not sites.filter(region__isnull=True).exists()
        assert Interaction.objects.filter(
            partner__organisation=organisation, kind=InteractionKind.AGREEMENT_SIGNED
        ).exists()
        # Open offers, a cohort matched by the optimiser, some matches confirmed.
        assert (
            Offer.objects.filter(
                partner__organisation=organisation, status=OfferStatus.OPEN
            ).count()
            >= 4
        )
        run = MatchingRun.objects.get(cohort__run__site__organisation=organisation)
        assert run.placed > 0
        assert Match.objects.filter(run=run, status=MatchStatus.CONFIRMED).exists()
        assert OfferInterest.objects.filter(offer__partner__organisation=organisation).exists()
        # Internships with signed agreements, check-ins held, evaluations received.
        internships = Internship.objects.filter(partner__organisation=organisation)
        assert internships.filter(
            status__in=[InternshipStatus.UNDER_WAY, InternshipStatus.ENDED]
        ).exists()
        assert internships.filter(status=InternshipStatus.SIGNED).exists()
        assert TutorEvaluation.objects.filter(
            internship__partner__organisation=organisation, submitted_at__isnull=False
        ).exists()
        assert internships.filter(job_offered=True).exists()
    # Funders' donations carry an amount and a currency.
    donations = Interaction.objects.filter(kind=InteractionKind.DONATION_RECEIVED)
    assert donations.exists()
    assert not donations.filter(amount__isnull=True).exists()
    assert set(Offer.objects.exclude(currency="").values_list("currency", flat=True)) == CURRENCIES
    # Invariants: nothing started without a signed agreement and its signatures…
    started = Internship.objects.exclude(status__in=["draft", "cancelled"])
    assert not started.filter(signed_at__isnull=True).exists()
    assert not started.annotate(n=Count("signatures")).filter(n__lt=3).exists()
    assert not Internship.objects.filter(status="draft", signatures__isnull=False).exists()
    assert AgreementSignature.objects.count() >= 3 * started.count()
    # …no confirmed match beyond an offer's places, one per learner…
    assert not (
        Offer.objects.annotate(
            confirmed=Count("matches", filter=Q(matches__status=MatchStatus.CONFIRMED))
        )
        .filter(confirmed__gt=F("places"))
        .exists()
    )
    # …and referrals only with consent, some sharing their status, linked to applications.
    referrals = Referral.objects.all()
    assert referrals.filter(partner__organisation__slug="simplon").exists()
    assert referrals.filter(partner__organisation__slug="konexio").exists()
    assert not referrals.filter(consent_at__isnull=True).exists()
    assert not referrals.filter(application__isnull=True).exists()
    assert {True, False} <= set(referrals.values_list("shares_status", flat=True))
    # Tutors' evaluations: hashes only, submitted ones answered.
    for evaluation in TutorEvaluation.objects.all():
        assert len(evaluation.token_hash) == 64
        assert bool(evaluation.answers) == (evaluation.submitted_at is not None)
    assert Incident.objects.exists()
    assert (
        Internship.objects.filter(status=InternshipStatus.ENDED_EARLY)
        .exclude(end_reason="")
        .exists()
    )
    assert CheckIn.objects.filter(held_on__isnull=False).exists()
    # PN's Philippines third-years: about 46 % hired after their internship.
    philippines = Internship.objects.filter(
        partner__organisation__slug="passerelles-numeriques",
        country="PH",
        status=InternshipStatus.ENDED,
    )
    assert philippines.count() >= 20
    share = philippines.filter(job_offered=True).count() / philippines.count()
    assert 0.42 <= share <= 0.50
    # Internships start after the learner's training ended (or on matches of a running one).
    for internship in Internship.objects.select_related("enrolment__cohort"):
        assert internship.starts_on >= internship.enrolment.cohort.ends_on

    # The partners' pages show the demo's records to the organisation's admin.
    for organisation in Organisation.objects.all():
        client.force_login(organisation_admin(organisation))
        partner = Partner.objects.filter(organisation=organisation).first()
        offer = Offer.objects.filter(partner__organisation=organisation).first()
        run = MatchingRun.objects.get(cohort__run__site__organisation=organisation)
        internships = Internship.objects.filter(partner__organisation=organisation)
        pages = [
            reverse("partners:home"),
            reverse("partners:partner-detail", args=[partner.pk]),
            reverse("partners:offer-list"),
            reverse("partners:offer-detail", args=[offer.pk]),
            reverse("partners:matching", args=[run.cohort_id]),
            reverse("partners:internship-list"),
            reverse("partners:referral-list"),
            reverse("partners:dashboard"),
        ]
        for internship in internships.exclude(status="draft").order_by("status")[:3]:
            pages += [
                reverse("partners:internship-detail", args=[internship.pk]),
                reverse("partners:internship-follow-up", args=[internship.pk]),
            ]
        with override_settings(TREMPLIN_DEMO_ACCOUNTS_SKIP_MFA=True):
            for page in pages:
                assert client.get(page).status_code == 200, page
    # Removed with the demo.
    demo_remove()
    assert not Partner.objects.exists()
    assert not Internship.objects.exists()
