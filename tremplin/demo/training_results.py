"""The demo's training results, on top of demo/training.py's cohorts and attendance: the
competences the modules aim at, trainers' assessments, term exams (PN), a project for a
local business (Simplon), external certifications and the programme's certificates for the
finished cohorts, end-of-course surveys, and the early-warning check with a coach's call."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from tremplin.core.models import User
from tremplin.network.models import Organisation, Role, RoleAssignment
from tremplin.placement.models import Competence
from tremplin.training.models import (
    Assessment,
    AssessmentKind,
    AssessmentResult,
    Cohort,
    CompetenceEvidence,
    Enrolment,
    EvidenceSource,
    ModuleCompetence,
    ModuleKind,
)
from tremplin.training.models.certification import (
    CertificationKind,
    CertificationOutcome,
    CertificationResult,
    CertificationSession,
)
from tremplin.training.models.projects import (
    Project,
    ProjectAssignment,
    ProjectEvaluation,
    ProjectRubricCriterion,
)
from tremplin.training.models.surveys import SatisfactionSurvey, SurveyResponse
from tremplin.training.services.alert_checks import alerts_check
from tremplin.training.services.alerts import alert_action_record
from tremplin.training.services.certificates import certificate_issue

# The DigComp 2.2 competences each kind of module works on, and the level it aims at.
AIMS = {
    ModuleKind.DIGITAL: [("1.1", 4), ("2.1", 4), ("3.1", 3), ("4.1", 3)],
    ModuleKind.REFRESHER: [("1.1", 2), ("2.1", 2)],
    ModuleKind.TRADE_PRACTICE: [("5.1", 4)],
    ModuleKind.LANGUAGE: [("2.1", 3)],
}


def _digcomp() -> dict[str, Competence]:
    return {
        c.code: c
        for c in Competence.objects.filter(
            framework__code="digcomp-2.2", framework__organisation__isnull=True
        )
    }


def organisation_admin(organisation: Organisation) -> User:
    """The organisation's network admin, who acts for the demo."""
    assignment = (
        RoleAssignment.objects.filter(organisation=organisation, role=Role.NETWORK_ADMIN)
        .select_related("user")
        .first()
    )
    assert assignment is not None  # the demo gives every organisation its admin
    return assignment.user


def aims_load(organisation: Organisation) -> None:
    competences = _digcomp()
    rows = []
    for programme in organisation.programmes.all():
        for module in programme.modules.all():
            for code, level in AIMS.get(ModuleKind(module.kind), []):
                if code in competences:
                    rows.append(
                        ModuleCompetence(module=module, competence=competences[code], level=level)
                    )
    ModuleCompetence.objects.bulk_create(rows, ignore_conflicts=True)


