"""Information sessions: seats, waiting list, walk-ins, check-in."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from conftest import World
from tremplin.outreach.models import InformationSession, Registration
from tremplin.outreach.services import (
    information_session_create,
    registration_cancel,
    registration_create,
    registrations_check_in,
)


def make_session(world: World, capacity: int = 2) -> InformationSession:
    start = timezone.now() + dt.timedelta(days=7)
    return information_session_create(
        actor=world.users["officer_a1"],
        site=world.north,
        title="Discover DigiConnect",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        capacity=capacity,
        place="12 rue Nationale, Lille",
    )


def register(session: InformationSession, n: int, **extra: object) -> Registration:
    return registration_create(
        session=session,
        given_names=f"Person {n}",
        family_name="Test",
        phone=f"+3361234560{n}",
        channel="word_of_mouth",
        **extra,  # type: ignore[arg-type]
    ).registration


def test_seats_fill_then_the_waiting_list_takes_over(world: World) -> None:
    session = make_session(world, capacity=2)
    first, second, third = (register(session, n) for n in (1, 2, 3))
    assert [r.status for r in (first, second, third)] == ["registered", "registered", "waitlisted"]


def test_a_cancellation_gives_the_seat_to_the_first_person_waiting(world: World) -> None:
    session = make_session(world, capacity=1)
    first = register(session, 1)
    waiting = [register(session, n) for n in (2, 3)]
    promoted = registration_cancel(registration=first)
    assert promoted == waiting[0]
    waiting[0].refresh_from_db()
    waiting[1].refresh_from_db()
    assert (waiting[0].status, waiting[1].status) == ("registered", "waitlisted")
    # Cancelling someone on the waiting list promotes nobody.
    assert registration_cancel(registration=waiting[1]) is None


def test_the_same_phone_cannot_register_twice_for_a_session(world: World) -> None:
    session = make_session(world)
    register(session, 1)
    with pytest.raises(ValidationError) as error:
        register(session, 1)
    assert "phone" in error.value.message_dict


def test_a_walk_in_is_checked_in_even_when_the_session_is_full(world: World) -> None:
    session = make_session(world, capacity=1)
    register(session, 1)
    walk_in = register(session, 2, walk_in=True)
    assert walk_in.status == "registered"
    assert walk_in.checked_in_at is not None


def test_bulk_check_in_marks_the_present_and_is_audited(world: World) -> None:
    session = make_session(world, capacity=5)
    people = [register(session, n) for n in (1, 2, 3)]
    count = registrations_check_in(
        actor=world.users["officer_a1"],
        session=session,
        registration_ids=[people[0].pk, people[2].pk],
    )
    assert count == 2
    present = set(
        Registration.objects.filter(checked_in_at__isnull=False).values_list("pk", flat=True)
    )
    assert present == {people[0].pk, people[2].pk}


def test_a_trainer_cannot_schedule_or_check_in(world: World) -> None:
    session = make_session(world)
    with pytest.raises(PermissionDenied):
        registrations_check_in(
            actor=world.users["trainer_a1"], session=session, registration_ids=[]
        )
    with pytest.raises(PermissionDenied):
        information_session_create(
            actor=world.users["manager_b1"],
            site=world.north,
            title="x",
            starts_at=session.starts_at,
            ends_at=session.ends_at,
            capacity=3,
        )


def test_a_session_must_end_after_it_starts(world: World) -> None:
    start = timezone.now()
    with pytest.raises(ValidationError):
        information_session_create(
            actor=world.users["officer_a1"],
            site=world.north,
            title="Backwards",
            starts_at=start,
            ends_at=start - dt.timedelta(hours=1),
            capacity=3,
        )
