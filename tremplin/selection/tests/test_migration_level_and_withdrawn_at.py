"""Rows from before selection 0006: a withdrawn application gets its withdrawal's date, and a
placement stage's result its test's level group instead of a note naming it by its code."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models.signals import post_save
from django.utils import timezone

from conftest import World
from tremplin.core.models import AuditEvent
from tremplin.placement.models import Attempt
from tremplin.selection.tests.builders import open_call

BEFORE = ("selection", "0005_merge_20261203_0634")
AFTER = ("selection", "0006_khmer_level_and_withdrawn_at")


# Apps built on a later selection: taken out meanwhile, put back at the end.
RIGHT = ("training", "partners")


def _apps_at(selection: tuple[str, str]) -> Any:
    """Every app at its latest migration, selection at the one given; the models then.
    The apps on the right built on a later selection (training, partners) are taken out
    meanwhile (and put back at the end)."""
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    targets = [n for n in leaves if n[0] != "selection" and n[0] not in RIGHT]
    targets.append(selection)
    latest = selection in leaves
    right: list[tuple[str, str | None]] = (
        [n for n in leaves if n[0] in RIGHT] if latest else [(app, None) for app in RIGHT]
    )
    executor.migrate([*targets, *right])
    executor.loader.build_graph()
    return executor.loader.project_state(targets + (right if latest else [])).apps


@pytest.fixture
def _apps_on_the_right_not_listening() -> Iterator[None]:
    """Training hears placement's saved attempts (a re-test becomes evidence); its tables are
    out while selection is back before 0006."""
    kept = list(post_save.receivers)
    post_save.receivers = [r for r in kept if not str(r[0][0]).startswith(RIGHT)]
    post_save.sender_receivers_cache.clear()
    yield
    post_save.receivers = kept
    post_save.sender_receivers_cache.clear()


@pytest.mark.usefixtures("_apps_on_the_right_not_listening")
def test_older_rows_get_their_withdrawal_date_and_level_group(
    transactional_db: None, world: World
) -> None:
    # Calls, stages, people and tests keep their tables: built as today; applications and
    # results as they were before 0006.
    call = open_call(world, process="konexio")
    stage = call.stages.get(placement_test=True)
    old = _apps_at(BEFORE)
    Application = old.get_model("selection", "Application")
    left, stayed = (
        Application.objects.create(
            call_id=call.pk, person_id=person.pk, status=status, source="staff"
        )
        for person, status in ((world.amina, "withdrawn"), (world.bilal, "submitted"))
    )
    told = timezone.now() - dt.timedelta(days=3)
    event = AuditEvent.objects.create(
        action="application.withdrawn", subject_type="selection.application", subject_id=left.pk
    )
    AuditEvent.objects.filter(pk=event.pk).update(created_at=told)
    old.get_model("selection", "StageResult").objects.create(
        application=stayed,
        stage_id=stage.pk,
        score=40,
        decision="pending",
        reason="other",
        note="Test de positionnement : beginner",
    )
    Attempt.objects.create(
        person_id=stayed.person_id,
        site=call.site,
        programme=call.run.programme,
        application_id=stayed.pk,
        stage=stage,
        token_hash="x" * 64,
        seed=1,
        state="finished",
        finished_at=timezone.now(),
        band="beginner",
    )

    new = _apps_at(AFTER)
    assert new.get_model("selection", "Application").objects.get(pk=left.pk).withdrawn_at == told
    assert new.get_model("selection", "Application").objects.get(pk=stayed.pk).withdrawn_at is None
    result = new.get_model("selection", "StageResult").objects.get(application_id=stayed.pk)
    assert (result.level, result.note) == ("beginner", "")
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    leaf = next(n for n in leaves if n[0] == "selection")
    _apps_at(leaf)
