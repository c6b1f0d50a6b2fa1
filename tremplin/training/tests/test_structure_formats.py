"""The four reference formats are expressible with periods, modules, assessments and cohorts,
built through the services as staff would: Passerelles numériques (two years in four terms),
Plombiers du Numérique (three pillars, sessions of 12), Konexio (three 20-hour level groups;
DigiStart's 9 weeks) and Simplon NT4EU (6 weeks, 7 modules)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.urls import reverse

from conftest import World
from tremplin.core.models import User
from tremplin.network.models import Programme, ProgrammeRun
from tremplin.network.tests.factories import ProgrammeFactory, ProgrammeRunFactory
from tremplin.training.models import AssessmentResult, Cohort, ModuleKind, Period
from tremplin.training.selectors.structure import programme_structure
from tremplin.training.selectors.transcripts import transcript
from tremplin.training.services import assessments as assessment_services
from tremplin.training.services import structure as services
from tremplin.training.tests.factories import CohortFactory, EnrolmentFactory


def _programme(world: World, title: str, weeks: int, **extra: object) -> Programme:
    return ProgrammeFactory(  # type: ignore[no-any-return]
        organisation=world.alpha, title=title, duration_weeks=weeks, **extra
    )


def _run(world: World, programme: Programme, weeks: int) -> ProgrammeRun:
    start = dt.date(2026, 9, 7)
    return ProgrammeRunFactory(  # type: ignore[no-any-return]
        programme=programme,
        site=world.north,
        starts_on=start,
        ends_on=start + dt.timedelta(weeks=weeks) - dt.timedelta(days=1),
    )


def _modules(
    actor: User, programme: Programme, period: Period | None, *specs: tuple[str, str, int]
) -> None:
    for title, kind, hours in specs:
        services.module_create(
            actor=actor, programme=programme, title=title, kind=kind, hours=hours, period=period
        )


def test_passerelles_numeriques_two_years_in_four_terms_with_assessments_per_term(
    world: World,
) -> None:
    admin = world.users["admin_a"]
    pn = _programme(
        world, "Web programming", 104, hours=1440, certification="PN certificate and BTEC"
    )
    for number in range(1, 5):
        term = services.period_create(
            actor=admin, programme=pn, title=f"Term {number}", kind="term", weeks=26
        )
        _modules(
            admin,
            pn,
            term,
            (f"Programming {number}", ModuleKind.DIGITAL, 240),
            (f"English {number}", ModuleKind.LANGUAGE, 80),
            (f"Soft skills {number}", ModuleKind.SOFT_SKILLS, 40),
        )
        assessment_services.assessment_save(
            actor=admin,
            programme=pn,
            title=f"Term {number} exam",
            kind="written_exam",
            period=term,
            module=None,
            max_score=Decimal(100),
            pass_mark=Decimal(50),
            weight=Decimal(2),
        )
        assessment_services.assessment_save(
            actor=admin,
            programme=pn,
            title=f"English {number} oral",
            kind="oral",
            period=term,
            module=term.modules.get(kind=ModuleKind.LANGUAGE),
            max_score=Decimal(20),
            pass_mark=Decimal(10),
            weight=Decimal(1),
        )
    structure = programme_structure(programme=pn)
    assert [b.period.title for b in structure.blocks if b.period] == [
        "Term 1",
        "Term 2",
        "Term 3",
        "Term 4",
    ]
    assert (structure.module_count, structure.hours, structure.hours_differ) == (12, 1440, False)
    cohort = CohortFactory(run=_run(world, pn, 104), title="PN 2026", seats=118)
    learner = EnrolmentFactory(cohort=cohort)
    first_exam = pn.assessments.get(title="Term 1 exam")
    assessment_services.assessment_results_record(
        actor=admin, cohort=cohort, assessment=first_exam, scores={learner.pk: Decimal(75)}
    )
    result = transcript(enrolment=learner)
    assert len(result.periods) == 4
    assert result.periods[0].average == Decimal("75.0")
    assert result.programme.certification == "PN certificate and BTEC"


def test_plombiers_du_numerique_three_pillars_in_sessions_of_twelve(world: World) -> None:
    manager = world.users["manager_a1"]
    plombiers = _programme(world, "Technicien fibre", 16, hours=420)
    pillars = [
        services.period_create(
            actor=manager, programme=plombiers, title=title, kind="phase", weeks=weeks
        )
        for title, weeks in (("Remise à niveau", 3), ("Métier", 9), ("Stage", 4))
    ]
    _modules(
        manager,
        plombiers,
        pillars[0],
        ("Remise à niveau : français et calcul", ModuleKind.REFRESHER, 60),
    )
    _modules(
        manager,
        plombiers,
        pillars[1],
        ("Raccordement fibre", ModuleKind.TRADE_PRACTICE, 200),
        ("Sécurité sur chantier", ModuleKind.TRADE_PRACTICE, 40),
    )
    _modules(manager, plombiers, pillars[2], ("Préparer son stage", ModuleKind.SOFT_SKILLS, 120))
    run = _run(world, plombiers, 16)
    for n in (1, 2, 3):
        CohortFactory(run=run, title=f"Session {n}", seats=12)
    structure = programme_structure(programme=plombiers)
    kinds = [row.module.kind for block in structure.blocks for row in block.modules]
    assert kinds == ["refresher", "trade_practice", "trade_practice", "soft_skills"]
    assert structure.hours == 420
    assert set(Cohort.objects.filter(run=run).values_list("seats", flat=True)) == {12}


def test_konexio_three_levels_of_twenty_hours_as_level_groups_and_digistart(
    world: World,
) -> None:
    manager = world.users["manager_a1"]
    levels = ["Débutant", "Intermédiaire", "Avancé"]
    basics = _programme(
        world, "Konexio numérique", 6, hours=60, levels=levels, certification="PCIE"
    )
    _modules(
        manager, basics, None, *((f"Niveau {level}", ModuleKind.DIGITAL, 20) for level in levels)
    )
    run = _run(world, basics, 6)
    for level in levels:
        CohortFactory(run=run, title=f"Groupe {level}", level=level, seats=15)
    assert (
        list(Cohort.objects.filter(run=run).order_by("pk").values_list("level", flat=True))
        == levels
    )
    assert programme_structure(programme=basics).hours == 60
    digistart = _programme(world, "DigiStart", 9, hours=315)
    _modules(
        manager,
        digistart,
        None,
        ("HTML", ModuleKind.DIGITAL, 105),
        ("CSS", ModuleKind.DIGITAL, 105),
        ("JavaScript", ModuleKind.DIGITAL, 105),
    )
    structure = programme_structure(programme=digistart)
    assert [row.module.title for row in structure.blocks[0].modules] == [
        "HTML",
        "CSS",
        "JavaScript",
    ]
    assert (structure.hours, structure.hours_differ) == (315, False)


def test_simplon_nt4eu_six_weeks_and_seven_modules_with_french_for_digital_needs(
    world: World,
) -> None:
    admin = world.users["admin_a"]
    simplon = _programme(
        world, "NT4EU", 6, hours=210, certification="Compétences Numériques Fondamentales"
    )
    _modules(
        admin,
        simplon,
        None,
        ("Prise en main de l'ordinateur", ModuleKind.DIGITAL, 30),
        ("Internet et messagerie", ModuleKind.DIGITAL, 30),
        ("Démarches en ligne", ModuleKind.DIGITAL, 30),
        ("Bureautique", ModuleKind.DIGITAL, 30),
        ("Français pour le numérique", ModuleKind.LANGUAGE, 30),
        ("Projet pour une entreprise locale", ModuleKind.DIGITAL, 30),
        ("Se présenter à un employeur", ModuleKind.SOFT_SKILLS, 30),
    )
    page = world.client_for("admin_a").get(
        reverse("training:programme-structure", kwargs={"programme_id": simplon.pk})
    )
    html = page.content.decode()
    assert "7 modules, 210 hours" in html
    assert "Français pour le numérique" in html
    assert "Compétences Numériques Fondamentales" in html
    assert not AssessmentResult.objects.exists()
