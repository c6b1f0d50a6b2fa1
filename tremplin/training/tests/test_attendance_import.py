"""Importing attendance from CSV or XLSX: all or nothing, every problem named by row and
column, a learner outside the session refused, a changed mark audited."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from conftest import World
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import AuditEvent
from tremplin.selection.files.rows import ImportReport
from tremplin.selection.tests.files.builders import csv_bytes, xlsx_bytes
from tremplin.training.models import Mark, Session
from tremplin.training.services.attendance_import import attendance_import
from tremplin.training.tests.factories import EnrolmentFactory
from tremplin.training.tests.rollcall_builders import DAY, enrolments, taught_session

HEADER = ["date", "start", "email", "status"]


def run(world: World, session: Session, rows: list[list[Any]], **kw: Any) -> ImportReport:
    return attendance_import(
        actor=world.users[kw.get("persona", "trainer_a1")],
        cohort=session.cohort,
        file_name=kw.get("file_name", "attendance.csv"),
        content=kw.get("content") or csv_bytes(rows),
        dry_run=kw.get("dry_run", False),
    )


def _marks(session: Session) -> dict[str, str]:
    return {
        m.enrolment.person.email: m.status
        for m in Mark.objects.filter(session=session).select_related("enrolment__person")
    }


@pytest.mark.django_db
def test_marks_are_imported_by_date_start_and_email(world: World) -> None:
    session = taught_session(world, learners=3)
    report = run(
        world,
        session,
        [
            HEADER,
            ["2026-03-02", "09:00", "learner00@example.org", "present"],
            ["02/03/2026", "9h00", "LEARNER01@example.org", "Retard"],
            ["2026-03-02", "09:00", "learner02@example.org", "excusé"],
        ],
    )
    assert report.problems == []
    assert report.created == 3
    assert _marks(session) == {
        "learner00@example.org": "present",
        "learner01@example.org": "late",
        "learner02@example.org": "excused",
    }
    assert AuditEvent.objects.filter(action=AuditAction.ATTENDANCE_IMPORTED).count() == 1
    assert not AuditEvent.objects.filter(action=AuditAction.MARK_CHANGED).exists()


@pytest.mark.django_db
def test_an_xlsx_names_the_session_by_number_and_the_learner_by_name(world: World) -> None:
    session = taught_session(world, learners=2)
    content = xlsx_bytes(
        [
            ["Séance", "Apprenant", "Présence"],
            [session.pk, "Learner00 Test", "absent"],
            [session.pk, "test learner01", "P"],
        ]
    )
    report = run(world, session, [], content=content, file_name="attendance.xlsx")
    assert report.problems == []
    assert _marks(session) == {
        "learner00@example.org": "absent",
        "learner01@example.org": "present",
    }


@pytest.mark.django_db
def test_a_changed_mark_is_audited_and_an_unchanged_one_left_alone(world: World) -> None:
    session = taught_session(world, learners=2)
    run(world, session, [HEADER, ["2026-03-02", "09:00", "learner00@example.org", "present"]])
    report = run(
        world,
        session,
        [
            HEADER,
            ["2026-03-02", "09:00", "learner00@example.org", "absent"],
            ["2026-03-02", "09:00", "learner01@example.org", "present"],
        ],
    )
    assert (report.created, report.updated) == (1, 1)
    event = AuditEvent.objects.get(action=AuditAction.MARK_CHANGED)
    assert event.changes == {"status": {"from": "present", "to": "absent"}}
    report = run(world, session, [HEADER, ["2026-03-02", "09:00", "learner00@example.org", "A"]])
    assert report.already_imported == 1
    assert AuditEvent.objects.filter(action=AuditAction.MARK_CHANGED).count() == 1


@pytest.mark.django_db
def test_one_bad_row_writes_nothing_and_each_problem_names_row_and_column(world: World) -> None:
    session = taught_session(world, learners=2)
    (amy, _ben) = enrolments(session)
    late_joiner = EnrolmentFactory(cohort=session.cohort, joined_on=DAY + dt.timedelta(days=3))
    late_joiner.person.email = "late@example.org"
    late_joiner.person.save()
    stranger = taught_session(world, learners=1).cohort.enrolments.get().person
    stranger.email = "stranger@example.org"
    stranger.save()
    report = run(
        world,
        session,
        [
            HEADER,
            ["2026-03-02", "09:00", "learner00@example.org", "present"],
            ["2026-03-05", "09:00", "learner01@example.org", "present"],
            ["2026-03-02", "09:00", "late@example.org", "present"],
            ["2026-03-02", "09:00", stranger.email, "present"],
            ["2026-03-02", "09:00", "learner01@example.org", "asleep"],
            ["not a date", "09:00", "learner01@example.org", "absent"],
            ["2026-03-02", "09:00", "learner00@example.org", "late"],
        ],
    )
    problems = [(p.row, p.column) for p in report.problems]
    assert problems == [
        (3, "start"),
        (4, "status"),
        (5, "email"),
        (6, "status"),
        (7, "date"),
        (8, "status"),
    ]
    assert "not in this session" in report.problems[1].message
    assert "row 2" in report.problems[-1].message
    assert not Mark.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.ATTENDANCE_IMPORTED).exists()
    assert amy.marks.count() == 0


@pytest.mark.django_db
def test_a_file_without_the_columns_it_needs_says_so(world: World) -> None:
    session = taught_session(world, learners=1)
    report = run(world, session, [["email", "status", "colour"], ["a@example.org", "present", "x"]])
    assert {p.column for p in report.problems} == {"colour", "session"}
    assert all(p.row == 1 for p in report.problems)


@pytest.mark.django_db
def test_a_trainer_imports_from_the_page_after_checking(
    world: World, settings: Any, tmp_path: Path
) -> None:
    settings.TREMPLIN_IMPORT_DIR = tmp_path / "imports"
    session = taught_session(world, learners=1)
    client = world.client_for("trainer_a1")
    url = reverse("training:cohort-attendance-import", args=[session.cohort_id])
    upload = io.BytesIO(
        csv_bytes([HEADER, ["2026-03-02", "09:00", "learner00@example.org", "late"]])
    )
    upload.name = "attendance.csv"
    page = client.post(url, {"action": "check", "file": upload}).content.decode()
    assert "1 new mark." in page
    assert not Mark.objects.exists()
    token = client.session["upload:training_attendance_import"]["token"]
    response = client.post(url, {"action": "import", "token": token})
    assert response.status_code == 302
    assert _marks(session) == {"learner00@example.org": "late"}
    upload = io.BytesIO(csv_bytes([HEADER, ["2026-03-02", "10:00", "learner00@example.org", "x"]]))
    upload.name = "attendance.csv"
    page = client.post(url, {"action": "check", "file": upload}).content.decode()
    assert "2 problems in the file: nothing was written." in page
