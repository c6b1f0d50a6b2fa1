"""Factories for training's records (tests only)."""

from __future__ import annotations

import datetime as dt

import factory

from tremplin.network.tests.factories import ProgrammeRunFactory
from tremplin.people.tests.factories import PersonFactory
from tremplin.training.models import Cohort, Enrolment, Module, ModuleKind, Room, Session


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort

    run = factory.SubFactory(ProgrammeRunFactory)
    title = factory.Sequence(lambda n: f"Cohort {n}")
    starts_on = factory.LazyAttribute(lambda o: o.run.starts_on)
    ends_on = factory.LazyAttribute(lambda o: o.run.ends_on)
    seats = 12


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    cohort = factory.SubFactory(CohortFactory)
    person = factory.SubFactory(
        PersonFactory, site=factory.LazyAttribute(lambda o: o.factory_parent.cohort.run.site)
    )
    joined_on = factory.LazyAttribute(lambda o: o.cohort.starts_on)


class ModuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Module

    programme = factory.SubFactory("tremplin.network.tests.factories.ProgrammeFactory")
    title = factory.Sequence(lambda n: f"Module {n}")
    kind = ModuleKind.DIGITAL
    hours = 20
    position = factory.Sequence(lambda n: n + 1)


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    site = factory.SubFactory("tremplin.network.tests.factories.SiteFactory")
    name = factory.Sequence(lambda n: f"Room {n}")


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    cohort = factory.SubFactory(CohortFactory)
    starts_at = factory.LazyAttribute(
        lambda o: dt.datetime.combine(o.cohort.starts_on, dt.time(9), tzinfo=dt.UTC)
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=3, minutes=30))