def assessments_by_trainers_load(organisation: Organisation, *, rng: random.Random) -> int:
    """Two rounds of trainers' assessments for every learner of a running cohort: at the
    start, and last week (most progress, a few do not)."""
    today = timezone.localdate()
    rows = []
    cohorts = Cohort.objects.filter(run__site__organisation=organisation, run__status="running")
    for cohort in cohorts.select_related("run"):
        aims: dict[int, int] = {}
        for target in ModuleCompetence.objects.filter(module__programme=cohort.run.programme):
            aims[target.competence_id] = max(aims.get(target.competence_id, 0), target.level)
        trainer = cohort.trainers.first()
        for enrolment in cohort.enrolments.filter(status=Enrolment.Status.ACTIVE):
            for competence_id, aim in aims.items():
                start = max(1, aim - rng.randint(2, 3))
                now_level = min(8, start + rng.choice([0, 1, 1, 2, 2, 3]))
                for level, when in (
                    (start, cohort.starts_on + dt.timedelta(days=3)),
                    (now_level, today - dt.timedelta(days=5)),
                ):
                    rows.append(
                        CompetenceEvidence(
                            enrolment=enrolment,
                            competence_id=competence_id,
                            level=level,
                            source=EvidenceSource.TRAINER,
                            assessed_on=min(when, today),
                            recorded_by=trainer,
                        )
                    )
    CompetenceEvidence.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def term_exams_load(organisation: Organisation, *, rng: random.Random) -> int:
    """PN: a written exam and a practical per term (out of 20, pass at 10); the 2018 intake
    sat all four terms, the running cohorts their first."""
    rows = []
    for programme in organisation.programmes.filter(periods__isnull=False).distinct():
        for period in programme.periods.order_by("position"):
            for title, kind, weight in (
                ("Written exam", AssessmentKind.WRITTEN_EXAM, Decimal(2)),
                ("Practical test", AssessmentKind.PRACTICAL, Decimal(1)),
            ):
                assessment = Assessment.objects.create(
                    programme=programme,
                    period=period,
                    title=f"{period.title} — {title}",
                    kind=kind,
                    max_score=Decimal(20),
                    pass_mark=Decimal(10),
                    weight=weight,
                )
                cohorts = Cohort.objects.filter(run__programme=programme)
                if period.position > 1:
                    cohorts = cohorts.filter(run__status="finished")
                for enrolment in Enrolment.objects.filter(cohort__in=cohorts).exclude(
                    status=Enrolment.Status.TRANSFERRED
                ):
                    if enrolment.status == Enrolment.Status.LEFT_EARLY and period.position > 2:
                        continue
                    score = min(20.0, max(4.0, rng.gauss(13.5, 3)))
                    rows.append(
                        AssessmentResult(
                            assessment=assessment,
                            enrolment=enrolment,
                            score=Decimal(f"{score:.1f}"),
                        )
                    )
    AssessmentResult.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def project_load(organisation: Organisation) -> None:
    """Simplon's way: learners build something for a local business, evaluated with a rubric."""
    cohort = (
        Cohort.objects.filter(run__site__organisation=organisation, run__status="running")
        .order_by("pk")
        .first()
    )
    competences = _digcomp()
    if cohort is None or "3.1" not in competences:
        return
    trainer = cohort.trainers.first()
    project = Project.objects.create(
        cohort=cohort,
        title="A website for the neighbourhood bakery",
        brief="A one-page site with opening hours, the week's bread and a map, made with a "
        "free site builder; the owner keeps it up to date herself.",
        commissioned_by="Boulangerie du Faubourg",
        commissioner_contact="Mme Lefèvre, 01 42 00 00 00",
        starts_on=cohort.starts_on + dt.timedelta(days=14),
        due_on=cohort.ends_on,
        created_by=trainer,
    )
    criteria = [
        ProjectRubricCriterion.objects.create(
            project=project,
            competence=competences[code],
            descriptors={"2": low, "4": high},
            weight=1,
            position=index + 1,
        )
        for index, (code, low, high) in enumerate(
            [
                ("3.1", "Adds text and pictures", "Builds the page the owner asked for"),
                ("2.1", "Writes to the owner", "Agrees the content with the owner"),
            ]
        )
    ]
    learners = list(cohort.enrolments.filter(status=Enrolment.Status.ACTIVE)[:3])
    if not learners:
        return
    assignment = ProjectAssignment.objects.create(
        project=project, group_name="Team bakery", assigned_by=trainer
    )
    assignment.members.set(learners)
    today = timezone.localdate()
    for criterion, level in zip(criteria, (4, 3), strict=True):
        evaluation = ProjectEvaluation.objects.create(
            assignment=assignment,
            criterion=criterion,
            level=level,
            comment="The owner was pleased with the first version.",
            evaluated_by=trainer,
            evaluated_on=today,
        )
        CompetenceEvidence.objects.bulk_create(
            [
                CompetenceEvidence(
                    enrolment=learner,
                    competence=criterion.competence,
                    level=level,
                    source=EvidenceSource.PROJECT,
                    source_ref=f"project_evaluation:{evaluation.pk}",
                    assessed_on=today,
                    recorded_by=trainer,
                )
                for learner in learners
            ]
        )


CERTIFICATIONS = {
    "passerelles-numeriques": (
        CertificationKind.NATIONAL_DEGREE,
        "Associate's Degree in Computer Science",
        "Ministry of Labour and Vocational Training, Cambodia",
    ),
    "konexio": (CertificationKind.PCIE_ICDL, "", "ICDL France"),
    "simplon": (
        CertificationKind.OTHER,
        "Compétences Numériques Fondamentales",
        "Simplon.co",
    ),
    "plombiers-du-numerique": (CertificationKind.CLEA_NUMERIQUE, "", "Certif Pro"),
}


