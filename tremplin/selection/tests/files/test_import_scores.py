"""Import of written-exam scores from CSV or XLSX."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from django.urls import reverse

from conftest import World
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import AuditEvent
from tremplin.people.models import Person
from tremplin.selection.files.rows import ImportReport
from tremplin.selection.files.scores import stage_scores_import
from tremplin.selection.models import Call, Decision, Stage, StageResult
from tremplin.selection.tests.builders import applicant
from tremplin.selection.tests.files.builders import csv_bytes, written_exam, xlsx_bytes


def scores(world: World, stage: Stage, rows: list[list[Any]], **kw: Any) -> ImportReport:
    return stage_scores_import(
        actor=world.users["officer_a1"],
        stage=stage,
        file_name="scores.csv",
        content=csv_bytes(rows),
        dry_run=kw.get("dry_run", False),
    )


def test_exam_scores_are_imported_as_pending_results(world: World, call: Call) -> None:
    stage = written_exam(call)
    amina = applicant(call, world.amina, through=1)
    bilal = applicant(call, world.bilal, through=1)
    Person.objects.filter(pk=world.bilal.pk).update(phone="+33622334455")
    other = applicant(call, through=1)
    rows = [
        ["application", "email", "phone", "note"],
        ["", "amina@example.org", "", "72,5"],
        ["", "", "06 22 33 44 55", 48],
        [other.pk, "", "", "100"],
    ]
    assert scores(world, stage, rows, dry_run=True).created == 3
    assert not StageResult.objects.filter(stage=stage).exists()
    report = scores(world, stage, rows)
    assert report.written
    assert report.created == 3
    results = {r.application_id: r for r in StageResult.objects.filter(stage=stage)}
    assert str(results[amina.pk].score) == "72.50"
    assert str(results[bilal.pk].score) == "48.00"
    assert {r.decision for r in results.values()} == {Decision.PENDING}
    assert AuditEvent.objects.filter(action=AuditAction.STAGE_SCORES_IMPORTED).count() == 1

    rows[2][3] = 51
    again = scores(world, stage, rows)
    assert (again.created, again.updated, again.already_imported) == (0, 1, 2)
    assert str(StageResult.objects.get(stage=stage, application=bilal).score) == "51.00"


def test_exam_score_problems_name_row_and_column(world: World, call: Call) -> None:
    stage = written_exam(call)
    decided = applicant(call, world.amina, through=2)
    early = applicant(call, world.bilal, through=0)
    ok = applicant(call, through=1)
    rows = [
        ["application", "email", "score"],
        [ok.pk, "", "101"],
        [ok.pk, "", "abc"],
        ["999999", "", "10"],
        ["", "nobody@example.org", "10"],
        ["", "", "10"],
        [early.pk, "", "10"],
        [decided.pk, "", "10"],
        [ok.pk, "", ""],
        [ok.pk, "", "50"],
        [ok.pk, "", "60"],
    ]
    report = scores(world, stage, rows)
    assert [(p.row, p.column) for p in report.problems] == [
        (2, "score"),
        (3, "score"),
        (4, "application"),
        (5, "email"),
        (6, "application"),
        (7, "score"),
        (8, "score"),
        (9, "score"),
        (11, "score"),
    ]
    assert not StageResult.objects.filter(stage=stage, decision=Decision.PENDING).exists()


def test_an_officer_imports_scores_from_the_page(
    world: World, call: Call, settings: Any, tmp_path: Path
) -> None:
    settings.TREMPLIN_IMPORT_DIR = tmp_path / "imports"
    stage = written_exam(call)
    amina = applicant(call, world.amina, through=1)
    client = world.client_for("officer_a1")
    url = reverse("selection:stage-scores-import", args=[call.pk, stage.pk])
    upload = io.BytesIO(xlsx_bytes([["Courriel", "Note"], ["amina@example.org", 64]]))
    upload.name = "scores.xlsx"
    page = client.post(url, {"action": "check", "file": upload}).content.decode()
    assert "1 new score." in page
    token = client.session["upload:selection_import"]["token"]
    # The token of one page does not import on another.
    other = reverse("selection:call-import", args=[call.pk])
    client.post(other, {"action": "import", "token": token})
    assert not StageResult.objects.filter(stage=stage).exists()
    upload.seek(0)
    client.post(url, {"action": "check", "file": upload})
    token = client.session["upload:selection_import"]["token"]
    assert client.post(url, {"action": "import", "token": token}).status_code == 302
    assert StageResult.objects.get(stage=stage, application=amina).score == 64
    other_stage = call.stages.get(kind="interview")
    response = client.get(reverse("selection:stage-scores-import", args=[call.pk, other_stage.pk]))
    assert response.status_code == 404


def test_crafted_numbers_in_a_scores_file_name_the_row(world: World, call: Call) -> None:
    """``²`` as an application number, ``1e30`` as a score were 500s."""
    stage = written_exam(call)
    ok = applicant(call, through=1)
    rows = [
        ["application", "score"],
        ["²", "10"],
        [ok.pk, "1e30"],
        [ok.pk, "100000"],
        [ok.pk, "NaN"],
    ]
    report = scores(world, stage, rows)
    assert [(p.row, p.column) for p in report.problems] == [
        (2, "application"),
        (3, "score"),
        (4, "score"),
        (5, "score"),
    ]
    assert report.problems[1].message == "The score must be between 0 and 100.00."
