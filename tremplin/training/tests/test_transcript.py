"""A learner's transcript: per period the modules and hours, each assessment's score and
whether it passed, weighted averages per period and overall, the certification aimed at; as
a page and as a PDF in the learner's language."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from conftest import World
from tests.authorization.records import call_at
from tremplin.selection.models import Application, Call
from tremplin.training.models import (
    Assessment,
    AssessmentResult,
    Enrolment,
    Module,
    ModuleKind,
    Period,
)
from tremplin.training.selectors.transcripts import learner_language, transcript
from tremplin.training.tests.factories import CohortFactory, EnrolmentFactory


def _programme_with_results(world: World) -> Enrolment:
    programme = world.programme_alpha
    programme.certification = "PN certificate"
    programme.save()
    term1 = Period.objects.create(programme=programme, title="Term 1", position=1, weeks=12)
    term2 = Period.objects.create(programme=programme, title="Term 2", position=2, weeks=12)
    web = Module.objects.create(
        programme=programme,
        period=term1,
        title="Web",
        kind=ModuleKind.DIGITAL,
        hours=60,
        position=1,
    )
    Module.objects.create(
        programme=programme,
        period=term1,
        title="English",
        kind=ModuleKind.LANGUAGE,
        hours=40,
        position=2,
    )
    Module.objects.create(
        programme=programme,
        period=term2,
        title="Networks",
        kind=ModuleKind.DIGITAL,
        hours=50,
        position=3,
    )

    def exam(
        title: str, period: Period, module: Module | None, top: int, weight: str
    ) -> Assessment:
        return Assessment.objects.create(
            programme=programme,
            period=period,
            module=module,
            title=title,
            kind="written_exam",
            max_score=Decimal(top),
            pass_mark=Decimal(top) / 2,
            weight=Decimal(weight),
        )

    practical = exam("Web practical", term1, web, 20, "1")
    written = exam("Term 1 exam", term1, None, 100, "3")
    exam("Term 2 exam", term2, None, 100, "1")  # not taken yet
    cohort = CohortFactory(run=world.run_north, title="PN 2026")
    cohort.trainers.add(world.users["trainer_a1"])
    enrolment = EnrolmentFactory(cohort=cohort, person=world.amina)
    AssessmentResult.objects.create(assessment=practical, enrolment=enrolment, score=Decimal(16))
    AssessmentResult.objects.create(assessment=written, enrolment=enrolment, score=Decimal(40))
    return enrolment


def test_the_weighted_averages_count_each_score_as_a_share_of_its_highest(world: World) -> None:
    enrolment = _programme_with_results(world)
    result = transcript(enrolment=enrolment)
    first, second = result.periods
    assert (first.title, first.hours, second.hours, result.hours) == ("Term 1", 100, 50, 150)
    # Web practical 16/20 = 80 % (weight 1), Term 1 exam 40/100 = 40 % (weight 3): 50 %.
    assert first.average == Decimal("50.0")
    assert second.average is None
    assert result.average == Decimal("50.0")
    assert (result.recorded, result.assessment_count) == (2, 3)
    passed = {s.assessment.title: s.passed for p in result.periods for s in p.all_scores}
    assert passed == {"Web practical": True, "Term 1 exam": False, "Term 2 exam": None}


def test_the_page_shows_scores_results_and_the_certification(world: World) -> None:
    enrolment = _programme_with_results(world)
    page = world.client_for("trainer_a1").get(
        reverse("training:enrolment-transcript", kwargs={"enrolment_id": enrolment.pk})
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "16 / 20" in html
    assert "40 / 100" in html
    assert "Weighted average: 50.0 %" in html
    assert "Certification aimed at: PN certificate" in html
    assert "2 of 3 assessments recorded" in html


def test_another_cohorts_learner_is_not_found_for_a_trainer(world: World) -> None:
    enrolment = _programme_with_results(world)
    enrolment.cohort.trainers.clear()
    response = world.client_for("trainer_a1").get(
        reverse("training:enrolment-transcript", kwargs={"enrolment_id": enrolment.pk})
    )
    assert response.status_code == 404


def test_the_pdf_is_in_the_learners_language_right_to_left_in_arabic(world: World) -> None:
    enrolment = _programme_with_results(world)
    assert learner_language(enrolment) == world.north.default_language
    enrolment.application = Application.objects.create(
        call=Call.objects.get(pk=call_at("north")(world)["call_id"]),
        person=world.amina,
        status="submitted",
        source="staff",
        language="ar",
    )
    enrolment.save()
    assert learner_language(enrolment) == "ar"  # the language they applied in
    response = world.client_for("manager_a1").get(
        reverse("training:enrolment-transcript-pdf", kwargs={"enrolment_id": enrolment.pk})
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    html = _render_pdf_html(enrolment)
    assert 'dir="rtl"' in html
    assert 'lang="ar"' in html
    assert "Weighted average" not in html  # in Arabic


def _render_pdf_html(enrolment: Enrolment) -> str:
    from django.template.loader import render_to_string
    from django.utils import timezone, translation

    with translation.override(learner_language(enrolment)):
        return render_to_string(
            "training/transcript_pdf.html",
            {"transcript": transcript(enrolment=enrolment), "printed_on": timezone.localdate()},
        )
