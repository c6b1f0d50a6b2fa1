"""Factories for partners' records (tests only)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from tremplin.network.tests.factories import OrganisationFactory
from tremplin.partners.models import (
    Internship,
    InternshipStatus,
    Offer,
    OfferKind,
    Partner,
    PartnerContact,
    PartnerKind,
    PartnerSite,
)
from tremplin.training.tests.factories import EnrolmentFactory


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Partner company {n}")
    kind = PartnerKind.COMPANY
    sector = "Telecoms"
    partnerships = factory.LazyFunction(lambda: ["hosts_interns"])
    country = "FR"


class PartnerSiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerSite

    partner = factory.SubFactory(PartnerFactory)
    name = "Head office"
    city = "Paris"
    country = "FR"


class PartnerContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerContact

    partner = factory.SubFactory(PartnerFactory)
    name = factory.Sequence(lambda n: f"Contact {n}")
    email = factory.Sequence(lambda n: f"contact{n}@partner.example")
    language = "en"
    is_tutor = True


class OfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offer

    partner = factory.SubFactory(PartnerFactory)
    kind = OfferKind.INTERNSHIP
    title = factory.Sequence(lambda n: f"Fibre installer intern {n}")
    starts_on = dt.date(2026, 6, 1)
    ends_on = dt.date(2026, 8, 31)
    hours_per_week = Decimal("35")
    allowance_amount = Decimal("660.00")
    currency = "EUR"
    places = 2
    city = "Paris"


class InternshipFactory(factory.django.DjangoModelFactory):
    """A draft internship (agreement being prepared); ``signed=True`` gives a signed one."""

    class Meta:
        model = Internship

    class Params:
        signed = factory.Trait(
            status=InternshipStatus.SIGNED,
            signed_at=factory.LazyFunction(timezone.now),
        )

    enrolment = factory.SubFactory(EnrolmentFactory)
    partner = factory.SubFactory(
        PartnerFactory,
        organisation=factory.LazyAttribute(
            lambda o: o.factory_parent.enrolment.cohort.run.site.organisation
        ),
    )
    kind = OfferKind.INTERNSHIP
    starts_on = dt.date(2026, 6, 1)
    ends_on = dt.date(2026, 8, 31)
    hours_per_week = Decimal("35")
    tasks = "Pull fibre, splice, test links, fill in the job reports."
    allowance_amount = Decimal("660.00")
    currency = "EUR"
    country = "FR"
