"""The demo network: the four reference organisations, staff for every role, people."""

from __future__ import annotations

import phonenumbers
import pytest

from tremplin.demo.loader import demo_load, demo_remove
from tremplin.network.models import Organisation, Programme, Role, RoleAssignment, Site
from tremplin.people.models import Person


@pytest.mark.django_db
def test_the_demo_loads_the_four_organisations_with_every_role_and_plausible_people() -> None:
    result = demo_load(seed=11)
    names = set(Organisation.objects.values_list("name", flat=True))
    assert names == {
        "Passerelles numériques",
        "Les Plombiers du Numérique",
        "Konexio",
        "Simplon",
    }
    assert Site.objects.filter(organisation__slug="passerelles-numeriques").count() == 3
    assert Site.objects.filter(organisation__slug="plombiers-du-numerique").count() == 5
    assert set(RoleAssignment.objects.values_list("role", flat=True)) == {r.value for r in Role}
    assert Programme.objects.get(slug="digiconnect").levels == [
        "Beginner",
        "Intermediate",
        "Advanced",
    ]
    assert result.people == Person.objects.count() > 800
    from tremplin.outreach.models import InformationSession, Registration

    assert InformationSession.objects.count() == 2 * Site.objects.count()
    assert Registration.objects.filter(status="waitlisted").exists()
    assert Registration.objects.filter(checked_in_at__isnull=False).exists()
    for person in Person.objects.select_related("site")[:200]:
        assert phonenumbers.is_valid_number(person.phone)
        assert phonenumbers.region_code_for_number(person.phone) == person.site.country.code
    # Loading again changes nothing; the same seed gives the same people.
    assert demo_load(seed=11).created is False
    first = list(Person.objects.order_by("pk").values_list("legal_family_name", "phone")[:20])
    demo_remove()
    assert not Organisation.objects.exists()
    demo_load(seed=11)
    again = list(Person.objects.order_by("pk").values_list("legal_family_name", "phone")[:20])
    assert [(n, str(p)) for n, p in first] == [(n, str(p)) for n, p in again]
