"""Projects as a trainer uses them: a project commissioned by a local business with its
rubric, given to a learner or a group, evaluated — which writes evidence for each learner —
with every bad input named and nothing saved half-way."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from conftest import World
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import AuditEvent
from tremplin.training.models import (
    CompetenceEvidence,
    Project,
    ProjectAssignment,
    ProjectEvaluation,
)
from tremplin.training.tests.progress_setup import Setup, setup

pytestmark = pytest.mark.django_db


def project_post(s: Setup, **changes: Any) -> dict[str, Any]:
    data = {
        "title": "Website for the bakery",
        "brief": "A one-page site with opening hours and a map.",
        "commissioned_by": "Boulangerie Martin",
        "commissioner_contact": "Mme Martin, 03 20 00 00 00",
        "starts_on": "2026-09-14",
        "due_on": "2026-10-09",
        "c0-competence": str(s.c11.pk),
        "c0-weight": "2",
        "c0-descriptors": "2: finds the bakery's address online\n4: compares two map services",
        "c1-competence": str(s.c31.pk),
        "c1-weight": "1",
        "c1-descriptors": "",
    }
    data.update(changes)
    return data


def make_project(world: World, s: Setup) -> Project:
    response = world.client_for("trainer_a1").post(
        reverse("training:project-new", args=[s.cohort.pk]), project_post(s)
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    return Project.objects.get()


def test_a_trainer_creates_a_project_with_its_rubric(world: World) -> None:
    s = setup(world)
    project = make_project(world, s)
    assert project.commissioned_by == "Boulangerie Martin"
    criteria = list(project.criteria.order_by("position"))
    assert [(c.competence.code, c.weight) for c in criteria] == [("1.1", 2), ("3.1", 1)]
    assert criteria[0].descriptors == {
        "2": "finds the bakery's address online",
        "4": "compares two map services",
    }
    event = AuditEvent.objects.get(action=AuditAction.PROJECT_SAVED)
    assert event.changes["criteria"] == ["1.1", "3.1"]
    listing = world.client_for("coach_a1").get(reverse("training:project-list", args=[s.cohort.pk]))
    assert "Website for the bakery" in listing.content.decode()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"due_on": "2026-09-01"}, "The project is due before it starts."),
        ({"c0-descriptors": "good work"}, "Line 1: write the level"),
        ({"c0-descriptors": "9: expert"}, "level 9 is not a level of the framework"),
        ({"c1-competence": ""}, None),  # one criterion is enough
        (
            {"c0-competence": "", "c0-descriptors": "", "c1-competence": ""},
            "Give the rubric at least one criterion.",
        ),
        ({"c0-competence": ""}, "Choose the competence this row evaluates."),
        ({"c1-competence": "999999"}, "Select a valid choice"),
        ({"c0-weight": "11"}, "less than or equal to 10"),
        ({"title": ""}, "This field is required."),
    ],
)
def test_bad_project_input_is_named_and_nothing_is_saved(
    world: World, changes: dict[str, str], message: str | None
) -> None:
    s = setup(world)
    response = world.client_for("trainer_a1").post(
        reverse("training:project-new", args=[s.cohort.pk]), project_post(s, **changes)
    )
    if message is None:
        assert response.status_code == 302
        return
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Project.objects.exists()


def test_the_same_competence_twice_and_a_title_used_twice_are_refused(world: World) -> None:
    s = setup(world)
    client = world.client_for("trainer_a1")
    url = reverse("training:project-new", args=[s.cohort.pk])
    twice = client.post(url, project_post(s, **{"c1-competence": str(s.c11.pk)}))
    assert "Criterion 2: 1.1 is already in the rubric." in twice.content.decode()
    make_project(world, s)
    again = client.post(url, project_post(s))
    assert "This cohort already has a project with this title." in again.content.decode()
    assert Project.objects.count() == 1


def test_editing_keeps_evaluated_criteria_and_audits_the_change(world: World) -> None:
    s = setup(world)
    project = make_project(world, s)
    response = world.client_for("trainer_a1").post(
        reverse("training:project-edit", args=[project.pk]),
        project_post(s, title="Bakery website", **{"c1-competence": ""}),
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.title == "Bakery website"
    assert [c.competence.code for c in project.criteria.all()] == ["1.1"]
    change = AuditEvent.objects.filter(action=AuditAction.PROJECT_SAVED).order_by("pk").last()
    assert change is not None
    assert change.changes["title"] == {"from": "Website for the bakery", "to": "Bakery website"}


def test_a_project_goes_to_one_learner_or_a_named_group(world: World) -> None:
    s = setup(world)
    project = make_project(world, s)
    client = world.client_for("trainer_a1")
    url = reverse("training:project-detail", args=[project.pk])
    unnamed = client.post(url, {"learners": [s.amina.pk, s.others[0].pk]})
    assert "Name the group: several learners are chosen." in unnamed.content.decode()
    assert client.post(url, {"learners": [s.others[1].pk]}).status_code == 302
    group = client.post(
        url, {"learners": [s.amina.pk, s.others[0].pk], "group_name": "Team Croissant"}
    )
    assert group.status_code == 302
    same_name = client.post(url, {"learners": [s.others[1].pk], "group_name": "Team Croissant"})
    assert "A group of this project already has this name." in same_name.content.decode()
    assert ProjectAssignment.objects.count() == 2
    team = ProjectAssignment.objects.get(group_name="Team Croissant")
    assert set(team.members.values_list("pk", flat=True)) == {s.amina.pk, s.others[0].pk}
    assert AuditEvent.objects.filter(action=AuditAction.PROJECT_ASSIGNED).count() == 2


def test_a_learner_of_another_cohort_cannot_be_given_the_project(world: World) -> None:
    from tests.authorization.training_records import make_cohort

    s = setup(world)
    project = make_project(world, s)
    south = make_cohort(world, "south")
    outsider = south.enrolments.get()
    response = world.client_for("trainer_a1").post(
        reverse("training:project-detail", args=[project.pk]), {"learners": [outsider.pk]}
    )
    assert "Select a valid choice" in response.content.decode()
    assert not ProjectAssignment.objects.exists()


def _team(world: World, s: Setup, project: Project) -> ProjectAssignment:
    world.client_for("trainer_a1").post(
        reverse("training:project-detail", args=[project.pk]),
        {"learners": [s.amina.pk, s.others[0].pk], "group_name": "Team Croissant"},
    )
    return ProjectAssignment.objects.get()


def test_an_evaluation_writes_evidence_for_each_learner_and_again_replaces_it(
    world: World,
) -> None:
    s = setup(world)
    project = make_project(world, s)
    team = _team(world, s, project)
    c11, c31 = project.criteria.order_by("position")
    client = world.client_for("trainer_a1")
    url = reverse("training:assignment-evaluate", args=[team.pk])
    assert "compares two map services" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            f"level-{c11.pk}": "4",
            f"comment-{c11.pk}": "Good map comparison",
            f"level-{c31.pk}": "",
            "evaluated_on": "2026-10-09",
        },
    )
    assert response.status_code == 302
    evaluation = ProjectEvaluation.objects.get()
    rows = CompetenceEvidence.objects.filter(source="project")
    assert {(r.enrolment_id, r.competence.code, r.level) for r in rows} == {
        (s.amina.pk, "1.1", 4),
        (s.others[0].pk, "1.1", 4),
    }
    assert {r.source_ref for r in rows} == {f"project_evaluation:{evaluation.pk}"}
    client.post(url, {f"level-{c11.pk}": "5", "evaluated_on": "2026-10-10"})
    rows = CompetenceEvidence.objects.filter(source="project")
    assert rows.count() == 2
    assert {r.level for r in rows} == {5}
    assert AuditEvent.objects.filter(action=AuditAction.PROJECT_EVALUATED).count() == 2
    detail = client.get(reverse("training:project-detail", args=[project.pk])).content.decode()
    assert "Weighted level 5" in detail


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"level-C": "x"}, "1.1: choose a level from the list."),
        ({"level-C": "3", "evaluated_on": "2099-01-01"}, "the date is in the future"),
        ({"level-C": "3", "evaluated_on": "2026-09-01"}, "before the project starts"),
        ({}, "Choose a level for at least one criterion."),
    ],
)
def test_bad_evaluations_save_nothing(world: World, data: dict[str, str], message: str) -> None:
    s = setup(world)
    project = make_project(world, s)
    team = _team(world, s, project)
    criterion = project.criteria.order_by("position").first()
    assert criterion is not None
    posted = {k.replace("C", str(criterion.pk)): v for k, v in data.items()}
    posted.setdefault("evaluated_on", "2026-10-09")
    response = world.client_for("trainer_a1").post(
        reverse("training:assignment-evaluate", args=[team.pk]), posted
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ProjectEvaluation.objects.exists()
    assert not CompetenceEvidence.objects.exists()


def test_a_coach_reads_projects_but_does_not_change_them(world: World) -> None:
    s = setup(world)
    project = make_project(world, s)
    coach = world.client_for("coach_a1")
    assert coach.get(reverse("training:project-detail", args=[project.pk])).status_code == 200
    assert coach.get(reverse("training:project-edit", args=[project.pk])).status_code == 403
    refused = coach.post(
        reverse("training:project-detail", args=[project.pk]), {"learners": [s.amina.pk]}
    )
    assert refused.status_code == 403
    beta = world.client_for("manager_b1")
    assert beta.get(reverse("training:project-detail", args=[project.pk])).status_code == 404
    assert dt.date(2026, 9, 14) == project.starts_on
