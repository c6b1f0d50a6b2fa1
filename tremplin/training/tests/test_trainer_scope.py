"""A trainer sees only the learners of the cohorts they teach (issue 13): never the site's other
people, never their phone numbers, in the people pages, the search, the dashboard, the
placement test's person search, or the information sessions."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conftest import World
from tremplin.people.selectors import duplicates_find, people_visible, person_search
from tremplin.people.tests.factories import PersonFactory
from tremplin.placement.selectors.attempts import people_for_tests
from tremplin.training.models import Enrolment
from tremplin.training.tests.cohort_builders import cohort, current_run

pytestmark = pytest.mark.django_db


def _amina_taught_by_trainer(world: World) -> Enrolment:
    run = current_run(world)
    taught = cohort(run, trainer=world.users["trainer_a1"])
    return Enrolment.objects.create(cohort=taught, person=world.amina, joined_on=run.starts_on)


def test_trainer_sees_nobody_of_the_site_before_teaching_a_cohort(world: World) -> None:
    trainer = world.users["trainer_a1"]
    assert list(people_visible(user=trainer)) == []
    page = world.client_for("trainer_a1").get(reverse("people:person-list"))
    assert page.status_code == 200
    assert "Diallo" not in page.text
    assert "612345678" not in page.text


def test_trainer_sees_amina_only_once_she_is_in_a_cohort_they_teach(world: World) -> None:
    client = world.client_for("trainer_a1")
    detail = reverse("people:person-detail", kwargs={"person_id": world.amina.pk})
    assert client.get(detail).status_code == 404
    _amina_taught_by_trainer(world)
    assert list(people_visible(user=world.users["trainer_a1"])) == [world.amina]
    page = client.get(detail)
    assert page.status_code == 200
    assert "Diallo" in page.text
    assert "Diallo" in client.get(reverse("people:person-list")).text


def test_a_former_learner_stays_visible_to_their_trainer(world: World) -> None:
    enrolment = _amina_taught_by_trainer(world)
    Enrolment.objects.filter(pk=enrolment.pk).update(
        status=Enrolment.Status.LEFT_EARLY, left_on=enrolment.joined_on, exit_reason="health"
    )
    assert world.amina in people_visible(user=world.users["trainer_a1"])


def test_trainer_never_sees_a_learner_of_a_cohort_they_do_not_teach(world: World) -> None:
    run = current_run(world)
    other = cohort(run, title="Not theirs")
    Enrolment.objects.create(cohort=other, person=world.amina, joined_on=run.starts_on)
    assert list(people_visible(user=world.users["trainer_a1"])) == []
    url = reverse("people:person-detail", kwargs={"person_id": world.amina.pk})
    assert world.client_for("trainer_a1").get(url).status_code == 404


def test_trainer_never_sees_bilal_even_listed_as_trainer_of_a_south_cohort(world: World) -> None:
    """trainer_a1 holds the trainer role at North only: a South cohort naming them (which the
    cohort form refuses) still shows them nobody."""
    south = cohort(world.run_south, trainer=world.users["trainer_a1"])
    Enrolment.objects.create(cohort=south, person=world.bilal, joined_on=south.starts_on)
    _amina_taught_by_trainer(world)
    trainer = world.users["trainer_a1"]
    assert list(people_visible(user=trainer)) == [world.amina]
    url = reverse("people:person-detail", kwargs={"person_id": world.bilal.pk})
    assert world.client_for("trainer_a1").get(url).status_code == 404


def test_trainer_never_finds_another_persons_phone_number(world: World) -> None:
    _amina_taught_by_trainer(world)
    karim = PersonFactory(
        site=world.north,
        legal_given_names="Karim",
        legal_family_name="Benali",
        phone="+33698765432",
        email="karim@example.org",
    )
    trainer = world.users["trainer_a1"]
    assert list(person_search(user=trainer, query="0698765432")) == []
    assert list(person_search(user=trainer, query="karim@example.org")) == []
    assert list(person_search(user=trainer, query="Diallo")) == [world.amina]
    client = world.client_for("trainer_a1")
    listing = client.get(reverse("people:person-list"), {"q": "0698765432"})
    assert "Benali" not in listing.text
    assert "karim@example.org" not in listing.text
    # the placement test's person search, and who a test can be started for
    tests = client.get(reverse("placement:attempt-list"), {"who": "0698765432"})
    assert "Benali" not in tests.text
    assert karim not in people_for_tests(user=trainer)
    assert world.amina in people_for_tests(user=trainer)
    # the site's manager still finds him
    assert list(person_search(user=world.users["manager_a1"], query="0698765432")) == [karim]


def test_duplicates_of_people_a_trainer_cannot_see_are_only_counted(world: World) -> None:
    check = duplicates_find(
        user=world.users["trainer_a1"],
        organisation_id=world.alpha.pk,
        legal_given_names="Amina",
        legal_family_name="Diallo",
        birth_date=None,
        phone="+33612345678",
        email="",
    )
    assert check.visible == []
    assert check.hidden_count == 1


def test_trainer_no_longer_reads_information_sessions(world: World) -> None:
    response = world.client_for("trainer_a1").get(reverse("outreach:session-list"))
    assert response.status_code == 403


def test_the_people_tile_counts_only_the_trainers_learners(world: World) -> None:
    _amina_taught_by_trainer(world)
    PersonFactory.create_batch(3, site=world.north)
    page = world.client_for("trainer_a1").get(reverse("core:dashboard"))
    assert page.status_code == 200
    assert world.amina in people_visible(user=world.users["trainer_a1"])
    assert people_visible(user=world.users["trainer_a1"]).count() == 1


def test_a_manager_who_also_trains_still_sees_every_person_of_their_site(world: World) -> None:
    from tremplin.network.models import Role
    from tremplin.network.services import role_grant

    manager = world.users["manager_a1"]
    role_grant(user=manager, role=Role.TRAINER, organisation_id=world.alpha.pk, site=world.north)
    assert world.amina in people_visible(user=manager)
