"""Information session pages: scheduling, public registration on a phone, check-in."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from conftest import World
from tremplin.outreach.models import InformationSession, Registration


def schedule(world: World, capacity: int = 1) -> InformationSession:
    response = world.client_for("officer_a1").post(
        reverse("outreach:session-create"),
        {
            "site": world.north.pk,
            "title": "Discover DigiConnect",
            "starts_at": "2027-03-02T14:00",
            "ends_at": "2027-03-02T16:00",
            "mode": "in_person",
            "place": "12 rue Nationale, Lille",
            "online_link": "",
            "capacity": str(capacity),
            "language": "fr",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return InformationSession.objects.get(title="Discover DigiConnect")


def test_an_officer_schedules_a_session_and_bad_input_names_the_field(world: World) -> None:
    client = world.client_for("officer_a1")
    response = client.post(
        reverse("outreach:session-create"),
        {
            "site": world.north.pk,
            "title": "Online one",
            "starts_at": "2027-03-02T16:00",
            "ends_at": "2027-03-02T14:00",
            "mode": "online",
            "capacity": "0",
            "language": "fr",
        },
    )
    html = response.content.decode()
    assert "must end after it starts" in html
    assert "Give the link people will use to join" in html
    assert "greater than or equal to 1" in html
    assert not InformationSession.objects.exists()
    session = schedule(world)
    assert session.site == world.north


def test_people_register_on_the_public_page_then_wait_when_it_is_full(world: World) -> None:
    session = schedule(world, capacity=1)
    url = reverse("outreach:public-register", args=[session.public_key])
    visitor = Client()
    base = {"family_name": "Haddad", "channel": "social_media", "consent": "on"}
    response = visitor.post(url, {**base, "given_names": "Rania", "phone": "06 11 22 33 44"})
    assert "You are registered" in response.content.decode()
    response = visitor.post(url, {**base, "given_names": "Omar", "phone": "06 11 22 33 55"})
    assert "waiting list" in response.content.decode()
    response = visitor.post(url, {**base, "given_names": "Rania", "phone": "+33611223344"})
    assert "already registered" in response.content.decode()
    response = visitor.post(url, {"given_names": "Lina", "family_name": "K", "channel": "other"})
    html = response.content.decode()
    assert "Give a phone number or an e-mail address" in html
    assert "We need your agreement" in html
    assert list(Registration.objects.values_list("given_names", "status")) == [
        ("Rania", "registered"),
        ("Omar", "waitlisted"),
    ]


def test_check_in_at_the_door_with_a_walk_in_and_a_cancellation(world: World) -> None:
    session = schedule(world, capacity=1)
    url = reverse("outreach:public-register", args=[session.public_key])
    for name, phone in (("Rania", "0611223344"), ("Omar", "0611223355")):
        Client().post(
            url,
            {
                "given_names": name,
                "family_name": "H",
                "phone": phone,
                "channel": "partner",
                "consent": "on",
            },
        )
    rania, omar = Registration.objects.order_by("pk")
    officer = world.client_for("officer_a1")
    officer.post(reverse("outreach:registration-cancel", args=[session.pk, rania.pk]))
    omar.refresh_from_db()
    assert omar.status == "registered"  # moved up from the waiting list
    officer.post(
        reverse("outreach:session-walk-in", args=[session.pk]),
        {"given_names": "Yonas", "family_name": "T", "phone": "0622222222", "channel": "event"},
    )
    officer.post(reverse("outreach:session-check-in", args=[session.pk]), {"present": [omar.pk]})
    page = officer.get(reverse("outreach:session-detail", args=[session.pk])).content.decode()
    assert "2 registered of 1" in page
    assert "2 present" in page


def test_times_are_typed_and_shown_in_the_sites_time_zone(world: World) -> None:
    session = schedule(world)  # 14:00 typed for a site in Europe/Paris
    assert session.starts_at.isoformat() == "2027-03-02T13:00:00+00:00"
    page = Client().get(reverse("outreach:public-register", args=[session.public_key]))
    assert "14:00" in page.content.decode() or "2 p.m." in page.content.decode()
