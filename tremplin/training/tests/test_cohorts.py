"""Cohorts: created in a run with dates inside it, trainers and a coach of its site; listed per
user (a trainer: their own); a cohort's counts that always agree."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from conftest import World
from tremplin.core.models import AuditEvent
from tremplin.people.tests.factories import PersonFactory
from tremplin.training.models import Cohort, Enrolment
from tremplin.training.selectors.cohorts import cohort_counts, cohorts_listed
from tremplin.training.services.cohorts import CohortDetails, cohort_create, cohort_update
from tremplin.training.tests.cohort_builders import cohort, current_run

pytestmark = pytest.mark.django_db


def _details(world: World, **values: object) -> CohortDetails:
    run = current_run(world, levels=["Beginner", "Advanced"])
    base: dict[str, object] = {
        "run": run,
        "title": "Beginners A",
        "starts_on": run.starts_on,
        "ends_on": run.ends_on,
        "seats": 12,
        "level": "Beginner",
        "trainers": [world.users["trainer_a1"]],
        "coach": world.users["coach_a1"],
    }
    base.update(values)
    return CohortDetails(**base)  # type: ignore[arg-type]


def test_a_manager_creates_cohorts_in_parallel_in_one_run_audited(world: World) -> None:
    manager = world.users["manager_a1"]
    first = cohort_create(actor=manager, details=_details(world))
    second = cohort_create(
        actor=manager, details=_details(world, title="Advanced A", level="Advanced")
    )
    assert first.run_id == second.run_id
    assert list(first.trainers.all()) == [world.users["trainer_a1"]]
    assert AuditEvent.objects.filter(action="cohort.created").count() == 2


def test_dates_outside_the_run_are_refused_with_the_field_named(world: World) -> None:
    details = _details(world)
    late = details.run.ends_on + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        cohort_create(actor=world.users["manager_a1"], details=_details(world, ends_on=late))
    assert "ends_on" in refused.value.message_dict
    assert Cohort.objects.count() == 0


def test_a_level_group_not_of_the_programme_is_refused(world: World) -> None:
    with pytest.raises(ValidationError) as refused:
        cohort_create(actor=world.users["manager_a1"], details=_details(world, level="Expert"))
    assert "level" in refused.value.message_dict


def test_trainers_and_coach_must_hold_their_role_at_the_runs_site(world: World) -> None:
    with pytest.raises(ValidationError) as refused:
        cohort_create(
            actor=world.users["manager_a1"],
            details=_details(
                world, trainers=[world.users["officer_a1"]], coach=world.users["trainer_a1"]
            ),
        )
    assert set(refused.value.message_dict) == {"trainers", "coach"}


def test_places_cannot_drop_below_the_learners_in_training(world: World) -> None:
    made = cohort_create(actor=world.users["manager_a1"], details=_details(world, seats=2))
    for person in PersonFactory.create_batch(2, site=world.north):
        Enrolment.objects.create(cohort=made, person=person, joined_on=made.starts_on)
    with pytest.raises(ValidationError) as refused:
        cohort_update(
            actor=world.users["manager_a1"], cohort=made, details=_details(world, seats=1)
        )
    assert "seats" in refused.value.message_dict


def test_the_form_creates_a_cohort_and_shows_errors_inline(world: World) -> None:
    run = current_run(world)
    client = world.client_for("manager_a1")
    url = reverse("training:cohort-create")
    bad = client.post(
        url,
        {
            "run": run.pk,
            "title": "Group A",
            "starts_on": (run.starts_on - dt.timedelta(days=3)).isoformat(),
            "ends_on": run.ends_on.isoformat(),
            "seats": "12",
        },
    )
    assert bad.status_code == 200
    assert "The cohort must start within the run" in bad.text
    good = client.post(
        url,
        {
            "run": run.pk,
            "title": "Group A",
            "starts_on": run.starts_on.isoformat(),
            "ends_on": run.ends_on.isoformat(),
            "seats": "12",
            "trainers": [world.users["trainer_a1"].pk],
        },
    )
    made = Cohort.objects.get()
    assert good.status_code == 302
    assert good["Location"].endswith(f"/cohorts/{made.pk}/")


def test_a_trainer_lists_only_their_own_cohorts(world: World) -> None:
    run = current_run(world)
    theirs = cohort(run, title="Theirs", trainer=world.users["trainer_a1"])
    cohort(run, title="Someone else's")
    assert list(cohorts_listed(user=world.users["trainer_a1"])) == [theirs]
    assert cohorts_listed(user=world.users["coach_a1"]).count() == 2
    page = world.client_for("trainer_a1").get(reverse("training:cohort-list"))
    assert "Theirs" in page.text
    assert "Someone else" not in page.text


def test_the_list_filters_by_running_planned_and_finished(world: World) -> None:
    run = current_run(world)
    running = cohort(run, title="Now")
    planned = cohort(run, title="Later", starts_on=run.ends_on - dt.timedelta(days=5))
    ended = cohort(run, title="Before", ends_on=run.starts_on + dt.timedelta(days=5))
    user = world.users["manager_a1"]
    assert list(cohorts_listed(user=user, state="running")) == [running]
    assert list(cohorts_listed(user=user, state="planned")) == [planned]
    assert list(cohorts_listed(user=user, state="finished")) == [ended]
    assert cohorts_listed(user=user, site_id=world.south.pk).count() == 0


def test_counts_always_add_up_to_the_learners_listed(
    world: World, django_assert_max_num_queries: object
) -> None:
    run = current_run(world)
    made = cohort(run, trainer=world.users["trainer_a1"])
    statuses = ["active", "active", "graduated", "left_early", "transferred"]
    for status, person in zip(
        statuses, PersonFactory.create_batch(5, site=world.north), strict=True
    ):
        Enrolment.objects.create(
            cohort=made,
            person=person,
            joined_on=run.starts_on,
            status=status,
            left_on=None if status == "active" else run.starts_on,
            exit_reason="health" if status == "left_early" else "",
        )
    counts = cohort_counts(cohort=made)
    assert (counts.active, counts.graduated, counts.left_early, counts.transferred) == (2, 1, 1, 1)
    assert counts.total == made.enrolments.count() == 5
    page = world.client_for("trainer_a1").get(
        reverse("training:cohort-detail", kwargs={"cohort_id": made.pk})
    )
    assert page.status_code == 200
    assert page.text.count('href="/training/learners/') == 5


def test_the_cohort_page_takes_the_same_queries_whatever_its_size(
    world: World, django_assert_max_num_queries: object
) -> None:
    run = current_run(world)
    made = cohort(run, seats=60)
    client = world.client_for("manager_a1")
    url = reverse("training:cohort-detail", kwargs={"cohort_id": made.pk})

    def queries_for(count: int) -> int:
        for person in PersonFactory.create_batch(count, site=world.north):
            Enrolment.objects.create(cohort=made, person=person, joined_on=run.starts_on)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    assert queries_for(3) == queries_for(30)
