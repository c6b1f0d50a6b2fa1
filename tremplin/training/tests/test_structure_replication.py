"""Replicating a run to another site (network's programme_run_replicate) takes its cohorts'
set-up along (training hears network's ``run_replicated``); the structure needs no copy,
being the programme's."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import World
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import AuditEvent
from tremplin.network.models import ProgrammeRun
from tremplin.network.services import programme_run_replicate
from tremplin.training.models import Cohort, Module, ModuleKind
from tremplin.training.services import replication
from tremplin.training.tests.factories import CohortFactory, EnrolmentFactory


def _run_with_level_groups(world: World) -> ProgrammeRun:
    run = world.run_north
    run.starts_on, run.ends_on = dt.date(2026, 1, 5), dt.date(2026, 3, 27)
    run.save()
    for level, starts, ends in (
        ("Beginner", dt.date(2026, 1, 5), dt.date(2026, 1, 30)),
        ("Intermediate", dt.date(2026, 2, 2), dt.date(2026, 2, 27)),
    ):
        cohort = CohortFactory(
            run=run, title=f"Konexio {level}", level=level, seats=14, starts_on=starts, ends_on=ends
        )
        cohort.trainers.add(world.users["trainer_a1"])
        EnrolmentFactory(cohort=cohort)
    return run


def test_a_replicated_run_gets_its_cohorts_set_up_without_learners_or_trainers(
    world: World,
) -> None:
    run = _run_with_level_groups(world)
    module = Module.objects.create(
        programme=run.programme, title="Web", kind=ModuleKind.DIGITAL, hours=20, position=1
    )
    replica = programme_run_replicate(
        actor=world.users["admin_a"], run=run, site=world.south, starts_on=dt.date(2026, 9, 7)
    )
    copies = list(Cohort.objects.filter(run=replica).order_by("starts_on"))
    assert [(c.title, c.level, c.seats) for c in copies] == [
        ("Konexio Beginner", "Beginner", 14),
        ("Konexio Intermediate", "Intermediate", 14),
    ]
    # Shifted by as much as the run's start (245 days).
    assert [(c.starts_on, c.ends_on) for c in copies] == [
        (dt.date(2026, 9, 7), dt.date(2026, 10, 2)),
        (dt.date(2026, 10, 5), dt.date(2026, 10, 30)),
    ]
    for copy in copies:
        assert not copy.enrolments.exists()
        assert not copy.trainers.exists()
        assert copy.call is None
        assert copy.replicated_from is not None
        assert copy.replicated_from.run_id == run.pk
    events = AuditEvent.objects.filter(action=AuditAction.COHORT_COPIED)
    assert sorted(e.subject_id for e in events) == sorted(c.pk for c in copies)
    # The structure is the programme's: the new run has the same modules.
    assert list(replica.programme.modules.all()) == [module]


def test_when_copying_the_cohorts_fails_the_run_is_not_replicated_either(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = _run_with_level_groups(world)

    def broken(**kwargs: object) -> None:
        raise RuntimeError("copy failed")

    monkeypatch.setattr(replication, "cohorts_copy", broken)
    with pytest.raises(RuntimeError):
        programme_run_replicate(
            actor=world.users["admin_a"], run=run, site=world.south, starts_on=dt.date(2026, 9, 7)
        )
    assert not ProgrammeRun.objects.filter(replicated_from=run).exists()
    assert Cohort.objects.count() == 2


def test_a_run_without_cohorts_replicates_as_before(world: World) -> None:
    replica = programme_run_replicate(
        actor=world.users["manager_a1"],
        run=world.run_north,
        site=world.north,
        starts_on=dt.date(2027, 1, 4),
    )
    assert not Cohort.objects.filter(run=replica).exists()
    assert not AuditEvent.objects.filter(action=AuditAction.COHORT_COPIED).exists()
