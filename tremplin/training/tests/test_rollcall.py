"""Roll call: the taps a phone sends are applied once, the latest wins, changes are audited,
a learner outside the session is refused, and bad bodies get a 400 with a message."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import World
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import AuditEvent
from tremplin.training.models import Mark, MarkOperation
from tremplin.training.signals import marks_saved
from tremplin.training.tests.factories import EnrolmentFactory
from tremplin.training.tests.rollcall_builders import (
    DAY,
    enrolments,
    send,
    tap,
    taught_session,
)

T = dt.datetime(2026, 3, 2, 9, 5, tzinfo=dt.UTC)
# Sign-in (session, user, roles), the session and its access, then the learners in one
# query (and the navigation's own); a save adds the lock, the operations known, the
# learners, their marks, and one insert or update per table.
PAGE_QUERIES = 11
SAVE_QUERIES = 18


def _marks(session: Any) -> dict[int, str]:
    return dict(Mark.objects.filter(session=session).values_list("enrolment_id", "status"))


def _audits() -> list[dict[str, Any]]:
    return list(
        AuditEvent.objects.filter(action=AuditAction.MARK_CHANGED)
        .order_by("pk")
        .values_list("changes", flat=True)
    )


@pytest.mark.django_db
def test_a_tap_saves_the_mark_and_a_first_mark_needs_no_audit_row(world: World) -> None:
    session = taught_session(world, learners=2)
    amy, ben = enrolments(session)
    response = send(world.client_for("trainer_a1"), session, tap(amy, "present"), tap(ben, "late"))
    assert response.status_code == 200
    body = response.json()
    assert [r["outcome"] for r in body["results"]] == ["applied", "applied"]
    assert body["marks"] == {str(amy.pk): "present", str(ben.pk): "late"}
    assert _marks(session) == {amy.pk: "present", ben.pk: "late"}
    assert MarkOperation.objects.filter(session=session).count() == 2
    mark = Mark.objects.get(session=session, enrolment=amy)
    assert mark.recorded_by == world.users["trainer_a1"]
    assert mark.recorded_at == T
    assert _audits() == []


@pytest.mark.django_db
def test_an_operation_sent_twice_is_acknowledged_and_not_applied_again(world: World) -> None:
    session = taught_session(world, learners=1)
    (amy,) = enrolments(session)
    client = world.client_for("trainer_a1")
    first = tap(amy, "present", at=T)
    send(client, session, first)
    send(client, session, tap(amy, "absent", at=T + dt.timedelta(seconds=5)))
    # The phone never heard the answer to the first tap, and sends it again.
    response = send(client, session, first)
    assert response.json()["results"] == [
        {"op_id": first["op_id"], "outcome": "duplicate", "reason": ""}
    ]
    assert _marks(session) == {amy.pk: "absent"}
    assert MarkOperation.objects.count() == 2
    assert _audits() == [{"status": {"from": "present", "to": "absent"}}]
    # The same operation twice in one batch is applied once.
    again = tap(amy, "late", at=T + dt.timedelta(seconds=9))
    outcomes = [r["outcome"] for r in send(client, session, again, again).json()["results"]]
    assert outcomes == ["applied", "duplicate"]
    assert MarkOperation.objects.count() == 3


@pytest.mark.django_db
def test_an_older_tap_arriving_late_never_overwrites_a_newer_mark(world: World) -> None:
    session = taught_session(world, learners=1)
    (amy,) = enrolments(session)
    client = world.client_for("trainer_a1")
    send(client, session, tap(amy, "late", at=T + dt.timedelta(minutes=3)))
    response = send(client, session, tap(amy, "absent", at=T))
    assert response.json()["results"][0]["outcome"] == "superseded"
    assert response.json()["marks"] == {str(amy.pk): "late"}
    assert _marks(session) == {amy.pk: "late"}
    assert MarkOperation.objects.filter(applied=False).count() == 1
    assert _audits() == []


@pytest.mark.django_db
def test_taps_of_one_batch_apply_in_the_order_they_were_made(world: World) -> None:
    session = taught_session(world, learners=1)
    (amy,) = enrolments(session)
    later = tap(amy, "excused", at=T + dt.timedelta(seconds=20))
    earlier = tap(amy, "present", at=T)
    middle = tap(amy, "late", at=T + dt.timedelta(seconds=10))
    send(world.client_for("trainer_a1"), session, later, earlier, middle)
    assert _marks(session) == {amy.pk: "excused"}
    assert _audits() == [
        {"status": {"from": "present", "to": "late"}},
        {"status": {"from": "late", "to": "excused"}},
    ]


@pytest.mark.django_db
def test_each_change_of_a_mark_writes_an_audit_row_from_and_to(world: World) -> None:
    session = taught_session(world, learners=1)
    (amy,) = enrolments(session)
    client = world.client_for("trainer_a1")
    send(client, session, tap(amy, "present", at=T))
    send(client, session, tap(amy, "late", at=T + dt.timedelta(seconds=1)))
    send(client, session, tap(amy, "late", at=T + dt.timedelta(seconds=2)))  # no change
    event = AuditEvent.objects.get(action=AuditAction.MARK_CHANGED)
    assert event.changes == {"status": {"from": "present", "to": "late"}}
    assert event.actor == world.users["trainer_a1"]
    assert event.subject_id == Mark.objects.get().pk


@pytest.mark.django_db
def test_a_mark_for_a_learner_not_in_the_session_is_refused_with_a_reason(world: World) -> None:
    session = taught_session(world, learners=1)
    (amy,) = enrolments(session)
    late_joiner = EnrolmentFactory(cohort=session.cohort, joined_on=DAY + dt.timedelta(days=1))
    other = taught_session(world, learners=1)
    (stranger,) = enrolments(other)
    response = send(
        world.client_for("trainer_a1"),
        session,
        tap(late_joiner, "present"),
        tap(stranger, "present"),
        tap(amy, "present"),
    )
    results = response.json()["results"]
    assert [r["outcome"] for r in results] == ["refused", "refused", "applied"]
    assert "not in this session" in results[0]["reason"]
    assert _marks(session) == {amy.pk: "present"}
    assert not Mark.objects.filter(enrolment__in=[late_joiner, stranger]).exists()


@pytest.mark.django_db
def test_a_learner_who_left_before_the_session_is_not_on_the_list(world: World) -> None:
    session = taught_session(world, learners=2)
    amy, ben = enrolments(session)
    ben.status, ben.left_on, ben.exit_reason = "left_early", DAY - dt.timedelta(days=1), "moved"
    ben.save()
    response = world.client_for("trainer_a1").get(
        reverse("training:session-rollcall", args=[session.pk])
    )
    assert f'data-enrolment="{amy.pk}"' in response.content.decode()
    assert f'data-enrolment="{ben.pk}"' not in response.content.decode()
    assert (
        send(world.client_for("trainer_a1"), session, tap(ben, "present")).json()["results"][0][
            "outcome"
        ]
        == "refused"
    )


@pytest.mark.django_db
def test_a_tap_dated_in_the_future_is_brought_back_to_now(world: World) -> None:
    session = taught_session(world, learners=1)
    (amy,) = enrolments(session)
    client = world.client_for("trainer_a1")
    send(client, session, tap(amy, "absent", at=dt.datetime(2099, 1, 1, tzinfo=dt.UTC)))
    assert Mark.objects.get().recorded_at.year < 2099
    # A correction made afterwards on a phone with a right clock still wins.
    send(client, session, tap(amy, "present", at=dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5)))
    assert _marks(session) == {amy.pk: "present"}


@pytest.mark.django_db
def test_marks_saved_is_sent_with_the_learners_whose_marks_changed(world: World) -> None:
    session = taught_session(world, learners=2)
    amy, ben = enrolments(session)
    received: list[dict[str, Any]] = []

    def receiver(sender: Any, **kwargs: Any) -> None:
        received.append(kwargs)

    marks_saved.connect(receiver)
    try:
        client = world.client_for("trainer_a1")
        send(client, session, tap(amy, "present", at=T), tap(ben, "absent", at=T))
        send(client, session, tap(amy, "present", at=T))  # a new operation, already older
    finally:
        marks_saved.disconnect(receiver)
    assert len(received) == 1
    assert received[0]["session"] == session
    assert received[0]["enrolment_ids"] == sorted([amy.pk, ben.pk])


BAD_BODIES = [
    (b"not json", "could not be read"),
    (b"[]", "must be a list"),
    (b'{"operations": {}}', "must be a list"),
    (b'{"operations": [1]}', "Mark 1"),
    (
        b'{"operations": [{"op_id": "x", "enrolment_id": 1, "status": "present",'
        b' "tapped_at": "2026-03-02T09:00:00Z"}]}',
        "op_id",
    ),
    (
        b'{"operations": [{"op_id": "6f1c3c8e-8c1e-4d55-9a55-3f3b0b4f6a01", "enrolment_id": 1,'
        b' "status": "asleep", "tapped_at": "2026-03-02T09:00:00Z"}]}',
        "status",
    ),
    (
        b'{"operations": [{"op_id": "6f1c3c8e-8c1e-4d55-9a55-3f3b0b4f6a01", "enrolment_id": 1,'
        b' "status": "present", "tapped_at": "yesterday"}]}',
        "tapped_at",
    ),
    (
        b'{"operations": [{"op_id": "6f1c3c8e-8c1e-4d55-9a55-3f3b0b4f6a01", "enrolment_id": [1],'
        b' "status": "present", "tapped_at": "2026-03-02T09:00:00Z"}]}',
        "enrolment_id",
    ),
    (
        b'{"operations": [{"op_id": "6f1c3c8e-8c1e-4d55-9a55-3f3b0b4f6a01", "enrolment_id": 99e99,'
        b' "status": "present", "tapped_at": "2026-03-02T09:00:00Z"}]}',
        "enrolment_id",
    ),
    (b"[" * 5000 + b"]" * 5000, "could not be read"),
    (b"\xff\xfe\x00", "could not be read"),
    (b'{"operations": [' + b"{}," * 600 + b"{}]}", "Too many"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("body", "message"), BAD_BODIES)
def test_a_malformed_body_gets_a_400_with_a_message(
    world: World, body: bytes, message: str
) -> None:
    session = taught_session(world, learners=1)
    response = world.client_for("trainer_a1").post(
        reverse("training:session-marks", args=[session.pk]), body, content_type="application/json"
    )
    assert response.status_code == 400
    assert message in response.json()["error"]
    assert not Mark.objects.exists()


@pytest.mark.django_db
def test_a_form_body_instead_of_json_gets_a_400(world: World) -> None:
    session = taught_session(world, learners=1)
    response = world.client_for("trainer_a1").post(
        reverse("training:session-marks", args=[session.pk]), {"operations": "x"}
    )
    assert response.status_code == 400
    assert response.json()["error"] == "Send the marks as JSON."


@pytest.mark.django_db
def test_the_page_lists_the_learners_with_big_targets_and_the_script(world: World) -> None:
    session = taught_session(world, learners=2)
    amy, _ben = enrolments(session)
    send(world.client_for("trainer_a1"), session, tap(amy, "late"))
    response = world.client_for("trainer_a1").get(
        reverse("training:session-rollcall", args=[session.pk])
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Everyone present" in html
    assert f'data-enrolment="{amy.pk}" data-status="late"' in html
    assert "training/rollcall.js" in html
    assert "<script>" not in html  # the page's policy allows no inline script
    assert reverse("training:session-marks", args=[session.pk]) in html
    assert "Attendance 100 % of 1 session marked" in html


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fr", "ar"])
def test_the_page_opens_in_french_and_arabic(world: World, language: str) -> None:
    session = taught_session(world, learners=1)
    client = world.client_for("trainer_a1")
    client.cookies["django_language"] = language
    response = client.get(
        reverse("training:session-rollcall", args=[session.pk]), HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 200
    assert f'lang="{language}"' in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("size", [5, 30])
def test_opening_the_page_takes_a_fixed_number_of_queries(
    world: World, size: int, django_assert_max_num_queries: Any
) -> None:
    session = taught_session(world, learners=size)
    send(world.client_for("trainer_a1"), session, *[tap(e, "present") for e in enrolments(session)])
    client = world.client_for("trainer_a1")
    url = reverse("training:session-rollcall", args=[session.pk])
    with django_assert_max_num_queries(PAGE_QUERIES):
        assert client.get(url).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("size", [5, 30])
def test_saving_a_session_takes_a_fixed_number_of_queries(
    world: World, size: int, django_assert_max_num_queries: Any
) -> None:
    session = taught_session(world, learners=size)
    client = world.client_for("trainer_a1")
    learners = enrolments(session)
    client.get(reverse("training:session-rollcall", args=[session.pk]))
    with django_assert_max_num_queries(SAVE_QUERIES):
        response = send(client, session, *[tap(e, "present", at=T) for e in learners])
    assert len(response.json()["marks"]) == size
    # Changing every mark (and auditing each change) takes no more.
    with django_assert_max_num_queries(SAVE_QUERIES):
        send(client, session, *[tap(e, "late", at=T + dt.timedelta(seconds=1)) for e in learners])
    assert AuditEvent.objects.filter(action=AuditAction.MARK_CHANGED).count() == size


@pytest.mark.django_db
def test_the_cohort_list_shows_each_learners_attendance_rate(world: World) -> None:
    session = taught_session(world, learners=2)
    amy, ben = enrolments(session)
    second = taught_session(world, learners=0)
    second.cohort = session.cohort
    second.starts_at += dt.timedelta(days=1)
    second.ends_at += dt.timedelta(days=1)
    second.save()
    client = world.client_for("trainer_a1")
    send(client, session, tap(amy, "late"), tap(ben, "absent"))
    send(client, second, tap(amy, "absent"), tap(ben, "excused"))
    response = client.get(reverse("training:cohort-rollcall", args=[session.cohort_id]))
    html = response.content.decode()
    assert response.status_code == 200
    rows = [json.dumps(line.rate) for line in response.context["rates"]]
    assert rows == ["50", "0"]
    assert "Take roll call" in html


@pytest.mark.django_db
def test_the_dashboard_offers_todays_roll_calls_to_those_who_take_them(world: World) -> None:
    today = timezone.localdate()
    session = taught_session(world, learners=1, day=today)
    other = taught_session(world, learners=1, day=today)
    other.cohort.trainers.clear()
    url = reverse("training:session-rollcall", args=[session.pk])
    other_url = reverse("training:session-rollcall", args=[other.pk])
    dashboard = reverse("core:dashboard")
    trainer = world.client_for("trainer_a1").get(dashboard).content.decode()
    assert url in trainer
    assert other_url not in trainer
    manager = world.client_for("manager_a1").get(dashboard).content.decode()
    assert url in manager
    assert other_url in manager
    assert url not in world.client_for("coach_a1").get(dashboard).content.decode()
    assert url not in world.client_for("manager_b1").get(dashboard).content.decode()
