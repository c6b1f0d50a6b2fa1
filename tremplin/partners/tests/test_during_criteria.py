"""A programme's evaluation criteria: managers choose the competences (among the programme's
targets) and write the soft skills in each language; the tutor then rates those, in their
language, instead of the default soft skills."""

from __future__ import annotations

from django.urls import reverse

from conftest import World
from tremplin.core.audit import audit_events_for
from tremplin.core.audit_actions import AuditAction
from tremplin.partners.models import CriterionKind, EvaluationCriterion
from tremplin.partners.selectors.follow_up import criteria_for
from tremplin.placement.models import ProgrammeTarget
from tremplin.training.tests.progress_setup import digcomp


def _url(world: World) -> str:
    return reverse(
        "partners:evaluation-criteria", kwargs={"programme_id": world.programme_alpha.pk}
    )


def test_a_manager_sets_competences_and_soft_skills_in_three_languages(world: World) -> None:
    c11 = digcomp("1.1")
    ProgrammeTarget.objects.create(programme=world.programme_alpha, competence=c11, level=4)
    response = world.client_for("manager_a1").post(
        _url(world),
        {
            "competences": [c11.pk],
            "soft_en": "Care with splices\nCustomer manners",
            "soft_fr": "Soin des soudures\nSavoir-être client",
            "soft_ar": "العناية باللحام\nالتعامل مع الزبائن",  # noqa: RUF001 (Arabic)
        },
    )
    assert response.status_code == 302
    kinds = list(EvaluationCriterion.objects.values_list("kind", flat=True))
    assert kinds == [CriterionKind.COMPETENCE, CriterionKind.SOFT_SKILL, CriterionKind.SOFT_SKILL]
    labels = [c.label for c in criteria_for(world.programme_alpha, "fr")]
    assert labels[1:] == ["Soin des soudures", "Savoir-être client"]
    assert labels[0]  # the competence's name in French
    assert AuditAction.EVALUATION_CRITERIA_SAVED in {
        e.action for e in audit_events_for(world.programme_alpha)
    }


def test_lines_that_do_not_match_across_languages_are_refused(world: World) -> None:
    response = world.client_for("manager_a1").post(
        _url(world), {"soft_en": "One\nTwo", "soft_fr": "Un"}
    )
    assert response.status_code == 400
    assert "as many lines" in response.content.decode()
    assert not EvaluationCriterion.objects.exists()


def test_a_competence_the_programme_does_not_aim_at_is_refused(world: World) -> None:
    response = world.client_for("manager_a1").post(
        _url(world), {"competences": [digcomp("2.1").pk]}
    )
    assert response.status_code == 400
    assert not EvaluationCriterion.objects.exists()


def test_a_job_coach_cannot_change_the_criteria(world: World) -> None:
    assert world.client_for("coach_a1").get(_url(world)).status_code == 403
    assert world.client_for("manager_b1").get(_url(world)).status_code == 404
