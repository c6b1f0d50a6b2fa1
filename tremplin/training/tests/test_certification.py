"""External certification sessions and their results grid: all or nothing, audited, and a
passed Pix result becomes DigComp evidence through the crosswalk."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from conftest import World
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import AuditEvent
from tremplin.placement.models import CrosswalkLink, Framework
from tremplin.training.models import (
    CertificationKind,
    CertificationResult,
    CertificationSession,
    CompetenceEvidence,
    EvidenceSource,
)
from tremplin.training.services import certification as services
from tremplin.training.tests.factories import CohortFactory, EnrolmentFactory

HELD_ON = dt.date(2026, 10, 10)


def pix_data(**changes: object) -> services.SessionData:
    values: dict[str, object] = {
        "kind": CertificationKind.PIX,
        "name": "",
        "awarding_body": "Pix",
        "held_on": HELD_ON,
        "reference": "PIX-2026-77",
        "framework": None,
        "max_score": 1024,
        "pass_level": None,
    }
    values.update(changes)
    return services.SessionData(**values)  # type: ignore[arg-type]


@pytest.fixture
def cohort(world: World):  # type: ignore[no-untyped-def]
    cohort = CohortFactory(run=world.run_north, title="Basics A")
    cohort.trainers.add(world.users["trainer_a1"])
    return cohort


def test_pix_session_reads_the_shipped_pix_framework(world: World, cohort) -> None:  # type: ignore[no-untyped-def]
    session = services.certification_session_save(
        actor=world.users["manager_a1"], site=world.north, cohorts=[cohort], data=pix_data()
    )
    assert session.framework == Framework.objects.get(code="pix", organisation=None)
    assert AuditEvent.objects.filter(
        action=AuditAction.CERTIFICATION_SESSION_SAVED, subject_id=session.pk
    ).exists()


def test_a_national_degree_needs_its_name_and_cohorts_of_the_site(world: World, cohort) -> None:  # type: ignore[no-untyped-def]
    south_cohort = CohortFactory(run=world.run_south)
    with pytest.raises(ValidationError) as caught:
        services.certification_session_save(
            actor=world.users["admin_a"],
            site=world.north,
            cohorts=[south_cohort],
            data=pix_data(kind=CertificationKind.NATIONAL_DEGREE, framework=None, max_score=None),
        )
    assert set(caught.value.message_dict) == {"name", "cohorts"}
    assert not CertificationSession.objects.exists()


def test_trainer_may_not_create_a_session(world: World, cohort) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        services.certification_session_save(
            actor=world.users["trainer_a1"], site=world.north, cohorts=[cohort], data=pix_data()
        )


def test_passed_pix_result_becomes_digcomp_evidence_through_the_crosswalk(
    world: World, cohort
) -> None:  # type: ignore[no-untyped-def]
    manager = world.users["manager_a1"]
    awa = EnrolmentFactory(cohort=cohort, person__legal_given_names="Awa")
    moussa = EnrolmentFactory(cohort=cohort, person__legal_given_names="Moussa")
    session = services.certification_session_save(
        actor=manager, site=world.north, cohorts=[cohort], data=pix_data()
    )
    changed = services.certification_results_record(
        actor=manager,
        session=session,
        rows=[
            services.ResultRow(awa, "passed", score=512, level=4, reference="P-1"),
            services.ResultRow(moussa, "failed", score=120),
        ],
    )
    assert changed == 2
    result = CertificationResult.objects.get(enrolment=awa)
    evidence = CompetenceEvidence.objects.filter(enrolment=awa)
    digcomp_targets = set(
        CrosswalkLink.objects.filter(source__framework__code="pix").values_list(
            "target_id", flat=True
        )
    )
    assert set(evidence.values_list("competence_id", flat=True)) == digcomp_targets
    assert {e.competence.framework.code for e in evidence} == {"digcomp-2.2"}
    assert set(evidence.values_list("level", "source", "source_ref")) == {
        (4, EvidenceSource.CERTIFICATION, f"certification:{result.pk}")
    }
    assert not CompetenceEvidence.objects.filter(enrolment=moussa).exists()
    assert AuditEvent.objects.filter(action=AuditAction.CERTIFICATION_RESULT_RECORDED).count() == 2

    # Recorded again as failed: the evidence goes.
    services.certification_results_record(
        actor=manager, session=session, rows=[services.ResultRow(awa, "failed", score=300)]
    )
    assert not CompetenceEvidence.objects.filter(enrolment=awa).exists()


def test_grid_is_all_or_nothing_and_names_the_row(world: World, cohort) -> None:  # type: ignore[no-untyped-def]
    manager = world.users["manager_a1"]
    awa = EnrolmentFactory(
        cohort=cohort, person__legal_given_names="Awa", person__legal_family_name="Diop"
    )
    other = EnrolmentFactory(cohort=cohort)
    session = services.certification_session_save(
        actor=manager, site=world.north, cohorts=[cohort], data=pix_data()
    )
    with pytest.raises(ValidationError) as caught:
        services.certification_results_record(
            actor=manager,
            session=session,
            rows=[
                services.ResultRow(other, "passed", score=600, level=3),
                services.ResultRow(awa, "passed", score=2000),
            ],
        )
    assert any("Awa Diop" in m and "1024" in m for m in caught.value.messages)
    assert not CertificationResult.objects.exists()


def test_learner_of_another_cohort_is_refused(world: World, cohort) -> None:  # type: ignore[no-untyped-def]
    manager = world.users["manager_a1"]
    stranger = EnrolmentFactory(cohort=CohortFactory(run=world.run_north))
    session = services.certification_session_save(
        actor=manager, site=world.north, cohorts=[cohort], data=pix_data()
    )
    with pytest.raises(ValidationError):
        services.certification_results_record(
            actor=manager, session=session, rows=[services.ResultRow(stranger, "passed")]
        )


def test_results_grid_page_saves_and_shows_errors(
    world: World, cohort, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    manager = world.users["manager_a1"]
    learners = [EnrolmentFactory(cohort=cohort) for _ in range(5)]
    session = services.certification_session_save(
        actor=manager, site=world.north, cohorts=[cohort], data=pix_data()
    )
    client = world.client_for("manager_a1")
    url = reverse("training:certification-results", kwargs={"session_id": session.pk})
    with django_assert_max_num_queries(25):
        page = client.get(url)
    assert page.status_code == 200
    post = {f"outcome-{e.pk}": "passed" for e in learners}
    post[f"level-{learners[0].pk}"] = "9"  # Pix has 8 levels
    page = client.post(url, post)
    assert page.status_code == 200
    assert not CertificationResult.objects.exists()
    post[f"level-{learners[0].pk}"] = "5"
    assert client.post(url, post).status_code == 302
    assert CertificationResult.objects.filter(outcome="passed").count() == 5


def test_trainer_sees_the_grid_but_may_not_record(world: World, cohort) -> None:  # type: ignore[no-untyped-def]
    EnrolmentFactory(cohort=cohort)
    session = services.certification_session_save(
        actor=world.users["manager_a1"], site=world.north, cohorts=[cohort], data=pix_data()
    )
    client = world.client_for("trainer_a1")
    url = reverse("training:certification-results", kwargs={"session_id": session.pk})
    assert client.get(url).status_code == 200
    assert client.post(url, {}).status_code == 403
    assert world.client_for("manager_b1").get(url).status_code == 404


def test_editing_a_session_moves_the_evidence_and_keeps_cohorts_with_results(
    world: World, cohort
) -> None:  # type: ignore[no-untyped-def]
    manager = world.users["manager_a1"]
    awa = EnrolmentFactory(cohort=cohort)
    session = services.certification_session_save(
        actor=manager,
        site=world.north,
        cohorts=[cohort],
        data=pix_data(kind=CertificationKind.PCIE_ICDL, max_score=None),
    )
    services.certification_results_record(
        actor=manager, session=session, rows=[services.ResultRow(awa, "passed")]
    )
    assert not CompetenceEvidence.objects.exists()  # no level: no evidence yet
    client = world.client_for("manager_a1")
    url = reverse("training:certification-session-edit", kwargs={"session_id": session.pk})
    form = {
        "site": world.north.pk,
        "cohorts": [cohort.pk],
        "kind": "pcie_icdl",
        "awarding_body": "ICDL France",
        "held_on": "2026-10-10",
        "framework": session.framework_id,
        "pass_level": "3",
    }
    assert client.post(url, form).status_code == 302
    levels = set(CompetenceEvidence.objects.filter(enrolment=awa).values_list("level", flat=True))
    assert levels == {3}
    other = CohortFactory(run=world.run_north)
    page = client.post(url, {**form, "cohorts": [other.pk]})
    assert "has results in this session" in page.content.decode()
    session.refresh_from_db()
    assert list(session.cohorts.all()) == [cohort]
