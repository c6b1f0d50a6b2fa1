"""Week views: per cohort, per trainer and per room, week by week, today marked, in every
language (right to left in Arabic), in a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import World
from tremplin.network.models import Role
from tremplin.network.services import role_grant
from tremplin.network.tests.factories import UserFactory
from tremplin.training.services.timetable import session_save
from tremplin.training.tests.timetable_fixtures import Timetable, session_data, timetable_world


@pytest.fixture
def t(world: World) -> Timetable:
    return timetable_world(world)


def _week(client: object, name: str, query: str = "", **kwargs: int) -> object:
    url = reverse(f"training:{name}", kwargs=kwargs or None)
    return client.get(f"{url}?{query}")  # type: ignore[attr-defined]


def test_cohort_week_lists_the_weeks_sessions_by_day(t: Timetable, world: World) -> None:
    session_save(actor=t.manager, cohort=t.cohort, data=session_data(t))
    session_save(actor=t.manager, cohort=t.cohort, data=session_data(t, date=dt.date(2026, 10, 13)))
    response = _week(
        world.client_for("coach_a1"), "week-cohort", "week=2026-10-07", cohort_id=t.cohort.pk
    )
    assert response.status_code == 200  # type: ignore[attr-defined]
    days = response.context["days"]  # type: ignore[attr-defined]
    assert next(d["date"] for d in days) == dt.date(2026, 10, 5)
    assert [len(d["sessions"]) for d in days] == [1, 0, 0, 0, 0, 0, 0]
    html = response.content.decode()  # type: ignore[attr-defined]
    assert "week=2026-09-28" in html
    assert "week=2026-10-12" in html
    assert "9:00–12:30" in html
    assert "New session" not in html  # a job coach reads, does not change


def test_today_is_marked(t: Timetable, world: World) -> None:
    response = _week(world.client_for("manager_a1"), "week-cohort", cohort_id=t.cohort.pk)
    today = timezone.localdate()
    marked = [d for d in response.context["days"] if d["today"]]  # type: ignore[attr-defined]
    assert len(marked) == 1
    assert abs((marked[0]["date"] - today).days) <= 1
    assert 'aria-current="date"' in response.content.decode()  # type: ignore[attr-defined]


def test_malformed_week_shows_this_week(t: Timetable, world: World) -> None:
    response = _week(
        world.client_for("manager_a1"), "week-cohort", "week=2026-99-99", cohort_id=t.cohort.pk
    )
    assert response.status_code == 200  # type: ignore[attr-defined]


def test_trainer_sees_their_own_week_and_not_another_sites_trainer(
    t: Timetable, world: World
) -> None:
    session_save(actor=t.manager, cohort=t.cohort, data=session_data(t))
    awa = world.client_for("anonymous")
    awa.force_login(t.awa)
    own = _week(awa, "week-trainer", "week=2026-10-05")
    assert own.context["own"] is True  # type: ignore[attr-defined]
    assert "My timetable" in own.content.decode()  # type: ignore[attr-defined]
    assert sum(len(d["sessions"]) for d in own.context["days"]) == 1  # type: ignore[attr-defined]
    # a manager of the site reads Awa's week; Beta's manager does not find her
    manager = _week(
        world.client_for("manager_a1"), "week-trainer", f"trainer={t.awa.pk}&week=2026-10-05"
    )
    assert manager.status_code == 200  # type: ignore[attr-defined]
    beta = _week(world.client_for("manager_b1"), "week-trainer", f"trainer={t.awa.pk}")
    assert beta.status_code == 404  # type: ignore[attr-defined]
    # a trainer does not read a colleague's week
    colleague = _week(world.client_for("trainer_a1"), "week-trainer", f"trainer={t.awa.pk}")
    assert colleague.status_code == 404  # type: ignore[attr-defined]


def test_room_week_shows_every_cohort_in_the_room(t: Timetable, world: World) -> None:
    session_save(actor=t.manager, cohort=t.cohort, data=session_data(t))
    session_save(actor=t.manager, cohort=t.other, data=session_data(t, date=dt.date(2026, 10, 6)))
    response = _week(
        world.client_for("manager_a1"), "week-room", "week=2026-10-05", room_id=t.room.pk
    )
    html = response.content.decode()  # type: ignore[attr-defined]
    assert "Cohort X" in html
    assert "Cohort Y" in html
    assert _week(world.client_for("manager_b1"), "week-room", room_id=t.room.pk).status_code == 404  # type: ignore[attr-defined]


def test_week_in_arabic_is_right_to_left(t: Timetable, world: World) -> None:
    client = world.client_for("manager_a1")
    client.cookies["django_language"] = "ar"
    response = client.get(
        reverse("training:week-cohort", args=[t.cohort.pk]), HTTP_ACCEPT_LANGUAGE="ar"
    )
    html = response.content.decode()
    assert 'dir="rtl"' in html
    assert "bi-arrow-right" in html.split('rel="prev"')[1][:200]


def test_week_query_count_does_not_grow_with_sessions(
    t: Timetable, world: World, django_assert_max_num_queries: object
) -> None:
    for day in (5, 6, 7, 8, 9):
        for trainer_count in range(2):
            extra = UserFactory()
            role_grant(
                user=extra, role=Role.TRAINER, organisation_id=world.alpha.pk, site=world.north
            )
            session_save(
                actor=t.manager,
                cohort=t.cohort if trainer_count == 0 else t.other,
                data=session_data(
                    t,
                    date=dt.date(2026, 10, day),
                    room=t.room if trainer_count == 0 else t.lab,
                    trainers=[extra],
                ),
            )
    client = world.client_for("manager_a1")
    url = reverse("training:week-room", args=[t.room.pk]) + "?week=2026-10-05"
    client.get(url)
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        assert client.get(url).status_code == 200


def test_my_timetable_is_in_a_trainers_navigation_only(world: World) -> None:
    url = reverse("training:week-trainer")
    page = reverse("training:calendar-links")
    trainer = world.client_for("trainer_a1").get(page).content.decode()
    assert f'href="{url}"' in trainer.split("<main")[0]  # the navigation, above the page
    coach = world.client_for("coach_a1").get(page).content.decode()
    assert f'href="{url}"' not in coach.split("<main")[0]
