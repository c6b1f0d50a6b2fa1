from __future__ import annotations

import datetime as dt

import factory

from tremplin.network.tests.factories import SiteFactory
from tremplin.people.models import Person


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    site = factory.SubFactory(SiteFactory)
    legal_given_names = factory.Faker("first_name")
    legal_family_name = factory.Faker("last_name")
    gender = "female"
    birth_date = dt.date(2001, 5, 17)

    @factory.post_generation
    def derived(self, create: bool, extracted: object, **kwargs: object) -> None:
        self.refresh_derived()
        if create:
            self.save(update_fields=["search_text", "name_key"])
