"""Importing a timetable from a file: every problem names its row and column, clashes are
refused like on the page, and nothing is written unless the whole file is correct."""

from __future__ import annotations

import datetime as dt
import io
import zoneinfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from conftest import World
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import AuditEvent
from tremplin.training.models import Session
from tremplin.training.services.timetable import session_save
from tremplin.training.services.timetable_import import timetable_import
from tremplin.training.tests.timetable_fixtures import Timetable, session_data, timetable_world

HEADER = "date,start,end,module,room,trainers,video link\n"
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


@pytest.fixture
def t(world: World) -> Timetable:
    return timetable_world(world)


def _run(t: Timetable, text: str, *, dry_run: bool = False) -> object:
    return timetable_import(
        actor=t.manager,
        cohort=t.cohort,
        file_name="timetable.csv",
        content=text.encode(),
        dry_run=dry_run,
    )


def test_a_correct_file_adds_every_session(t: Timetable) -> None:
    report = _run(
        t,
        HEADER
        + "2026-10-05,9:00,12:30,HTML,Salle Hopper,awa@example.org,\n"
        + "06/10/2026,14h,17h,html,lab,,https://meet.example.org/a\n",
    )
    assert report.problems == []  # type: ignore[attr-defined]
    assert report.created == 2  # type: ignore[attr-defined]
    first, second = Session.objects.filter(cohort=t.cohort).order_by("starts_at")
    assert first.starts_at == dt.datetime(2026, 10, 5, 9, tzinfo=PARIS)
    assert list(first.trainers.all()) == [t.awa]
    assert second.room == t.lab
    assert second.video_link == "https://meet.example.org/a"
    assert AuditEvent.objects.get(action=AuditAction.TIMETABLE_IMPORTED).changes["sessions"] == 2


def test_a_dry_run_writes_nothing(t: Timetable) -> None:
    report = _run(t, HEADER + "2026-10-05,9:00,12:30,HTML,Salle Hopper,,\n", dry_run=True)
    assert report.created == 1  # type: ignore[attr-defined]
    assert not Session.objects.exists()


def test_every_problem_names_its_row_and_column_and_nothing_is_written(t: Timetable) -> None:
    with translation.override("en"):
        report = _run(
            t,
            HEADER
            + "2026-10-05,9:00,12:30,HTML,Salle Hopper,,\n"  # correct, but not written
            + "2026-13-40,9:00,12:30,HTML,Salle Hopper,,\n"
            + "2026-10-06,25:00,12:30,HTML,Salle Hopper,,\n"
            + "2026-10-07,9:00,12:30,Python,Salle Hopper,,\n"
            + "2026-10-08,9:00,12:30,HTML,Attic,,\n"
            + "2026-10-09,9:00,12:30,HTML,Salle Hopper,nobody@example.org,\n"
            + "2027-03-01,9:00,12:30,HTML,Salle Hopper,,\n"
            + "2026-10-12,9:00,12:30,HTML,,,\n"
            + "2026-10-13,9:00,12:30,HTML,,,ftp://x\n",
        )
    where = [(p.row, p.column) for p in report.problems]  # type: ignore[attr-defined]
    assert where == [
        (3, "date"),
        (4, "start"),
        (5, "module"),
        (6, "room"),
        (7, "trainers"),
        (8, "date"),
        (9, "room"),
        (10, "video link"),
    ]
    assert "nobody@example.org is not a trainer at this site." in report.problems[4].message  # type: ignore[attr-defined]
    assert not Session.objects.exists()


def test_clashes_are_refused_with_the_timetable_and_within_the_file(t: Timetable) -> None:
    session_save(actor=t.manager, cohort=t.other, data=session_data(t, room=t.lab))
    with translation.override("en"):
        report = _run(
            t,
            HEADER
            + "2026-10-05,10:00,11:00,HTML,Salle Hopper,awa@example.org,\n"
            + "2026-10-06,9:00,12:00,HTML,Salle Hopper,,\n"
            + "2026-10-06,11:00,13:00,HTML,Salle Hopper,,\n",
        )
    problems = report.problems  # type: ignore[attr-defined]
    assert (problems[0].row, problems[0].column) == (2, "trainers")
    assert problems[0].message == (
        "Awa Diop already teaches Cohort Y from 9:00 to 12:30 on Monday 5 October."
    )
    assert {(p.row, p.column) for p in problems[1:]} == {(4, "room"), (4, "start")}
    assert Session.objects.filter(cohort=t.cohort).count() == 0


def test_missing_and_unknown_columns_are_named(t: Timetable) -> None:
    with translation.override("en"):
        report = _run(t, "date,begin,end\n2026-10-05,9:00,12:00\n")
    columns = {(p.row, p.column) for p in report.problems}  # type: ignore[attr-defined]
    assert (1, "begin") in columns
    assert (1, "start") in columns


def test_an_xlsx_file_with_typed_cells_is_read(t: Timetable) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["Date", "Début", "Fin", "Module", "Salle", "Formateurs"])
    sheet.append(
        [dt.date(2026, 10, 5), dt.time(9), dt.time(12, 30), "HTML", "Lab", "AWA@example.org"]
    )
    buffer = io.BytesIO()
    book.save(buffer)
    report = timetable_import(
        actor=t.manager,
        cohort=t.cohort,
        file_name="t.xlsx",
        content=buffer.getvalue(),
        dry_run=False,
    )
    assert report.problems == []
    session = Session.objects.get()
    assert session.room == t.lab
    assert list(session.trainers.all()) == [t.awa]


def test_the_import_page_checks_then_imports(t: Timetable, world: World) -> None:
    client = world.client_for("manager_a1")
    url = reverse("training:timetable-import", kwargs={"cohort_id": t.cohort.pk})
    upload = SimpleUploadedFile(
        "t.csv", (HEADER + "2026-10-05,9:00,12:30,HTML,Salle Hopper,,\n").encode()
    )
    checked = client.post(url, {"action": "check", "file": upload})
    assert checked.status_code == 200
    token = checked.context["token"]
    assert token
    assert not Session.objects.exists()
    done = client.post(url, {"action": "import", "token": token})
    assert done.status_code == 302
    assert Session.objects.filter(cohort=t.cohort).count() == 1
    template = client.get(reverse("training:timetable-import-template", args=[t.cohort.pk]))
    assert template.content.decode("utf-8-sig").startswith("date,start,end,module,room")
