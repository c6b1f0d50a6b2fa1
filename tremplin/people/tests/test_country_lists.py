"""A person's record offers the regions of their site's country, not the whole world's, and
asks about France's priority neighbourhoods only where a programme asks it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conftest import World
from tremplin.network.models import Programme, Region
from tremplin.people.tests.test_people import form_data


@pytest.fixture
def regions(db: None) -> dict[str, Region]:
    return {
        "nord": Region.objects.update_or_create(
            code="FR-59", defaults={"country": "FR", "name": "Nord"}
        )[0],
        "phnom_penh": Region.objects.update_or_create(
            code="KH-12", defaults={"country": "KH", "name": "Phnom Penh"}
        )[0],
    }


def test_the_region_list_is_the_sites_country(world: World, regions: dict[str, Region]) -> None:
    client = world.client_for("manager_a1")
    page = client.get(reverse("people:person-edit", args=[world.amina.pk])).content.decode()
    assert "Nord" in page
    assert "Phnom Penh" not in page
    new = client.get(reverse("people:person-create")).content.decode()
    assert "Nord" in new
    assert "Phnom Penh" not in new


def test_a_region_of_another_country_is_refused(world: World, regions: dict[str, Region]) -> None:
    client = world.client_for("manager_a1")
    url = reverse("people:person-edit", args=[world.amina.pk])
    data = form_data(world, legal_given_names="Amina", legal_family_name="Diallo")
    data.update({"languages-INITIAL_FORMS": "0", "region": str(regions["phnom_penh"].pk)})
    page = client.post(url, data)
    assert page.status_code == 200
    assert "Phnom Penh" not in page.content.decode()
    world.amina.refresh_from_db()
    assert world.amina.region_id is None
    data["region"] = str(regions["nord"].pk)
    assert client.post(url, data).status_code == 302
    world.amina.refresh_from_db()
    assert world.amina.region_id == regions["nord"].pk


def test_the_priority_neighbourhood_question_only_where_a_programme_asks_it(
    world: World,
) -> None:
    client = world.client_for("manager_a1")
    url = reverse("people:person-edit", args=[world.amina.pk])
    assert 'name="priority_neighbourhood"' not in client.get(url).content.decode()
    Programme.objects.filter(pk=world.programme_alpha.pk).update(asks_priority_neighbourhood=True)
    assert 'name="priority_neighbourhood"' in client.get(url).content.decode()
