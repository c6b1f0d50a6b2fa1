"""Competence progress as trainers and coaches see it: the assessment grid (all or nothing,
audited), removing a wrong piece of evidence, a learner's profile, the cohort's heat map
(a fixed number of queries), and the scope (another cohort or site: not found)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from conftest import World
from tests.authorization.training_records import make_cohort
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import AuditEvent
from tremplin.placement.models import Framework
from tremplin.training.forms.progress import cell_name
from tremplin.training.models import CompetenceEvidence, EvidenceSource
from tremplin.training.selectors import progress as selectors
from tremplin.training.tests.progress_setup import Setup, learners_add, setup

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 10, 1)


def evidence(s: Setup, enrolment: Any, competence: Any, level: int, on: dt.date, **kw: Any) -> Any:
    return CompetenceEvidence.objects.create(
        enrolment=enrolment,
        competence=competence,
        level=level,
        source=kw.pop("source", EvidenceSource.TRAINER),
        assessed_on=on,
        **kw,
    )


def test_targets_join_placements_and_modules_keeping_the_highest_level(world: World) -> None:
    setup(world)
    targets = selectors.programme_targets(programme_id=world.programme_alpha.pk)
    assert [(t.competence.code, t.level) for t in targets] == [("1.1", 5), ("2.1", 3), ("3.1", 2)]


def test_a_trainer_records_a_grid_and_it_is_audited_with_the_count(world: World) -> None:
    s = setup(world)
    client = world.client_for("trainer_a1")
    url = reverse("training:cohort-assess", args=[s.cohort.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Foundation 1" in page.content.decode()  # the framework's level names
    response = client.post(
        url,
        {
            cell_name(s.amina.pk, s.c11.pk): "3",
            cell_name(s.amina.pk, s.c21.pk): "",
            cell_name(s.others[0].pk, s.c31.pk): "2",
            "assessed_on": DAY.isoformat(),
            "note": "Exercise: search the web",
        },
    )
    assert response.status_code == 302
    rows = CompetenceEvidence.objects.order_by("level")
    assert [(r.enrolment_id, r.competence.code, r.level, r.source) for r in rows] == [
        (s.others[0].pk, "3.1", 2, "trainer"),
        (s.amina.pk, "1.1", 3, "trainer"),
    ]
    assert rows[0].recorded_by == world.users["trainer_a1"]
    event = AuditEvent.objects.get(action=AuditAction.EVIDENCE_RECORDED)
    assert event.changes["count"] == 2
    assert event.subject_id == s.cohort.pk


@pytest.mark.parametrize("bad", ["9", "abc", "٣", "0"])
def test_a_bad_cell_saves_nothing_and_names_the_learner_and_competence(
    world: World, bad: str
) -> None:
    s = setup(world)
    response = world.client_for("trainer_a1").post(
        reverse("training:cohort-assess", args=[s.cohort.pk]),
        {
            cell_name(s.amina.pk, s.c11.pk): "3",
            cell_name(s.others[0].pk, s.c21.pk): bad,
            "assessed_on": DAY.isoformat(),
        },
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Nothing was saved" in text
    assert str(s.others[0].person) in text
    assert "2.1" in text
    assert not CompetenceEvidence.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.EVIDENCE_RECORDED).exists()


def test_a_level_the_framework_does_not_have_is_refused(world: World) -> None:
    s = setup(world)
    framework = Framework.objects.get(code="digcomp-2.2")
    framework.levels = framework.levels[:4]  # a framework of four levels
    framework.save()
    response = world.client_for("trainer_a1").post(
        reverse("training:cohort-assess", args=[s.cohort.pk]),
        {cell_name(s.amina.pk, s.c11.pk): "5", "assessed_on": DAY.isoformat()},
    )
    assert "level 5 is not a level of the framework" in response.content.decode()
    assert not CompetenceEvidence.objects.exists()


def test_a_future_date_or_an_empty_grid_is_refused(world: World) -> None:
    s = setup(world)
    client = world.client_for("trainer_a1")
    url = reverse("training:cohort-assess", args=[s.cohort.pk])
    future = client.post(url, {cell_name(s.amina.pk, s.c11.pk): "3", "assessed_on": "2099-01-01"})
    assert "The date of the assessment is in the future." in future.content.decode()
    empty = client.post(url, {"assessed_on": DAY.isoformat()})
    assert "Choose a level for at least one learner." in empty.content.decode()
    assert not CompetenceEvidence.objects.exists()


def test_a_coach_reads_the_heat_map_but_may_not_assess(world: World) -> None:
    s = setup(world)
    client = world.client_for("coach_a1")
    assert client.get(reverse("training:cohort-heatmap", args=[s.cohort.pk])).status_code == 200
    response = client.post(
        reverse("training:cohort-assess", args=[s.cohort.pk]),
        {cell_name(s.amina.pk, s.c11.pk): "3", "assessed_on": DAY.isoformat()},
    )
    assert response.status_code == 403
    assert not CompetenceEvidence.objects.exists()


def test_a_trainer_does_not_see_a_cohort_they_do_not_teach(world: World) -> None:
    setup(world)
    other = make_cohort(world, "north", taught=False)
    client = world.client_for("trainer_a1")
    for name in ("training:cohort-heatmap", "training:cohort-assess", "training:project-list"):
        assert client.get(reverse(name, args=[other.pk])).status_code == 404


def test_the_profile_shows_the_latest_level_its_source_and_the_trend(world: World) -> None:
    s = setup(world)
    evidence(s, s.amina, s.c11, 2, dt.date(2026, 9, 10))
    evidence(s, s.amina, s.c11, 4, dt.date(2026, 10, 10), source=EvidenceSource.PROJECT)
    evidence(s, s.amina, s.c21, 3, dt.date(2026, 9, 20))
    evidence(s, s.others[0], s.c31, 1, dt.date(2026, 9, 20))  # another learner's
    rows = {r.target.competence.code: r for r in selectors.learner_profile(enrolment=s.amina)}
    assert rows["1.1"].latest is not None
    assert rows["1.1"].latest.level == 4
    assert rows["1.1"].latest.source == "project"
    assert rows["1.1"].trend == "up"
    assert not rows["1.1"].reached  # aimed at 5
    assert rows["2.1"].reached
    assert rows["2.1"].trend == "new"
    assert rows["3.1"].latest is None
    assert rows["3.1"].trend == ""
    page = world.client_for("trainer_a1").get(
        reverse("training:enrolment-progress", args=[s.amina.pk])
    )
    text = page.content.decode()
    assert "Project evaluation" in text
    assert "Up" in text
    assert "First evidence" in text


def test_removing_wrong_evidence_needs_a_reason_and_is_audited(world: World) -> None:
    s = setup(world)
    wrong = evidence(s, s.amina, s.c11, 6, DAY)
    client = world.client_for("trainer_a1")
    url = reverse("training:evidence-remove", args=[wrong.pk])
    client.post(url, {"reason": " "})
    assert CompetenceEvidence.objects.filter(pk=wrong.pk).exists()
    response = client.post(url, {"reason": "Typed 6 instead of 3"})
    assert response.status_code == 302
    assert not CompetenceEvidence.objects.filter(pk=wrong.pk).exists()
    event = AuditEvent.objects.get(action=AuditAction.EVIDENCE_REMOVED)
    assert event.changes["level"] == 6
    assert event.note == "Typed 6 instead of 3"
    assert event.subject_id == s.amina.pk


def test_evidence_of_another_site_is_not_found(world: World) -> None:
    s = setup(world)
    row = evidence(s, s.amina, s.c11, 3, DAY)
    response = world.client_for("manager_b1").post(
        reverse("training:evidence-remove", args=[row.pk]), {"reason": "x"}
    )
    assert response.status_code == 404
    assert CompetenceEvidence.objects.filter(pk=row.pk).exists()


def test_the_heat_map_shows_number_colour_and_legend(world: World) -> None:
    s = setup(world)
    evidence(s, s.amina, s.c11, 5, DAY)  # reached
    evidence(s, s.others[0], s.c11, 3, DAY)  # at least half of 5
    evidence(s, s.others[1], s.c11, 1, DAY)  # below half
    heat = selectors.cohort_heatmap(cohort=s.cohort)
    by_code = {row.target.competence.code: row for row in heat.rows}
    bands = {e.pk: c.band for e, c in zip(heat.learners, by_code["1.1"].cells, strict=True)}
    assert bands == {s.amina.pk: "reached", s.others[0].pk: "close", s.others[1].pk: "far"}
    assert by_code["1.1"].reached == 1
    assert {c.band for c in by_code["2.1"].cells} == {"none"}
    text = (
        world.client_for("coach_a1")
        .get(reverse("training:cohort-heatmap", args=[s.cohort.pk]))
        .content.decode()
    )
    assert 'class="text-bg-success">✓ 5' in text
    assert "Target level reached" in text
    assert "No evidence yet" in text
    assert 'class="table-responsive position-relative"' in text  # scrolls inside the card


def _queries_for(world: World, s: Setup, django_assert_max_num_queries: Any, most: int) -> None:
    for learner in s.learners:
        evidence(s, learner, s.c11, 2, DAY)
        evidence(s, learner, s.c21, 3, DAY)
    with django_assert_max_num_queries(most):
        heat = selectors.cohort_heatmap(cohort=s.cohort)
    assert len(heat.learners) == len(s.learners)
    with django_assert_max_num_queries(3):
        selectors.learner_profile(enrolment=s.learners[-1])


@pytest.mark.parametrize("size", [3, 40])
def test_the_heat_map_and_profile_take_a_fixed_number_of_queries(
    world: World, django_assert_max_num_queries: Any, size: int
) -> None:
    s = setup(world, others=size - 1)
    s.cohort = type(s.cohort).objects.select_related("run").get(pk=s.cohort.pk)
    s.amina.cohort = s.cohort
    for learner in s.others:
        learner.cohort = s.cohort
    _queries_for(world, s, django_assert_max_num_queries, 4)


def test_the_heat_map_page_takes_the_same_queries_for_5_and_40_learners(
    world: World, django_assert_max_num_queries: Any
) -> None:
    s = setup(world, others=4)
    client = world.client_for("coach_a1")
    url = reverse("training:cohort-heatmap", args=[s.cohort.pk])
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(url)
    learners_add(s.cohort, 35)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_a_persons_page_links_to_their_progress_for_who_sees_the_cohort(world: World) -> None:
    s = setup(world)
    url = reverse("people:person-detail", args=[world.amina.pk])
    progress = reverse("training:enrolment-progress", args=[s.amina.pk])
    assert progress in world.client_for("trainer_a1").get(url).content.decode()
    s.cohort.trainers.clear()  # no longer their cohort: the person's page has no link
    assert progress not in world.client_for("trainer_a1").get(url).content.decode()
    assert progress in world.client_for("manager_a1").get(url).content.decode()
