"""The spreadsheet export of a call's applications."""

from __future__ import annotations

import csv
import io

from django.urls import reverse

from conftest import World
from tremplin.selection.models import Call
from tremplin.selection.tests.files.builders import HEADER, csv_bytes, row, run


def test_the_export_escapes_every_cell_that_could_be_a_formula(world: World, call: Call) -> None:
    run(
        world,
        call,
        csv_bytes(
            [HEADER, row("=cmd|'/c calc'!A1", "@Evil", phone="0611223344", channel="partner")]
        ),
    )
    response = world.client_for("officer_a1").get(reverse("selection:call-export", args=[call.pk]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Cache-Control"] == "no-store"
    header, line = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert header[:3] == ["id", "given_names", "family_name"]
    values = dict(zip(header, line, strict=True))
    assert values["given_names"] == "'=cmd|'/c calc'!A1"
    assert values["family_name"] == "'@Evil"
    assert values["phone"] == "'+33611223344"
    assert (values["site"], values["channel"], values["outcome"]) == (
        "north",
        "partner",
        "in_progress",
    )
    # The export reads back: its escaped cells are understood, its extra columns are named.
    report = run(world, call, response.content, dry_run=True)
    assert {p.column for p in report.problems} == {"id", "stages_passed", "outcome", "submitted_at"}
