from __future__ import annotations

import datetime as dt

import factory

from tremplin.core.models import User
from tremplin.network.models import Organisation, Programme, ProgrammeRun, Site


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password("a-long-test-password")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Site {n}")
    slug = factory.Sequence(lambda n: f"site-{n}")
    city = "Paris"
    country = "FR"
    timezone = "Europe/Paris"
    default_language = "fr"


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Programme {n}")
    slug = factory.Sequence(lambda n: f"programme-{n}")
    duration_weeks = 6


class ProgrammeRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammeRun

    programme = factory.SubFactory(ProgrammeFactory)
    site = factory.SubFactory(SiteFactory)
    title = factory.Sequence(lambda n: f"Run {n}")
    starts_on = dt.date(2026, 9, 1)
    ends_on = dt.date(2026, 10, 15)
    seats = 12
