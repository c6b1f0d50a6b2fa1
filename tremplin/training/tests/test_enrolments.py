"""Learners join a cohort from the call's accepted applicants (one step, all or nothing), by
level group from the placement test, or directly for open entry."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from conftest import World
from tremplin.core.models import AuditEvent
from tremplin.people.tests.factories import PersonFactory
from tremplin.selection.models import Application
from tremplin.training.models import Enrolment
from tremplin.training.selectors.enrolment_plan import enrolment_plan
from tremplin.training.services.enrolments import cohort_enrol_person, cohort_enrol_selected
from tremplin.training.tests.cohort_builders import (
    application,
    call_of,
    cohort,
    current_run,
    placed,
)

pytestmark = pytest.mark.django_db


def test_only_the_selected_who_did_not_withdraw_join(world: World) -> None:
    run = current_run(world)
    call = call_of(run)
    made = cohort(run, call=call)
    selected = application(call, world.amina)
    withdrawn = application(call, withdrawn=True, legal_family_name="Withdrawn")
    application(call, outcome=Application.Outcome.WAITLISTED, legal_family_name="Waiting")
    application(call, outcome=Application.Outcome.REJECTED, legal_family_name="Rejected")
    application(call, outcome=Application.Outcome.IN_PROGRESS, legal_family_name="Running")
    plan = cohort_enrol_selected(actor=world.users["manager_a1"], cohort=made)
    assert [j.person for j in plan.joining] == [world.amina]
    enrolment = Enrolment.objects.get()
    assert (enrolment.person, enrolment.application, enrolment.cohort) == (
        world.amina,
        selected,
        made,
    )
    assert not Enrolment.objects.filter(person=withdrawn.person).exists()
    assert AuditEvent.objects.filter(action="enrolment.created").count() == 1


def test_people_already_in_a_cohort_of_the_run_are_skipped_by_name(world: World) -> None:
    run = current_run(world)
    call = call_of(run)
    first, second = cohort(run, call=call), cohort(run, title="Group B", call=call)
    application(call, world.amina)
    Enrolment.objects.create(cohort=first, person=world.amina, joined_on=run.starts_on)
    plan = enrolment_plan(cohort=second)
    assert plan.already == [world.amina]
    assert plan.joining == []
    page = world.client_for("manager_a1").get(
        reverse("training:cohort-enrol-selected", kwargs={"cohort_id": second.pk})
    )
    assert "Diallo" in page.text
    assert "Already in a cohort of this run" in page.text


def test_more_learners_than_places_enrols_nobody_and_names_the_cohort(world: World) -> None:
    run = current_run(world)
    call = call_of(run)
    made = cohort(run, call=call, seats=2, title="Small group")
    for _n in range(3):
        application(call)
    with pytest.raises(ValidationError) as refused:
        cohort_enrol_selected(actor=world.users["manager_a1"], cohort=made)
    message = " ".join(refused.value.messages)
    assert "Small group" in message
    assert "2 places left" in message
    assert "3 learners" in message
    assert Enrolment.objects.count() == 0


def test_the_list_changed_since_the_preview_is_refused(world: World) -> None:
    run = current_run(world)
    call = call_of(run)
    made = cohort(run, call=call)
    first = application(call)
    application(call)  # accepted after the preview was read
    with pytest.raises(ValidationError):
        cohort_enrol_selected(actor=world.users["manager_a1"], cohort=made, expected=[first.pk])
    assert Enrolment.objects.count() == 0


def test_preview_then_confirm_on_the_page(world: World) -> None:
    run = current_run(world)
    call = call_of(run)
    made = cohort(run, call=call)
    chosen = application(call, world.amina)
    client = world.client_for("manager_a1")
    url = reverse("training:cohort-enrol-selected", kwargs={"cohort_id": made.pk})
    preview = client.get(url)
    assert "Diallo" in preview.text
    assert Enrolment.objects.count() == 0
    done = client.post(url, {"application": [chosen.pk]})
    assert done.status_code == 302
    assert Enrolment.objects.get().person == world.amina


def test_level_groups_come_from_the_placement_test(world: World) -> None:
    run = current_run(world, levels=["Beginner", "Intermediate", "Advanced"])
    call = call_of(run)
    beginners = cohort(run, title="Beginners", level="Beginner", call=call)
    advanced = cohort(run, title="Advanced", level="Advanced", call=call)
    ana, ben, cy, dee = (
        PersonFactory(site=world.north, legal_family_name=name)
        for name in ("Ana", "Ben", "Cy", "Dee")
    )
    for person in (ana, ben, cy, dee):
        application(call, person)
    placed(world, ana, "beginner")
    placed(world, ben, "advanced")
    placed(world, dee, "intermediate")  # no intermediate cohort in the run
    plan = cohort_enrol_selected(actor=world.users["manager_a1"], cohort=beginners)
    assert {(j.person, j.cohort) for j in plan.joining} == {(ana, beginners), (ben, advanced)}
    assert {u.person for u in plan.unplaced} == {cy, dee}
    assert Enrolment.objects.get(person=ana).level == "Beginner"
    assert Enrolment.objects.get(person=ben).cohort == advanced
    assert not Enrolment.objects.filter(person__in=[cy, dee]).exists()


def test_open_entry_enrols_one_person_directly(world: World) -> None:
    run = current_run(world)
    made = cohort(run, open_entry=True, seats=1)
    manager = world.users["manager_a1"]
    enrolment = cohort_enrol_person(actor=manager, cohort=made, person=world.amina)
    assert enrolment.application is None
    with pytest.raises(ValidationError) as full:
        cohort_enrol_person(actor=manager, cohort=made, person=PersonFactory(site=world.north))
    assert made.title in " ".join(full.value.messages)
    closed = cohort(run, title="Closed")
    with pytest.raises(ValidationError):
        cohort_enrol_person(actor=manager, cohort=closed, person=PersonFactory(site=world.north))


def test_open_entry_page_finds_and_enrols_or_enters_a_new_person(world: World) -> None:
    run = current_run(world)
    made = cohort(run, open_entry=True)
    client = world.client_for("manager_a1")
    url = reverse("training:cohort-enrol-person", kwargs={"cohort_id": made.pk})
    found = client.get(url, {"q": "diallo"})
    assert "Diallo" in found.text
    assert client.post(url, {"person": world.amina.pk}).status_code == 302
    assert made.enrolments.get().person == world.amina
    new = client.post(
        url,
        {
            "action": "create",
            "site": world.north.pk,
            "legal_given_names": "Yonas",
            "legal_family_name": "Tekle",
            "gender": "male",
        },
    )
    assert new.status_code == 302, new.text
    assert made.enrolments.filter(person__legal_family_name="Tekle").exists()


def test_a_new_person_is_not_saved_when_the_cohort_is_full(world: World) -> None:
    from tremplin.people.models import Person

    run = current_run(world)
    made = cohort(run, open_entry=True, seats=1)
    Enrolment.objects.create(cohort=made, person=world.amina, joined_on=run.starts_on)
    page = world.client_for("manager_a1").post(
        reverse("training:cohort-enrol-person", kwargs={"cohort_id": made.pk}),
        {
            "action": "create",
            "site": world.north.pk,
            "legal_given_names": "Yonas",
            "legal_family_name": "Tekle",
            "gender": "male",
        },
    )
    assert page.status_code == 200
    assert not Person.objects.filter(legal_family_name="Tekle").exists()
