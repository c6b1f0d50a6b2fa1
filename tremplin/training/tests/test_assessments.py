"""Assessments (part of the programme's structure) and a cohort's results, entered as one grid
by its trainers: parsed in the page's language, checked row by row, saved all or nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import World
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import AuditEvent
from tremplin.network.models import Programme
from tremplin.training.models import Assessment, AssessmentResult, Cohort, Enrolment, Period
from tremplin.training.services import assessments as services
from tremplin.training.tests.factories import CohortFactory, EnrolmentFactory


def _term(programme: Programme) -> Period:
    return Period.objects.get_or_create(programme=programme, title="Term 1", position=1)[0]


def _exam(world: World, **extra: object) -> Assessment:
    values: dict[str, object] = {
        "title": "Term 1 exam",
        "kind": "written_exam",
        "period": _term(world.programme_alpha),
        "module": None,
        "max_score": Decimal(20),
        "pass_mark": Decimal(10),
        "weight": Decimal(2),
    }
    values.update(extra)
    return services.assessment_save(
        actor=world.users["manager_a1"],
        programme=world.programme_alpha,
        **values,  # type: ignore[arg-type]
    )


def _cohort(world: World, learners: int = 2) -> tuple[Cohort, list[Enrolment]]:
    cohort = CohortFactory(run=world.run_north)
    cohort.trainers.add(world.users["trainer_a1"])
    return cohort, [EnrolmentFactory(cohort=cohort) for _ in range(learners)]


def _grid_url(cohort: Cohort, assessment: Assessment) -> str:
    return reverse(
        "training:assessment-results",
        kwargs={"cohort_id": cohort.pk, "assessment_id": assessment.pk},
    )


def test_the_database_refuses_a_pass_mark_above_the_highest_score_and_a_zero_weight(
    world: World,
) -> None:
    period = _term(world.programme_alpha)
    for pass_mark, weight in ((Decimal(21), Decimal(1)), (Decimal(10), Decimal(0))):
        with pytest.raises(IntegrityError), transaction.atomic():
            Assessment.objects.create(
                programme=world.programme_alpha,
                period=period,
                title=f"Exam {pass_mark} {weight}",
                kind="oral",
                max_score=Decimal(20),
                pass_mark=pass_mark,
                weight=weight,
            )
    with pytest.raises(IntegrityError), transaction.atomic():  # neither period nor module
        Assessment.objects.create(
            programme=world.programme_alpha,
            title="Loose",
            kind="oral",
            max_score=Decimal(20),
            pass_mark=Decimal(10),
        )


def test_the_service_names_the_field_of_a_bad_assessment(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        _exam(world, pass_mark=Decimal(25), weight=Decimal(0), period=None)
    assert set(error.value.message_dict) == {"pass_mark", "weight", "period"}


def test_the_form_reads_a_decimal_comma_and_saves_the_assessment(world: World) -> None:
    term = _term(world.programme_alpha)
    client = world.client_for("manager_a1")
    client.cookies["tremplin_language"] = "fr"
    url = reverse("training:assessment-create", kwargs={"programme_id": world.programme_alpha.pk})
    response = client.post(
        url,
        {
            "title": "Oral d'anglais",
            "kind": "oral",
            "period": term.pk,
            "module": "",
            "max_score": "20",
            "pass_mark": "12,5",
            "weight": "0,5",
        },
    )
    assert response.status_code == 302
    assessment = Assessment.objects.get()
    assert (assessment.pass_mark, assessment.weight) == (Decimal("12.5"), Decimal("0.5"))
    assert AuditEvent.objects.filter(action=AuditAction.ASSESSMENT_SAVED).count() == 1
    response = client.post(
        url,
        {
            "title": "X",
            "kind": "oral",
            "period": term.pk,
            "max_score": "2e3",
            "pass_mark": "1",
            "weight": "1",
        },
    )
    assert response.status_code == 200
    assert Assessment.objects.count() == 1


def test_a_trainer_enters_the_grid_in_french_and_the_audit_keeps_the_count(
    world: World,
) -> None:
    assessment = _exam(world)
    cohort, (first, second) = _cohort(world)
    client = world.client_for("trainer_a1")
    client.cookies["tremplin_language"] = "fr"
    assert client.get(_grid_url(cohort, assessment)).status_code == 200
    response = client.post(
        _grid_url(cohort, assessment),
        {f"score_{first.pk}": "12,5", f"score_{second.pk}": " 8.25 "},
    )
    assert response.status_code == 302
    scores = dict(AssessmentResult.objects.values_list("enrolment_id", "score"))
    assert scores == {first.pk: Decimal("12.5"), second.pk: Decimal("8.25")}
    event = AuditEvent.objects.get(action=AuditAction.ASSESSMENT_RESULTS_RECORDED)
    assert event.changes["recorded"]["to"] == 2
    assert "12.5" not in str(event.changes)
    assert "8.25" not in str(event.changes)
    # Cleared: the result goes; unchanged rows count for nothing.
    client.post(
        _grid_url(cohort, assessment), {f"score_{first.pk}": "12,5", f"score_{second.pk}": ""}
    )
    assert list(AssessmentResult.objects.values_list("enrolment_id", flat=True)) == [first.pk]


def test_one_bad_row_is_named_and_nothing_is_saved(world: World) -> None:
    assessment = _exam(world)
    cohort, (first, second) = _cohort(world)
    second.person.legal_given_names, second.person.legal_family_name = "Yonas", "Tekle"
    second.person.save()
    response = world.client_for("trainer_a1").post(
        _grid_url(cohort, assessment), {f"score_{first.pk}": "15", f"score_{second.pk}": "21"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Yonas Tekle: the score must be a number from 0 to 20." in html
    assert "Nothing was saved: 1 row needs correcting." in html
    assert not AssessmentResult.objects.exists()
    with pytest.raises(ValidationError) as error:
        services.assessment_results_record(
            actor=world.users["trainer_a1"],
            cohort=cohort,
            assessment=assessment,
            scores={first.pk: Decimal(15), second.pk: Decimal(-1)},
        )
    assert "Yonas Tekle" in str(error.value)
    assert not AssessmentResult.objects.exists()


def test_a_row_for_someone_outside_the_cohort_is_refused(world: World) -> None:
    assessment = _exam(world)
    cohort, (first, _second) = _cohort(world)
    stranger = EnrolmentFactory(cohort=CohortFactory(run=world.run_north))
    with pytest.raises(ValidationError):
        services.assessment_results_record(
            actor=world.users["trainer_a1"],
            cohort=cohort,
            assessment=assessment,
            scores={first.pk: Decimal(15), stranger.pk: Decimal(12)},
        )
    assert not AssessmentResult.objects.exists()


def test_a_job_coach_reads_the_grid_but_does_not_enter_it(world: World) -> None:
    assessment = _exam(world)
    cohort, (first, _second) = _cohort(world)
    coach = world.client_for("coach_a1")
    page = coach.get(_grid_url(cohort, assessment))
    assert page.status_code == 200
    assert "Save the results" not in page.content.decode()
    assert coach.post(_grid_url(cohort, assessment), {f"score_{first.pk}": "3"}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.assessment_results_record(
            actor=world.users["coach_a1"],
            cohort=cohort,
            assessment=assessment,
            scores={first.pk: Decimal(3)},
        )


def test_an_assessment_of_another_programme_is_not_found_for_the_cohort(world: World) -> None:
    cohort, _learners = _cohort(world)
    period = Period.objects.create(programme=world.programme_beta, title="Y1", position=1)
    foreign = Assessment.objects.create(
        programme=world.programme_beta,
        period=period,
        title="Beta exam",
        kind="oral",
        max_score=Decimal(10),
        pass_mark=Decimal(5),
    )
    response = world.client_for("superuser").get(_grid_url(cohort, foreign))
    assert response.status_code == 404


def test_the_highest_score_cannot_drop_below_a_result_and_a_graded_assessment_stays(
    world: World,
) -> None:
    assessment = _exam(world)
    cohort, (first, _second) = _cohort(world)
    services.assessment_results_record(
        actor=world.users["trainer_a1"],
        cohort=cohort,
        assessment=assessment,
        scores={first.pk: Decimal(18)},
    )
    with pytest.raises(ValidationError) as error:
        _exam(
            world,
            assessment=assessment,
            period=assessment.period,
            max_score=Decimal(10),
            pass_mark=Decimal(5),
        )
    assert "max_score" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.assessment_remove(actor=world.users["manager_a1"], assessment=assessment)
    assert Assessment.objects.filter(pk=assessment.pk).exists()


def _grid_queries(world: World, learners: int) -> int:
    assessment = _exam(world, title=f"Exam {learners}")
    cohort, enrolments = _cohort(world, learners)
    client = world.client_for("trainer_a1")
    client.get(_grid_url(cohort, assessment))
    with CaptureQueriesContext(connection) as get_queries:
        assert client.get(_grid_url(cohort, assessment)).status_code == 200
    data = {f"score_{e.pk}": str(n % 20) for n, e in enumerate(enrolments)}
    with CaptureQueriesContext(connection) as post_queries:
        assert client.post(_grid_url(cohort, assessment), data).status_code == 302
    assert AssessmentResult.objects.filter(assessment=assessment).count() == learners
    return len(get_queries) + len(post_queries)


def test_the_grid_takes_as_many_queries_for_30_learners_as_for_3(world: World) -> None:
    assert _grid_queries(world, 30) == _grid_queries(world, 3)


def test_a_trainer_lists_only_the_cohorts_they_teach(world: World) -> None:
    taught, _learners = _cohort(world)
    other = CohortFactory(run=world.run_north, title="Not mine")
    html = (
        world.client_for("trainer_a1").get(reverse("training:assessment-cohorts")).content.decode()
    )
    assert taught.title in html
    assert other.title not in html
    coach_html = (
        world.client_for("coach_a1").get(reverse("training:assessment-cohorts")).content.decode()
    )
    assert other.title in coach_html
