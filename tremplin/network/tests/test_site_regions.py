"""A site's region is chosen among the regions of its country."""

from __future__ import annotations

from django.urls import reverse

from conftest import World
from tremplin.network.models import Region


def test_a_sites_region_list_is_its_countrys(world: World) -> None:
    nord = Region.objects.update_or_create(
        code="FR-59", defaults={"country": "FR", "name": "Nord"}
    )[0]
    phnom_penh = Region.objects.update_or_create(
        code="KH-12", defaults={"country": "KH", "name": "Phnom Penh"}
    )[0]
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


def test_a_site_in_a_country_the_demo_does_not_load_has_its_regions(world: World) -> None:
    """Every country's regions are loaded once (network/regions.py), not only the demo's."""
    assert Region.objects.filter(country="SN", name="Dakar").exists()
    assert Region.objects.filter(country="KH", code="KH-12").exists()
    assert Region.objects.filter(country="FR", code="FR-93").exists()  # a département
    client = world.client_for("admin_a")
    url = reverse("network:site-edit", args=[world.north.pk])
    form = client.get(url).context["form"]
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if k in form.fields}
    data.update(country="SN", name="")  # refused (no name): the form comes back for Senegal
    page = client.post(url, data).content.decode()
    assert "Dakar" in page
    assert "Seine-Saint-Denis" not in page


def test_staff_read_times_in_their_sites_time_zone(world: World) -> None:
    """Issue 12 (tester): an officer in Phnom Penh read the server's 07:05 for 14:05."""
    from django.utils import timezone

    from tremplin.network.models import Site

    Site.objects.filter(pk=world.north.pk).update(timezone="Asia/Phnom_Penh")
    seen: list[str] = []

    def page(request: object) -> object:
        from django.http import HttpResponse

        seen.append(timezone.get_current_timezone_name())
        return HttpResponse()

    from django.test import RequestFactory

    from tremplin.network.middleware import SiteTimezoneMiddleware

    request = RequestFactory().get("/")
    request.user = world.users["officer_a1"]
    SiteTimezoneMiddleware(page)(request)  # type: ignore[arg-type]
    request.user = world.users["admin_a"]  # organisation-wide roles only
    SiteTimezoneMiddleware(page)(request)  # type: ignore[arg-type]
    assert seen == ["Asia/Phnom_Penh", "UTC"]
    assert timezone.get_current_timezone_name() == "UTC"  # nothing left behind for the thread
