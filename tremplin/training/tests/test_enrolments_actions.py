"""What happens to a learner: level group, leaving early, transfer, re-entry, graduation; the
exit event and selectors the next issues read; the learner's private link and home."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from conftest import World
from tremplin.messaging.models import Message
from tremplin.people.tests.factories import PersonFactory
from tremplin.training.models import Enrolment, Session
from tremplin.training.selectors.exits import enrolment_exit, exits
from tremplin.training.services import learners as services
from tremplin.training.services.learner_links import learner_link_send
from tremplin.training.signals import learner_left_training
from tremplin.training.tests.cohort_builders import application, call_of, cohort, current_run

pytestmark = pytest.mark.django_db


@pytest.fixture
def left() -> Any:
    heard: list[Enrolment] = []

    def receiver(sender: object, enrolment: Enrolment, **kwargs: object) -> None:
        heard.append(enrolment)

    learner_left_training.connect(receiver, weak=False)
    yield heard
    learner_left_training.disconnect(receiver)


def _learner(world: World, **values: Any) -> Enrolment:
    run = current_run(world, levels=["Beginner", "Advanced"])
    made = cohort(run, trainer=world.users["trainer_a1"], **values)
    return Enrolment.objects.create(
        cohort=made, person=world.amina, joined_on=run.starts_on, level="Beginner"
    )


def test_the_cohorts_trainer_moves_a_learner_with_a_reason(world: World) -> None:
    enrolment = _learner(world)
    with pytest.raises(ValidationError) as refused:
        services.enrolment_level_change(
            actor=world.users["trainer_a1"], enrolment=enrolment, level="Advanced", reason=" "
        )
    assert "reason" in refused.value.message_dict
    services.enrolment_level_change(
        actor=world.users["trainer_a1"], enrolment=enrolment, level="Advanced", reason="Fast"
    )
    enrolment.refresh_from_db()
    assert enrolment.level == "Advanced"
    with pytest.raises(PermissionDenied):
        services.enrolment_level_change(
            actor=world.users["coach_a1"], enrolment=enrolment, level="Beginner", reason="x"
        )


def test_leaving_early_takes_a_reason_code_and_is_told(world: World, left: list) -> None:
    enrolment = _learner(world)
    manager = world.users["manager_a1"]
    with pytest.raises(ValidationError):
        services.enrolment_leave(
            actor=manager, enrolment=enrolment, reason="bored", left_on=timezone.localdate()
        )
    services.enrolment_leave(
        actor=manager, enrolment=enrolment, reason="found_job", left_on=timezone.localdate()
    )
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.exit_reason) == ("left_early", "found_job")
    assert left == [enrolment]
    gone = enrolment_exit(enrolment_id=enrolment.pk)
    assert (gone.status, gone.reason, gone.person_id) == ("left_early", "found_job", world.amina.pk)


def test_leaving_before_joining_is_refused_naming_the_learner(world: World) -> None:
    enrolment = _learner(world)
    with pytest.raises(ValidationError) as refused:
        services.enrolment_leave(
            actor=world.users["manager_a1"],
            enrolment=enrolment,
            reason="health",
            left_on=enrolment.joined_on - dt.timedelta(days=1),
        )
    assert "Amina" in " ".join(refused.value.messages)


def test_transfer_into_a_full_or_ended_cohort_is_refused_naming_it(world: World) -> None:
    enrolment = _learner(world)
    run = enrolment.cohort.run
    full = cohort(run, title="Full group", seats=1)
    Enrolment.objects.create(
        cohort=full, person=PersonFactory(site=world.north), joined_on=run.starts_on
    )
    ended = cohort(run, title="Old group", ends_on=timezone.localdate() - dt.timedelta(days=1))
    manager, today = world.users["manager_a1"], timezone.localdate()
    for target, name in ((full, "Full group"), (ended, "Old group")):
        with pytest.raises(ValidationError) as refused:
            services.enrolment_transfer(actor=manager, enrolment=enrolment, target=target, on=today)
        assert name in " ".join(refused.value.messages)
    enrolment.refresh_from_db()
    assert enrolment.status == "active"


def test_transfer_ends_one_enrolment_and_starts_another(world: World, left: list) -> None:
    enrolment = _learner(world)
    target = cohort(enrolment.cohort.run, title="Evening group")
    moved = services.enrolment_transfer(
        actor=world.users["manager_a1"], enrolment=enrolment, target=target, on=timezone.localdate()
    )
    enrolment.refresh_from_db()
    assert enrolment.status == "transferred"
    assert enrolment.transferred_to == moved
    assert moved.cohort == target
    assert moved.status == "active"
    assert left == [enrolment]
    assert enrolment_exit(enrolment_id=enrolment.pk).transferred_to_cohort_id == target.pk


def test_re_entry_brings_the_same_enrolment_back(world: World) -> None:
    enrolment = _learner(world)
    manager = world.users["manager_a1"]
    services.enrolment_leave(
        actor=manager, enrolment=enrolment, reason="health", left_on=timezone.localdate()
    )
    services.enrolment_reenter(actor=manager, enrolment=enrolment)
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.left_on, enrolment.exit_reason) == ("active", None, "")
    assert Enrolment.objects.count() == 1


def test_the_whole_cohort_graduates_at_its_end(world: World, left: list) -> None:
    enrolment = _learner(world)
    other = Enrolment.objects.create(
        cohort=enrolment.cohort, person=world.bilal, joined_on=enrolment.joined_on
    )
    count = services.cohort_graduate(
        actor=world.users["manager_a1"], cohort=enrolment.cohort, on=timezone.localdate()
    )
    assert count == 2
    assert len(left) == 2
    assert set(Enrolment.objects.values_list("status", flat=True)) == {"graduated"}
    user = world.users["manager_a1"]
    assert set(exits(user=user, since=timezone.localdate())) == {enrolment, other}
    assert list(exits(user=user, until=timezone.localdate() - dt.timedelta(days=1))) == []
    assert list(exits(user=world.users["manager_b1"])) == []


def test_the_actions_on_the_learners_page(world: World) -> None:
    enrolment = _learner(world)
    client = world.client_for("manager_a1")
    url = reverse("training:enrolment-leave", kwargs={"enrolment_id": enrolment.pk})
    bad = client.post(url, {"reason": "", "left_on": "tomorrow"})
    assert bad.status_code == 200
    assert "is-invalid" in bad.text
    good = client.post(url, {"reason": "moved", "left_on": timezone.localdate().isoformat()})
    assert good.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.status == "left_early"


def test_the_learners_link_is_sent_in_their_language_and_opens_their_home(
    world: World, mailoutbox: list
) -> None:
    run = current_run(world)
    call = call_of(run)
    made = cohort(run, call=call, title="Groupe du soir")
    chosen = application(call, world.amina, language="ar")
    enrolment = Enrolment.objects.create(
        cohort=made, person=world.amina, application=chosen, joined_on=run.starts_on
    )
    start = timezone.now() + dt.timedelta(days=2)
    Session.objects.create(
        cohort=made, title="HTML basics", starts_at=start, ends_at=start + dt.timedelta(hours=3)
    )
    Session.objects.create(
        cohort=made,
        title="Already over",
        starts_at=start - dt.timedelta(days=5),
        ends_at=start - dt.timedelta(days=5, hours=-2),
    )
    sent = learner_link_send(
        actor=world.users["coach_a1"], enrolment=enrolment, base_url="https://tremplin.example"
    )
    enrolment.refresh_from_db()
    token = sent.link.rstrip("/").rsplit("/", 1)[1]
    assert enrolment.token_hash
    assert token not in enrolment.token_hash
    assert {m.kind for m in Message.objects.all()} == {"learner_link"}
    assert {m.channel for m in Message.objects.all()} == {"email", "sms"}
    home = world.client_for("anonymous").get(sent.link.replace("https://tremplin.example", ""))
    assert home.status_code == 200
    assert 'lang="ar"' in home.text
    assert 'dir="rtl"' in home.text
    assert "Groupe du soir" in home.text
    assert "HTML basics" in home.text
    assert "Already over" not in home.text
    assert "{# learner links #}" not in home.text
    # a new link: the old one stops working
    learner_link_send(actor=world.users["coach_a1"], enrolment=enrolment, base_url="https://x")
    assert world.client_for("anonymous").get(f"/training/me/{token}/").status_code == 404
    with pytest.raises(PermissionDenied):
        learner_link_send(actor=world.users["trainer_a1"], enrolment=enrolment, base_url="")


def test_the_persons_page_shows_their_training(world: World) -> None:
    enrolment = _learner(world)
    page = world.client_for("coach_a1").get(
        reverse("people:person-detail", kwargs={"person_id": world.amina.pk})
    )
    assert enrolment.cohort.title in page.text
    assert reverse("training:enrolment-detail", kwargs={"enrolment_id": enrolment.pk}) in page.text
