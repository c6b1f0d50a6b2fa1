"""Signing attendance on the trainer's phone: one learner after another, once per
half-day, a signature marking the learner present; the drawing checked."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import World
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import AuditEvent
from tremplin.training.forms.signatures import code_parse, signature_png
from tremplin.training.models import Mark, MarkStatus, Signature, SignatureMethod
from tremplin.training.selectors.signatures import half_days_of
from tremplin.training.services.signatures import signature_image
from tremplin.training.tests.factories import EnrolmentFactory
from tremplin.training.tests.signing import cohort_north, drawing, session_at


def test_a_session_covers_the_half_days_it_runs_in(world: World) -> None:
    cohort = cohort_north(world, learners=1)
    assert half_days_of(session_at(cohort, start=9, end=12)) == ["am"]
    assert half_days_of(session_at(cohort, start=14, end=17)) == ["pm"]
    assert half_days_of(session_at(cohort, start=9, end=17)) == ["am", "pm"]
    # a short session around midday belongs to the half-day it starts in
    assert half_days_of(session_at(cohort, start=12, end=13)) == ["am"]


def test_a_canvas_drawing_is_checked_and_re_encoded() -> None:
    png = signature_png(drawing())
    assert png.startswith(b"\x89PNG")
    with pytest.raises(ValidationError, match="Sign in the box"):
        signature_png(drawing(ink=False))
    with pytest.raises(ValidationError, match="Sign in the box"):
        signature_png("")
    with pytest.raises(ValidationError, match="could not be read"):
        signature_png("data:image/jpeg;base64,AAAA")
    with pytest.raises(ValidationError, match="could not be read"):
        signature_png("data:image/png;base64,%%%notbase64")
    with pytest.raises(ValidationError, match="could not be read"):
        signature_png("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB")  # cut short
    with pytest.raises(ValidationError, match="could not be read"):
        signature_png(drawing(width=20, height=10))
    with pytest.raises(ValidationError, match="too large"):
        signature_png("data:image/png;base64," + "A" * 200_000)


def test_the_code_is_read_in_any_script_of_digits() -> None:
    assert code_parse(" 123 456 ") == "123456"
    assert code_parse("١٢٣٤٥٦") == "123456"  # Arabic-Indic digits
    for wrong in ("12345", "12a456", "1234567", ""):
        with pytest.raises(ValidationError, match="6 digits"):
            code_parse(wrong)


def test_learners_sign_one_after_another_on_the_trainers_phone(world: World) -> None:
    cohort = cohort_north(world, learners=3)
    session = session_at(cohort, start=9, end=12)
    first, second, third = cohort.enrolments.order_by(
        "person__legal_family_name", "person__legal_given_names"
    )
    Mark.objects.create(
        session=session, enrolment=second, status=MarkStatus.LATE, recorded_at=session.starts_at
    )
    client = world.client_for("trainer_a1")
    url = reverse("training:session-signatures", args=[session.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["current"].enrolment == first
    assert "training/signature.js" in page.content.decode()

    response = client.post(
        url, {"enrolment": first.pk, "half_day": "am", "image": drawing()}, follow=True
    )
    assert response.redirect_chain[-1][0].endswith("?half=am")
    assert response.context["current"].enrolment == second  # the next one signs
    signature = Signature.objects.get(enrolment=first)
    assert signature.method == SignatureMethod.TRAINER_DEVICE
    assert signature.collected_by == world.users["trainer_a1"]
    assert signature_image(signature).startswith(b"\x89PNG")
    assert bytes(signature.image)[:6] == b"gAAAAA"  # kept encrypted
    # no mark yet: the signature marks the learner present
    assert Mark.objects.get(session=session, enrolment=first).status == MarkStatus.PRESENT
    event = AuditEvent.objects.get(action=AuditAction.ATTENDANCE_SIGNED, subject_id=first.pk)
    assert event.changes["marked_present"] is True

    client.post(url, {"enrolment": second.pk, "half_day": "am", "image": drawing()})
    # a mark already there is kept as it is
    assert Mark.objects.get(session=session, enrolment=second).status == MarkStatus.LATE
    assert Signature.objects.filter(session=session).count() == 2
    assert third.pk  # third still to sign
    page = client.get(url)
    assert page.context["current"].enrolment == third


def test_a_learner_signs_once_per_half_day_and_a_full_day_needs_both(world: World) -> None:
    cohort = cohort_north(world, learners=1)
    session = session_at(cohort, start=9, end=17)
    amina = cohort.enrolments.get()
    client = world.client_for("trainer_a1")
    url = reverse("training:session-signatures", args=[session.pk])
    client.post(url, {"enrolment": amina.pk, "half_day": "am", "image": drawing()})
    again = client.post(
        url, {"enrolment": amina.pk, "half_day": "am", "image": drawing()}, follow=True
    )
    assert "Already signed for this half-day." in again.content.decode()
    assert Signature.objects.count() == 1
    afternoon = client.get(url + "?half=pm")
    assert afternoon.context["current"].enrolment == amina
    client.post(url, {"enrolment": amina.pk, "half_day": "pm", "image": drawing()})
    assert sorted(Signature.objects.values_list("half_day", flat=True)) == ["am", "pm"]
    assert Mark.objects.count() == 1


def test_a_morning_session_refuses_an_afternoon_signature(world: World) -> None:
    cohort = cohort_north(world, learners=1)
    session = session_at(cohort, start=9, end=12)
    amina = cohort.enrolments.get()
    response = world.client_for("trainer_a1").post(
        reverse("training:session-signatures", args=[session.pk]),
        {"enrolment": amina.pk, "half_day": "pm", "image": drawing()},
        follow=True,
    )
    assert "does not take place in that half-day" in response.content.decode()
    assert not Signature.objects.exists()
    assert not Mark.objects.exists()


def test_a_learner_marked_absent_signs_only_once_the_mark_is_corrected(world: World) -> None:
    cohort = cohort_north(world, learners=1)
    session = session_at(cohort)
    amina = cohort.enrolments.get()
    Mark.objects.create(
        session=session, enrolment=amina, status=MarkStatus.ABSENT, recorded_at=session.starts_at
    )
    client = world.client_for("trainer_a1")
    url = reverse("training:session-signatures", args=[session.pk])
    assert client.get(url).context["current"] is None
    response = client.post(
        url, {"enrolment": amina.pk, "half_day": "am", "image": drawing()}, follow=True
    )
    assert "marked absent" in response.content.decode()
    assert not Signature.objects.exists()


def test_a_blank_or_foreign_drawing_saves_nothing_and_says_why(world: World) -> None:
    cohort = cohort_north(world, learners=1)
    session = session_at(cohort)
    amina = cohort.enrolments.get()
    client = world.client_for("trainer_a1")
    url = reverse("training:session-signatures", args=[session.pk])
    blank = client.post(url, {"enrolment": amina.pk, "half_day": "am", "image": drawing(ink=False)})
    assert blank.status_code == 400
    assert "Sign in the box with your finger" in blank.content.decode()
    stranger = client.post(url, {"enrolment": 999999, "half_day": "am", "image": drawing()})
    assert stranger.status_code == 400
    garbage = client.post(url, {"enrolment": "x", "half_day": "noon", "image": "data:,"})
    assert garbage.status_code == 400
    assert not Signature.objects.exists()
    assert not Mark.objects.exists()


def test_a_learner_who_left_before_the_session_is_not_on_its_sheet(world: World) -> None:
    cohort = cohort_north(world, learners=2)
    session = session_at(cohort)
    gone = cohort.enrolments.exclude(person=world.amina).get()
    gone.status = "left_early"
    gone.exit_reason = "moved"
    gone.left_on = session.starts_at.date() - dt.timedelta(days=3)
    gone.save()
    client = world.client_for("trainer_a1")
    url = reverse("training:session-signatures", args=[session.pk])
    roster = client.get(url).context["roster"]
    assert [line.enrolment.person for line in roster] == [world.amina]
    response = client.post(url, {"enrolment": gone.pk, "half_day": "am", "image": drawing()})
    assert response.status_code == 400
    assert not Signature.objects.exists()


def test_only_the_cohorts_trainers_and_managers_collect_signatures(world: World) -> None:
    cohort = cohort_north(world, learners=1)
    session = session_at(cohort)
    url = reverse("training:session-signatures", args=[session.pk])
    assert world.client_for("manager_a1").get(url).status_code == 200
    assert world.client_for("coach_a1").get(url).status_code == 403  # sees, does not teach
    assert world.client_for("manager_b1").get(url).status_code == 404
    cohort.trainers.clear()
    assert world.client_for("trainer_a1").get(url).status_code == 404


def test_the_signing_page_takes_the_same_queries_for_3_or_30_learners(world: World) -> None:
    counts = []
    for size in (3, 30):
        cohort = cohort_north(world, learners=1, title=f"Cohort of {size}")
        for _ in range(size - 1):
            EnrolmentFactory(cohort=cohort)
        session = session_at(cohort)
        client = world.client_for("trainer_a1")
        url = reverse("training:session-signatures", args=[session.pk])
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured))
        world.amina.enrolments.all().delete()
    assert counts[0] == counts[1]
    assert counts[1] <= 16


def test_nobody_signs_for_a_session_that_has_not_started(world: World) -> None:
    cohort = cohort_north(world, learners=1)
    tomorrow = session_at(cohort, day=timezone.localdate() + dt.timedelta(days=1))
    response = world.client_for("trainer_a1").post(
        reverse("training:session-signatures", args=[tomorrow.pk]),
        {"enrolment": cohort.enrolments.get().pk, "half_day": "am", "image": drawing()},
        follow=True,
    )
    assert "This session has not started yet" in response.content.decode()
    assert not Signature.objects.exists()
    assert not Mark.objects.exists()
