"""Calendar subscriptions: a private address per trainer and per cohort, read without
signing in, renewed on demand (the old address then stops working)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from icalendar import Calendar

from conftest import World
from tremplin.core.models import AuditEvent
from tremplin.training.models import CalendarLink
from tremplin.training.services import calendar_links
from tremplin.training.services.calendar_links import calendar_link_renew
from tremplin.training.services.timetable import session_save
from tremplin.training.tests.timetable_fixtures import Timetable, session_data, timetable_world


@pytest.fixture
def t(world: World, monkeypatch: pytest.MonkeyPatch) -> Timetable:
    # The sessions are in October 2026, whenever the tests run.
    monkeypatch.setattr(calendar_links, "FEED_DAYS_BACK", 100 * 366)
    return timetable_world(world)


def _feed(client: object, token: str) -> Calendar:
    response = client.get(reverse("training:calendar-feed", kwargs={"token": token}))  # type: ignore[attr-defined]
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def test_cohort_feed_holds_its_sessions_at_local_time(t: Timetable, world: World) -> None:
    session = session_save(
        actor=t.manager,
        cohort=t.cohort,
        data=session_data(t, video_link="https://meet.example.org/x"),
    )
    token = calendar_link_renew(actor=t.manager, cohort=t.cohort)
    calendar = _feed(world.client_for("anonymous"), token)
    (event,) = calendar.walk("VEVENT")
    assert str(event["uid"]).startswith(f"training-session-{session.pk}@")
    assert event["sequence"] == 0
    assert event["dtstart"].dt == dt.datetime(2026, 10, 5, 9, tzinfo=event["dtstart"].dt.tzinfo)
    assert event["dtstart"].params["TZID"] == "Europe/Paris"
    assert "Salle Hopper" in str(event["location"])
    assert "https://meet.example.org/x" in str(event["location"])
    assert "HTML" in str(event["summary"])
    assert "Cohort X" in str(event["summary"])
    assert [tz["tzid"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]


def test_a_changed_session_keeps_its_uid_and_raises_its_sequence(
    t: Timetable, world: World
) -> None:
    session = session_save(actor=t.manager, cohort=t.cohort, data=session_data(t))
    session_save(
        actor=t.manager,
        cohort=t.cohort,
        session=session,
        data=session_data(t, starts_at=dt.time(10)),
    )
    token = calendar_link_renew(actor=t.awa, cohort=None)
    (event,) = _feed(world.client_for("anonymous"), token).walk("VEVENT")
    assert str(event["uid"]).startswith(f"training-session-{session.pk}@")
    assert event["sequence"] == 1


def test_trainer_feed_holds_only_their_sessions(t: Timetable, world: World) -> None:
    session_save(actor=t.manager, cohort=t.cohort, data=session_data(t))
    session_save(actor=t.manager, cohort=t.other, data=session_data(t, trainers=[], room=t.lab))
    token = calendar_link_renew(actor=t.awa, cohort=None)
    events = _feed(world.client_for("anonymous"), token).walk("VEVENT")
    assert [str(e["summary"]) for e in events] == ["Cohort X — HTML"]


def test_only_the_hash_is_kept_and_renewing_ends_the_old_address(
    t: Timetable, world: World
) -> None:
    first = calendar_link_renew(actor=t.manager, cohort=t.cohort)
    link = CalendarLink.objects.get()
    assert first not in link.token_hash
    second = calendar_link_renew(actor=t.manager, cohort=t.cohort)
    client = world.client_for("anonymous")
    assert client.get(reverse("training:calendar-feed", args=[first])).status_code == 404
    assert client.get(reverse("training:calendar-feed", args=[second])).status_code == 200
    assert CalendarLink.objects.count() == 1
    assert AuditEvent.objects.filter(action="calendar_link.renewed").count() == 2


def test_links_page_shows_the_new_address_once(t: Timetable, world: World) -> None:
    client = world.client_for("manager_a1")
    url = reverse("training:calendar-links")
    response = client.post(url, {"target": "cohort", "cohort": t.cohort.pk})
    address = re.search(r'value="(http[^"]+\.ics)"', response.content.decode())
    assert address is not None
    token = address.group(1).rsplit("/", 1)[1].removesuffix(".ics")
    assert (
        world.client_for("anonymous")
        .get(reverse("training:calendar-feed", args=[token]))
        .status_code
        == 200
    )
    again = client.get(url).content.decode()
    assert token not in again


def test_a_trainer_cannot_renew_a_cohorts_address(t: Timetable, world: World) -> None:
    t.cohort.trainers.add(world.users["trainer_a1"])
    response = world.client_for("trainer_a1").post(
        reverse("training:calendar-links"), {"target": "cohort", "cohort": t.cohort.pk}
    )
    assert response.status_code == 404
    assert not CalendarLink.objects.exists()


def test_a_trainer_who_left_has_no_feed(t: Timetable, world: World) -> None:
    token = calendar_link_renew(actor=t.awa, cohort=None)
    t.awa.is_active = False
    t.awa.save()
    response = world.client_for("anonymous").get(reverse("training:calendar-feed", args=[token]))
    assert response.status_code == 404


def test_feed_takes_a_fixed_number_of_queries(
    t: Timetable, world: World, django_assert_max_num_queries: object
) -> None:
    for day in range(5, 9):
        session_save(
            actor=t.manager, cohort=t.cohort, data=session_data(t, date=dt.date(2026, 10, day))
        )
    token = calendar_link_renew(actor=t.manager, cohort=t.cohort)
    client = world.client_for("anonymous")
    with django_assert_max_num_queries(4):  # type: ignore[operator]
        assert client.get(reverse("training:calendar-feed", args=[token])).status_code == 200


def test_sessions_long_past_are_left_out(
    t: Timetable, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    session_save(actor=t.manager, cohort=t.cohort, data=session_data(t))
    token = calendar_link_renew(actor=t.manager, cohort=t.cohort)
    monkeypatch.setattr(calendar_links, "FEED_DAYS_BACK", -100 * 366)  # "since" far ahead
    assert _feed(world.client_for("anonymous"), token).walk("VEVENT") == []
