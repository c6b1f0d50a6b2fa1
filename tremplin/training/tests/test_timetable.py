"""Sessions: made, changed and removed by the site's managers only, at the site's local time,
inside the cohort's dates, and never clashing (a trainer, a room or a learner booked twice)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from conftest import World
from tremplin.core.models import AuditEvent
from tremplin.training.models import Enrolment, Mark, Session
from tremplin.training.services.timetable import session_delete, session_save
from tremplin.training.tests.factories import CohortFactory, ModuleFactory, SessionFactory
from tremplin.training.tests.timetable_fixtures import (
    Timetable,
    session_data,
    timetable_world,
)

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


@pytest.fixture
def t(world: World) -> Timetable:
    return timetable_world(world)


def _errors(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


def test_session_is_stored_at_the_sites_local_time(t: Timetable) -> None:
    session = session_save(actor=t.manager, cohort=t.cohort, data=session_data(t))
    assert session.starts_at == dt.datetime(2026, 10, 5, 9, tzinfo=PARIS)
    assert session.starts_at.astimezone(dt.UTC).hour == 7  # Paris is UTC+2 in October
    assert list(session.trainers.all()) == [t.awa]
    event = AuditEvent.objects.get(action="session.saved")
    assert event.actor == t.manager
    assert event.changes["created"] is True


def test_trainer_booked_twice_is_refused_with_the_clash_named(t: Timetable) -> None:
    session_save(actor=t.manager, cohort=t.cohort, data=session_data(t))
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        session_save(
            actor=t.manager,
            cohort=t.other,
            data=session_data(t, starts_at=dt.time(11), ends_at=dt.time(13), room=t.lab),
        )
    assert _errors(exc)["trainers"] == [
        "Awa Diop already teaches Cohort X from 9:00 to 12:30 on Monday 5 October."
    ]
    assert Session.objects.filter(cohort=t.other).count() == 0


def test_room_booked_twice_is_refused(t: Timetable) -> None:
    session_save(actor=t.manager, cohort=t.cohort, data=session_data(t))
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        session_save(actor=t.manager, cohort=t.other, data=session_data(t, trainers=[]))
    assert _errors(exc)["room"] == [
        "Salle Hopper is already booked for Cohort X from 9:00 to 12:30 on Monday 5 October."
    ]


def test_learner_in_two_cohorts_at_once_is_refused(t: Timetable, world: World) -> None:
    Enrolment.objects.create(cohort=t.other, person=world.amina, joined_on=t.other.starts_on)
    session_save(actor=t.manager, cohort=t.other, data=session_data(t, room=t.lab, trainers=[]))
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        session_save(actor=t.manager, cohort=t.cohort, data=session_data(t, trainers=[]))
    assert _errors(exc)["date"] == [
        "Amina Diallo, a learner of this cohort, is also in Cohort Y from 9:00 to 12:30 on "
        "Monday 5 October."
    ]


def test_learner_who_left_the_other_cohort_does_not_clash(t: Timetable, world: World) -> None:
    Enrolment.objects.create(
        cohort=t.other,
        person=world.amina,
        joined_on=t.other.starts_on,
        status=Enrolment.Status.LEFT_EARLY,
        left_on=t.other.starts_on,
        exit_reason="moved",
    )
    session_save(actor=t.manager, cohort=t.other, data=session_data(t, room=t.lab, trainers=[]))
    session_save(actor=t.manager, cohort=t.cohort, data=session_data(t, trainers=[]))
    assert Session.objects.count() == 2


def test_sessions_that_only_touch_do_not_clash(t: Timetable) -> None:
    session_save(actor=t.manager, cohort=t.cohort, data=session_data(t))
    session_save(
        actor=t.manager,
        cohort=t.other,
        data=session_data(t, starts_at=dt.time(12, 30), ends_at=dt.time(16)),
    )
    assert Session.objects.count() == 2


def test_changing_a_session_does_not_clash_with_itself(t: Timetable) -> None:
    session = session_save(actor=t.manager, cohort=t.cohort, data=session_data(t))
    session_save(
        actor=t.manager,
        cohort=t.cohort,
        session=session,
        data=session_data(t, ends_at=dt.time(13)),
    )
    session.refresh_from_db()
    assert session.ends_at == dt.datetime(2026, 10, 5, 13, tzinfo=PARIS)
    assert session.sequence == 1


def test_session_outside_the_cohorts_dates_is_refused_on_the_date(t: Timetable) -> None:
    with pytest.raises(ValidationError) as exc:
        session_save(
            actor=t.manager, cohort=t.cohort, data=session_data(t, date=dt.date(2027, 1, 4))
        )
    assert "date" in _errors(exc)
    assert not Session.objects.exists()


def test_module_room_and_trainer_must_belong_to_the_cohort(t: Timetable, world: World) -> None:
    foreign_module = ModuleFactory(programme=world.programme_beta)
    with pytest.raises(ValidationError) as exc:
        session_save(
            actor=t.manager,
            cohort=t.cohort,
            data=session_data(t, module=foreign_module, trainers=[world.users["coach_a1"]]),
        )
    assert set(_errors(exc)) == {"module", "trainers"}


def test_only_the_sites_managers_change_the_timetable(t: Timetable, world: World) -> None:
    for persona in ("trainer_a1", "coach_a1", "manager_b1"):
        with pytest.raises(PermissionDenied):
            session_save(actor=world.users[persona], cohort=t.cohort, data=session_data(t))


def test_a_session_with_roll_call_taken_is_not_removed(t: Timetable, world: World) -> None:
    session = session_save(actor=t.manager, cohort=t.cohort, data=session_data(t))
    Mark.objects.create(
        session=session,
        enrolment=t.cohort.enrolments.get(),
        status="present",
        recorded_at=session.starts_at,
    )
    with pytest.raises(ValidationError):
        session_delete(actor=t.manager, session=session)
    assert Session.objects.filter(pk=session.pk).exists()


def test_manager_creates_a_session_on_the_page(t: Timetable, world: World) -> None:
    client = world.client_for("manager_a1")
    url = reverse("training:session-create", kwargs={"cohort_id": t.cohort.pk})
    response = client.post(
        url,
        {
            "date": "2026-10-05",
            "starts_at": "09:00",
            "ends_at": "12:30",
            "module": t.module.pk,
            "room": t.room.pk,
            "trainers": [t.awa.pk],
        },
    )
    session = Session.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "training:session-detail", kwargs={"session_id": session.pk}
    )
    detail = client.get(response["Location"])
    assert "roll call link: added at integration" not in detail.content.decode()
    assert "Salle Hopper" in detail.content.decode()


def test_the_page_shows_the_clash_on_its_field(t: Timetable, world: World) -> None:
    session_save(actor=t.manager, cohort=t.cohort, data=session_data(t))
    client = world.client_for("manager_a1")
    url = reverse("training:session-create", kwargs={"cohort_id": t.other.pk})
    with translation.override("en"):
        response = client.post(
            url,
            {
                "date": "2026-10-05",
                "starts_at": "10:00",
                "ends_at": "11:00",
                "room": t.lab.pk,
                "trainers": [t.awa.pk],
            },
        )
    assert response.status_code == 200
    assert response.context["form"].errors["trainers"] == [
        "Awa Diop already teaches Cohort X from 9:00 to 12:30 on Monday 5 October."
    ]


def test_malformed_times_are_form_errors_not_crashes(t: Timetable, world: World) -> None:
    client = world.client_for("manager_a1")
    url = reverse("training:session-create", kwargs={"cohort_id": t.cohort.pk})
    response = client.post(
        url, {"date": "5 oct", "starts_at": "25:99", "ends_at": "x", "room": "abc"}
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) >= {"date", "starts_at", "ends_at", "room"}


def test_session_edit_and_delete_on_the_pages(t: Timetable, world: World) -> None:
    session = session_save(actor=t.manager, cohort=t.cohort, data=session_data(t))
    client = world.client_for("manager_a1")
    edit = reverse("training:session-edit", kwargs={"session_id": session.pk})
    page = client.get(edit)
    assert page.context["form"].initial["starts_at"] == dt.time(9)
    client.post(
        edit,
        {"date": "2026-10-06", "starts_at": "14:00", "ends_at": "17:00", "room": t.room.pk},
    )
    session.refresh_from_db()
    assert session.starts_at == dt.datetime(2026, 10, 6, 14, tzinfo=PARIS)
    response = client.post(reverse("training:session-delete", kwargs={"session_id": session.pk}))
    assert response.status_code == 302
    assert "week=2026-10-06" in response["Location"]
    assert not Session.objects.exists()
    assert AuditEvent.objects.filter(action="session.removed").count() == 1


def test_trainer_reads_their_sessions_but_not_another_cohorts(world: World) -> None:
    t = timetable_world(world)
    t.cohort.trainers.add(world.users["trainer_a1"])
    own = SessionFactory(cohort=t.cohort)
    elsewhere = SessionFactory(cohort=CohortFactory(run=world.run_north))
    client = world.client_for("trainer_a1")
    assert client.get(reverse("training:session-detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("training:session-detail", args=[elsewhere.pk])).status_code == 404
    assert client.get(reverse("training:session-edit", args=[own.pk])).status_code == 403


def test_room_names_are_unique_per_site(t: Timetable, world: World) -> None:
    client = world.client_for("manager_a1")
    response = client.post(
        reverse("training:room-create"), {"site": world.north.pk, "name": "salle hopper"}
    )
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    response = client.post(
        reverse("training:room-create"), {"site": world.beta_site.pk, "name": "Salle B"}
    )
    assert "site" in response.context["form"].errors  # not a site they manage


def test_holiday_for_every_site_needs_a_network_admin(world: World) -> None:
    manager = world.client_for("manager_a1")
    page = manager.get(reverse("training:holiday-create"))
    assert "organisation" not in page.context["form"].fields
    admin = world.client_for("admin_a")
    response = admin.post(
        reverse("training:holiday-create"),
        {
            "organisation": world.alpha.pk,
            "name": "Toussaint",
            "starts_on": "2026-10-19",
            "ends_on": "2026-10-30",
        },
    )
    assert response.status_code == 302
    listed = manager.get(reverse("training:holiday-list"))
    assert "Toussaint" in listed.content.decode()
    beta = world.client_for("manager_b1").get(reverse("training:holiday-list"))
    assert "Toussaint" not in beta.content.decode()


def test_times_follow_the_sites_clock_across_a_daylight_saving_change(t: Timetable) -> None:
    after = session_save(
        actor=t.manager, cohort=t.cohort, data=session_data(t, date=dt.date(2026, 10, 26))
    )
    assert after.starts_at.astimezone(dt.UTC).hour == 8  # Paris is UTC+1 from 25 October


def test_volunteers_are_people_of_the_site(t: Timetable, world: World) -> None:
    session = session_save(
        actor=t.manager, cohort=t.cohort, data=session_data(t, volunteers=[world.amina])
    )
    assert list(session.volunteers.all()) == [world.amina]
    with pytest.raises(ValidationError) as exc:
        session_save(
            actor=t.manager,
            cohort=t.cohort,
            data=session_data(t, date=dt.date(2026, 10, 6), volunteers=[world.chen]),
        )
    assert "volunteers" in _errors(exc)