def certificates_load(organisation: Organisation, *, rng: random.Random) -> int:
    """The finished cohorts: an external certification session with its results, then the
    programme's own certificate for every graduate."""
    actor = organisation_admin(organisation)
    issued = 0
    for cohort in Cohort.objects.filter(
        run__site__organisation=organisation, run__status="finished"
    ).select_related("run", "run__site"):
        graduates = list(
            cohort.enrolments.filter(status=Enrolment.Status.GRADUATED).select_related("person")
        )
        if not graduates:
            continue
        spec = CERTIFICATIONS.get(organisation.slug)
        if spec is not None:
            kind, name, body = spec
            session = CertificationSession.objects.create(
                site=cohort.run.site,
                kind=kind,
                name=name,
                awarding_body=body,
                held_on=cohort.ends_on - dt.timedelta(days=2),
                reference=f"S-{cohort.ends_on:%Y%m}-{cohort.pk}",
                created_by=actor,
            )
            session.cohorts.add(cohort)
            CertificationResult.objects.bulk_create(
                [
                    CertificationResult(
                        session=session,
                        enrolment=enrolment,
                        outcome=CertificationOutcome.PASSED
                        if rng.random() < 0.85
                        else CertificationOutcome.FAILED,
                        reference=f"{session.reference}-{index + 1:03d}",
                        recorded_by=actor,
                        recorded_at=timezone.now(),
                    )
                    for index, enrolment in enumerate(graduates)
                ]
            )
        issued += len(
            certificate_issue(
                actor=actor,
                cohort=cohort,
                enrolments=graduates,
                issued_on=min(cohort.ends_on + dt.timedelta(days=7), timezone.localdate()),
            )
        )
    return issued


def surveys_load(organisation: Organisation, *, rng: random.Random) -> int:
    """Most graduates of the finished cohorts answered the end-of-course survey."""
    rows = []
    for enrolment in Enrolment.objects.filter(
        cohort__run__site__organisation=organisation,
        cohort__run__status="finished",
        status=Enrolment.Status.GRADUATED,
        cohort__ends_on__gte=dt.date(2025, 1, 1),
    ).select_related("cohort"):
        sent = dt.datetime.combine(enrolment.cohort.ends_on, dt.time(17), tzinfo=dt.UTC)
        SatisfactionSurvey.objects.create(enrolment=enrolment, sent_at=sent)
        if rng.random() < 0.75:

            def score() -> int:
                return rng.choice([3, 4, 4, 5, 5])

            rows.append(
                SurveyResponse(
                    enrolment=enrolment,
                    overall=score(),
                    trainers=score(),
                    content=score(),
                    pace=rng.choice([2, 3, 4, 4, 5]),
                    recommend=score(),
                    comment=rng.choice(["", "", "More practice on the computer, please."]),
                    language="fr",
                    answered_at=sent + dt.timedelta(days=rng.randint(0, 6)),
                )
            )
    SurveyResponse.objects.bulk_create(rows)
    return len(rows)


def early_warning_load(organisation: Organisation) -> int:
    """Check every learner's rules now; the coach has already called one learner at risk."""
    raised = alerts_check(
        enrolment_ids=Enrolment.objects.filter(
            cohort__run__site__organisation=organisation, status=Enrolment.Status.ACTIVE
        ).values_list("pk", flat=True)
    )
    for alert in raised[:1]:
        coach = alert.enrolment.cohort.coach
        if coach is not None:
            alert_action_record(
                actor=coach,
                alert=alert,
                kind="call",
                done_on=timezone.localdate(),
                outcome="reached",
                note="Childcare problem this month; back on Monday.",
            )
    return len(raised)


def training_results_load(*, organisation: Organisation, seed: int) -> None:
    rng = random.Random(seed)
    aims_load(organisation)
    assessments_by_trainers_load(organisation, rng=rng)
    term_exams_load(organisation, rng=rng)
    if organisation.slug == "simplon":
        project_load(organisation)
    certificates_load(organisation, rng=rng)
    surveys_load(organisation, rng=rng)
    early_warning_load(organisation)
