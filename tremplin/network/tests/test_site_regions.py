"""A site's region is chosen among the regions of its country."""

from __future__ import annotations

from django.urls import reverse

from conftest import World
from tremplin.network.models import Region


def test_a_sites_region_list_is_its_countrys(world: World) -> None:
    nord = Region.objects.create(country="FR", code="FR-59", name="Nord")
    phnom_penh = Region.objects.create(country="KH", code="KH-12", name="Phnom Penh")
    client = world.client_for("admin_a")
    url = reverse("network:site-edit", args=[world.north.pk])
    response = client.get(url)
    page = response.content.decode()
    assert "Nord" in page
    assert "Phnom Penh" not in page
    form = response.context["form"]
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if k in form.fields}
    data.update(region=phnom_penh.pk)
    assert client.post(url, data).status_code == 200  # refused, named on the form
    data.update(region=nord.pk)
    assert client.post(url, data).status_code == 302
    world.north.refresh_from_db()
    assert world.north.region_id == nord.pk
