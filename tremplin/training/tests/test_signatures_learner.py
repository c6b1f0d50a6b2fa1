"""A learner signs on their own phone: the trainer shows a room code, the learner opens
their private link, types it and signs. A wrong or expired code says so; tries are
limited."""

from __future__ import annotations

import datetime as dt

from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from conftest import World
from tremplin.training.models import Mark, MarkStatus, RoomCode, Signature, SignatureMethod
from tremplin.training.tests.signing import (
    cohort_north,
    drawing,
    private_link,
    session_at,
    session_now,
)


def show_code(world: World, session_id: int, *, renew: bool = False) -> str:
    client = world.client_for("trainer_a1")
    url = reverse("training:session-code", args=[session_id])
    response = client.post(url, {"renew": "1"} if renew else {})
    assert response.status_code == 302
    page = client.get(url)
    assert page.status_code == 200
    code = RoomCode.objects.get(session_id=session_id).code
    assert f"{code[:3]} {code[3:]}" in page.content.decode()
    return code


def test_a_learner_types_the_room_code_and_signs_on_their_phone(world: World) -> None:
    cohort = cohort_north(world, learners=2)
    session = session_now(cohort)
    code = show_code(world, session.pk)
    amina = cohort.enrolments.get(person=world.amina)
    url = reverse("training:learner-sign", args=[private_link(amina)])
    phone = Client()
    page = phone.get(url)
    assert page.status_code == 200
    assert page.context["light_page"]
    response = phone.post(url, {"code": code, "image": drawing()})
    assert response.status_code == 200
    assert "your attendance is signed" in response.content.decode()
    signature = Signature.objects.get(enrolment=amina, session=session)
    assert signature.method == SignatureMethod.OWN_DEVICE
    assert signature.collected_by is None
    assert Mark.objects.get(enrolment=amina, session=session).status == MarkStatus.PRESENT


def test_a_wrong_or_expired_code_says_so_and_saves_nothing(world: World) -> None:
    cohort = cohort_north(world, learners=1)
    session = session_now(cohort)
    code = show_code(world, session.pk)
    url = reverse("training:learner-sign", args=[private_link(cohort.enrolments.get())])
    wrong = "000000" if code != "000000" else "111111"
    response = Client().post(url, {"code": wrong, "image": drawing()})
    assert response.status_code == 400
    assert "This code is wrong or no longer valid" in response.content.decode()
    response = Client().post(url, {"code": "12ab", "image": drawing()})
    assert "Type the 6 digits of the code." in response.content.decode()
    RoomCode.objects.filter(session=session).update(
        valid_until=timezone.now() - dt.timedelta(minutes=1)
    )
    response = Client().post(url, {"code": code, "image": drawing()})
    assert "This code is wrong or no longer valid" in response.content.decode()
    assert not Signature.objects.exists()
    assert not Mark.objects.exists()


def test_a_renewed_code_replaces_the_old_one(world: World) -> None:
    cohort = cohort_north(world, learners=1)
    session = session_now(cohort)
    old = show_code(world, session.pk)
    assert show_code(world, session.pk) == old  # shown again, not changed
    new = show_code(world, session.pk, renew=True)
    assert new != old
    url = reverse("training:learner-sign", args=[private_link(cohort.enrolments.get())])
    assert Client().post(url, {"code": old, "image": drawing()}).status_code == 400
    assert Client().post(url, {"code": new, "image": drawing()}).status_code == 200
    assert Signature.objects.count() == 1


def test_a_code_of_another_cohort_opens_nothing(world: World) -> None:
    cohort = cohort_north(world, learners=1)
    other = cohort_north(world, learners=0, title="Other")
    session = session_now(other)
    code = show_code(world, session.pk)
    url = reverse("training:learner-sign", args=[private_link(cohort.enrolments.get())])
    assert Client().post(url, {"code": code, "image": drawing()}).status_code == 400
    assert not Signature.objects.exists()


def test_no_code_is_given_for_a_session_that_is_over(world: World) -> None:
    cohort = cohort_north(world, learners=1)
    past = session_at(cohort, day=timezone.localdate() - dt.timedelta(days=2))
    client = world.client_for("trainer_a1")
    url = reverse("training:session-code", args=[past.pk])
    response = client.post(url, follow=True)
    assert "This session is over" in response.content.decode()
    assert not RoomCode.objects.exists()


@override_settings(TREMPLIN_RATE_LIMITS={"attendance_sign": "3/10m/key"})
def test_guessing_the_code_is_throttled(world: World) -> None:
    cohort = cohort_north(world, learners=1)
    session_now(cohort)
    url = reverse("training:learner-sign", args=[private_link(cohort.enrolments.get())])
    phone = Client()
    statuses = [
        phone.post(url, {"code": f"{n:06d}", "image": drawing()}).status_code for n in range(4)
    ]
    assert statuses[-1] == 429


def test_an_unknown_link_is_not_found_and_the_page_reads_right_to_left_in_arabic(
    world: World,
) -> None:
    assert Client().get(reverse("training:learner-sign", args=["nope"])).status_code == 404
    world.alpha.applicant_languages = ["fr", "ar", "km", "vi"]
    world.alpha.save()
    cohort = cohort_north(world, learners=1)
    url = reverse("training:learner-sign", args=[private_link(cohort.enrolments.get())])
    page = Client(HTTP_ACCEPT_LANGUAGE="ar").get(url)
    html = page.content.decode()
    assert 'dir="rtl"' in html
    assert 'lang="ar"' in html
