"""Bulk import of applications from CSV or XLSX: the checks, the writes, the command and the
pages."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import World
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import AuditEvent
from tremplin.outreach.models import InformationSession, Registration
from tremplin.people.models import Consent, Person
from tremplin.selection.files.applications import applications_import
from tremplin.selection.models import Application, Call, Decision
from tremplin.selection.services.applications import NOTICE_VERSION
from tremplin.selection.tests.builders import applicant
from tremplin.selection.tests.files.builders import (
    HEADER,
    counts,
    csv_bytes,
    people_rows,
    row,
    run,
    written_exam,
    xlsx_bytes,
)

# --- Applications -----------------------------------------------------------------------------


def test_a_csv_file_is_checked_without_writing_then_imported(world: World, call: Call) -> None:
    content = csv_bytes(
        [
            [
                "Prénom",
                "NOM",
                "Date de naissance",
                "Sexe",
                "Téléphone",
                "Courriel",
                "Région",
                "QPV",
                "Canal",
                "Site",
                "Langue",
                "Information session",
                "Consentement",
            ],
            [
                "Lina",
                "Haddad",
                "12/04/2001",
                "F",
                "06 11 22 33 44",
                "",
                "Hauts-de-France",
                "oui",
                "partner",
                "north",
                "ar",
                "oui",
                "oui",
            ],
            [
                "Yonas",
                "Tekle",
                "1999-01-30",
                "H",
                "",
                "Yonas@Example.org",
                "fr-hdf",
                "",
                "",
                "",
                "",
                "non",
                "non",
            ],
        ],
        delimiter=";",
        bom=True,
    )
    before = counts()
    report = run(world, call, content, dry_run=True)
    assert report.problems == []
    assert (report.rows_read, report.created, report.linked_to_existing) == (2, 2, 0)
    assert not report.written
    assert counts() == before

    report = run(world, call, content)
    assert report.written
    lina = Application.objects.get(person__legal_given_names="Lina")
    assert lina.status == Application.Status.SUBMITTED
    assert lina.source == Application.Source.IMPORT
    assert lina.submitted_at is not None
    assert (lina.site, lina.site_choices, lina.language) == (world.north, [world.north.pk], "ar")
    assert (lina.gender, lina.region.code, lina.channel) == ("female", "FR-HDF", "partner")
    assert lina.priority_neighbourhood
    assert lina.attended_information_session
    assert lina.age_band == "18_25"
    assert lina.stages_passed == 1
    assert lina.import_key
    assert len(lina.import_key) == 64
    assert lina.answers["imported_from"] == {"file": "file.csv", "row": 2}
    assert lina.person.phone.as_e164 == "+33611223344"
    assert lina.person.name_key == "haddad lina"
    assert lina.person.site == world.north
    assert lina.stage_results.get().decision == Decision.ADVANCE
    consent = Consent.objects.get(person=lina.person)
    assert (consent.notice_version, consent.recorded_by) == (
        NOTICE_VERSION,
        world.users["officer_a1"],
    )
    yonas = Application.objects.get(person__legal_given_names="Yonas")
    assert yonas.person.email == "yonas@example.org"
    assert yonas.language == world.north.default_language
    assert (yonas.gender, yonas.stages_passed, yonas.attended_information_session) == (
        "male",
        0,
        False,
    )
    assert not yonas.person.consents.exists()
    event = AuditEvent.objects.get(action=AuditAction.CALL_APPLICATIONS_IMPORTED)
    assert (event.subject_id, event.actor) == (call.pk, world.users["officer_a1"])
    assert event.changes["created"]["to"] == 2
    assert set(
        AuditEvent.objects.exclude(action=AuditAction.CALL_CREATED).values_list("action", flat=True)
    ) == {
        AuditAction.PERSON_CREATED,
        AuditAction.CALL_APPLICATIONS_IMPORTED,
    }
    assert AuditEvent.objects.filter(action=AuditAction.PERSON_CREATED).count() == 2


def test_an_xlsx_file_with_date_cells_and_numbers_is_imported(world: World, call: Call) -> None:
    content = xlsx_bytes(
        [
            HEADER,
            row(
                "Amel",
                "Saidi",
                phone=612345670,
                # A date cell: spreadsheets keep no time zone.
                birth_date=dt.datetime(2000, 2, 29, tzinfo=dt.UTC).replace(tzinfo=None),
                consent=True,
                priority_neighbourhood=1,
            ),
            row("Omar", "Ali", email="omar@example.org", birth_date=dt.date(1990, 7, 1)),
            [None] * len(HEADER),  # blank rows are left out
        ]
    )
    report = run(world, call, content, name="applicants.xlsx")
    assert report.problems == []
    assert (report.rows_read, report.created) == (2, 2)
    amel = Person.objects.get(legal_given_names="Amel")
    assert (amel.birth_date, amel.phone.as_e164) == (dt.date(2000, 2, 29), "+33612345670")
    assert amel.priority_neighbourhood
    assert Application.objects.get(person__legal_given_names="Omar").age_band == "31_45"


def test_every_problem_names_its_row_and_column_and_nothing_is_written(
    world: World, call: Call
) -> None:
    rows = [
        [*HEADER, "Favourite colour"],
        [*row("Ok", "Person", phone="0611111111"), "blue"],
        [*row("", "Noname", phone="0611111112"), ""],
        [*row("Bad", "Date", phone="0611111113", birth_date="31/02/2001"), ""],
        [*row("Future", "Born", phone="0611111114", birth_date="2999-01-01"), ""],
        [*row("Bad", "Gender", phone="0611111115", gender="?"), ""],
        [*row("Bad", "Phone", phone="12"), ""],
        [*row("Bad", "Mail", email="not-an-email"), ""],
        [*row("No", "Contact"), ""],
        [*row("Bad", "Region", phone="0611111116", region="Atlantis"), ""],
        [*row("Bad", "Yes", phone="0611111117", priority_neighbourhood="maybe"), ""],
        [*row("Bad", "Channel", phone="0611111118", channel="pigeon"), ""],
        [*row("Bad", "Site", phone="0611111119", site="centre"), ""],
        [*row("Bad", "Language", phone="0611111120", language="klingon"), ""],
        [*row("Again", "Person", phone="06 11 11 11 11"), ""],
    ]
    before = counts()
    report = run(world, call, csv_bytes(rows))
    assert not report.written
    found = {(p.row, p.column) for p in report.problems}
    assert found == {
        (1, "Favourite colour"),
        (3, "given_names"),
        (4, "birth_date"),
        (5, "birth_date"),
        (6, "gender"),
        (7, "phone"),
        (8, "email"),
        (9, "phone"),
        (10, "region"),
        (11, "priority_neighbourhood"),
        (12, "channel"),
        (13, "site"),
        (14, "language"),
        (15, "phone"),
    }
    assert all(p.message for p in report.problems)
    messages = {p.row: p.message for p in report.problems}
    assert "same person as row 2" in messages[15]
    assert "Give a phone number or an e-mail address" in messages[9]
    assert counts() == before


def test_a_missing_column_is_a_problem_on_row_1(world: World, call: Call) -> None:
    content = csv_bytes([["prenom", "nom", "sexe", "telephone"], ["A", "B", "F", "0611111111"]])
    report = run(world, call, content, dry_run=True)
    assert [(p.row, p.column) for p in report.problems] == [(1, "birth_date")]


def test_a_file_that_is_no_spreadsheet_is_a_problem(
    world: World, call: Call, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = run(world, call, b"\xd0\xcf\x11\xe0old excel", name="old.xls")
    assert [(p.row, p.column) for p in report.problems] == [(1, "")]
    assert ".xlsx" in report.problems[0].message
    report = run(world, call, b"PK\x03\x04 not really a zip", name="broken.xlsx")
    assert "cannot be opened" in report.problems[0].message
    monkeypatch.setattr("tremplin.selection.files.reading.MAX_UNZIPPED_BYTES", 1000)
    report = run(world, call, xlsx_bytes([HEADER]), name="bomb.xlsx")
    assert "too large" in report.problems[0].message


def test_one_bad_row_writes_nothing(world: World, call: Call) -> None:
    rows = [HEADER, *people_rows(20), row("Bad", "Date", phone="0699999999", birth_date="soon")]
    before = counts()
    report = run(world, call, csv_bytes(rows))
    assert [(p.row, p.column) for p in report.problems] == [(22, "birth_date")]
    assert counts() == before


def test_importing_the_same_file_again_creates_nothing(world: World, call: Call) -> None:
    content = csv_bytes([HEADER, *people_rows(5)])
    first = run(world, call, content)
    assert (first.created, first.already_imported) == (5, 0)
    before = counts()
    again = run(world, call, content)
    assert again.problems == []
    assert (again.created, again.already_imported) == (0, 5)
    assert counts()[:4] == before[:4]


def test_a_person_already_known_is_linked_and_completed_not_duplicated(
    world: World, call: Call
) -> None:
    assert not world.bilal.phone
    content = csv_bytes(
        [
            HEADER,
            row("Amina", "Diallo", email="AMINA@example.org"),
            # Bilal is known at Alpha South by name and birth date; the file adds his phone.
            row("bilal", "HADDAD", phone="0622334455", birth_date="2001-05-17", gender="M"),
        ]
    )
    people = Person.objects.count()
    report = run(world, call, content)
    assert (report.created, report.linked_to_existing) == (2, 2)
    assert Person.objects.count() == people
    assert Application.objects.get(person=world.amina).source == Application.Source.IMPORT
    world.bilal.refresh_from_db()
    assert world.bilal.phone.as_e164 == "+33622334455"
    assert "622334455" in world.bilal.search_text
    # Amina already had her consent: not recorded twice.
    assert world.amina.consents.count() == 1
    assert world.bilal.consents.count() == 1
    updated = AuditEvent.objects.get(action=AuditAction.PERSON_UPDATED, subject_id=world.bilal.pk)
    assert updated.changes == {
        "phone": {"from": "", "to": "+33622334455"},
        "country": {"from": "", "to": "FR"},
    }


def test_two_rows_for_the_same_known_person_are_a_problem(world: World, call: Call) -> None:
    content = csv_bytes(
        [
            HEADER,
            row("Amina", "Diallo", email="amina@example.org"),
            row("A.", "Diallo", phone="+33 6 12 34 56 78", birth_date="1998-01-01"),
        ]
    )
    report = run(world, call, content)
    assert [(p.row, p.column) for p in report.problems] == [(3, "phone")]
    assert not Application.objects.exists()


def test_someone_who_already_applied_is_counted_as_already_imported(
    world: World, call: Call
) -> None:
    applicant(call, world.amina)
    report = run(
        world, call, csv_bytes([HEADER, row("Amina", "Diallo", email="amina@example.org")])
    )
    assert (report.created, report.already_imported, report.problems) == (0, 1, [])
    assert Application.objects.count() == 1


def test_a_check_in_at_an_information_session_counts_as_attended(world: World, call: Call) -> None:
    start = dt.datetime(2027, 1, 10, 14, tzinfo=dt.UTC)
    session = InformationSession.objects.create(
        site=world.north,
        title="Discover",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        capacity=10,
        place="Hall",
        public_key="k1",
    )
    Registration.objects.create(
        session=session,
        given_names="Rania",
        family_name="Haddad",
        phone="+33611111111",
        channel="partner",
        status="registered",
        checked_in_at=start,
    )
    run(world, call, csv_bytes([HEADER, row("Rania", "Haddad", phone="06 11 11 11 11")]))
    application = Application.objects.get()
    assert application.attended_information_session
    assert application.stages_passed == 1


def test_another_organisation_cannot_import_into_the_call(world: World, call: Call) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        applications_import(
            actor=world.users["manager_b1"],
            call=call,
            file_name="f.csv",
            content=csv_bytes([HEADER]),
            dry_run=True,
        )


def test_the_import_makes_no_query_per_row(world: World, call: Call) -> None:
    """Reads are a fixed set; writes are bulk inserts (one per batch: on SQLite a batch holds
    999 parameters, about 35 rows), never one per row."""
    selects = []
    for size, offset in ((50, 0), (500, 1000)):
        rows = [HEADER, *people_rows(size + offset)[offset:]]
        call = Call.objects.select_related("site").get(pk=call.pk)  # as the pages fetch it
        with CaptureQueriesContext(connection) as queries:
            report = run(world, call, csv_bytes(rows))
        assert report.created == size
        assert len(queries) < 80, len(queries)
        selects.append(sum(q["sql"].lstrip().upper().startswith("SELECT") for q in queries))
    assert selects[0] == selects[1]


@pytest.mark.parametrize("size", [50, 500])
def test_the_import_stays_under_one_query_bound(
    world: World, call: Call, size: int, django_assert_max_num_queries: Any
) -> None:
    content = csv_bytes([HEADER, *people_rows(size)])
    with django_assert_max_num_queries(80):
        report = run(world, call, content)
    assert report.created == size


# --- The command -------------------------------------------------------------------------------


def test_the_command_imports_and_says_what_it_did(world: World, call: Call, tmp_path: Path) -> None:
    file = tmp_path / "applicants.csv"
    file.write_bytes(csv_bytes([HEADER, *people_rows(3)]))
    out = io.StringIO()
    call_command("import_applications", "--call", call.slug, str(file), "--dry-run", stdout=out)
    assert "3 application(s) would be created" in out.getvalue()
    assert not Application.objects.exists()
    out = io.StringIO()
    call_command("import_applications", "--call", call.slug, str(file), stdout=out)
    assert "3 application(s) created" in out.getvalue()
    assert Application.objects.count() == 3
    event = AuditEvent.objects.get(action=AuditAction.CALL_APPLICATIONS_IMPORTED)
    assert (event.actor, event.note) == (None, "command line")


def test_the_command_exits_with_2_and_lists_problems(
    world: World, call: Call, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.core.management import base

    file = tmp_path / "applicants.csv"
    file.write_bytes(csv_bytes([HEADER, row("No", "Contact"), row("Bad", "G", gender="?")]))
    out = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command("import_applications", "--call", call.slug, str(file), stdout=out)
    assert error.value.returncode == 2
    assert "row 2, column phone: Give a phone number or an e-mail address." in out.getvalue()
    assert "row 3, column gender:" in out.getvalue()
    # As a shell sees it (the command would close the test's database connection).
    monkeypatch.setattr(base.connections, "close_all", lambda: None)
    from tremplin.cli import main

    with pytest.raises(SystemExit) as exit_:
        main(["tremplin", "import-applications", "--call", call.slug, str(file)])
    assert exit_.value.code == 2
    assert not Application.objects.exists()


def test_the_command_names_an_unknown_call(world: World, tmp_path: Path) -> None:
    file = tmp_path / "applicants.csv"
    file.write_bytes(csv_bytes([HEADER]))
    with pytest.raises(CommandError, match="No call for applications has the short name 'nope'"):
        call_command("import_applications", "--call", "nope", str(file))


# --- Pages -------------------------------------------------------------------------------------


def test_an_officer_checks_a_file_then_confirms_the_import(
    world: World, call: Call, settings: Any, tmp_path: Path
) -> None:
    settings.TREMPLIN_IMPORT_DIR = tmp_path / "imports"
    client = world.client_for("officer_a1")
    url = reverse("selection:call-import", args=[call.pk])
    page = client.get(url).content.decode()
    assert "Check the file" in page
    assert "given_names" in page
    assert reverse("selection:call-import-template", args=[call.pk]) in page

    upload = io.BytesIO(xlsx_bytes([HEADER, *people_rows(4)]))
    upload.name = "applicants.xlsx"
    page = client.post(url, {"action": "check", "file": upload}).content.decode()
    assert "4 applications will be created" in page
    assert not Application.objects.exists()
    kept = list((tmp_path / "imports").iterdir())
    assert len(kept) == 1
    token = client.session["upload:selection_import"]["token"]

    response = client.post(url, {"action": "import", "token": token})
    assert response.status_code == 302
    assert Application.objects.filter(call=call).count() == 4
    assert not kept[0].exists()
    assert "upload:selection_import" not in client.session
    assert "Imported: 4 applications" in client.get(url).content.decode()
    # The same confirm again finds no file and writes nothing more.
    client.post(url, {"action": "import", "token": token})
    assert Application.objects.count() == 4


def test_the_page_lists_the_problems_and_keeps_no_file(
    world: World, call: Call, settings: Any, tmp_path: Path
) -> None:
    settings.TREMPLIN_IMPORT_DIR = tmp_path / "imports"
    client = world.client_for("officer_a1")
    upload = io.BytesIO(csv_bytes([HEADER, row("No", "Contact"), row("Ok", "X", phone="1")]))
    upload.name = "applicants.csv"
    response = client.post(
        reverse("selection:call-import", args=[call.pk]), {"action": "check", "file": upload}
    )
    page = response.content.decode()
    assert "2 problems in the file: nothing was written." in page
    assert 'data-label="Row">2<' in page
    assert 'data-label="Column">phone<' in page
    assert not (tmp_path / "imports").exists() or not any((tmp_path / "imports").iterdir())
    assert 'value="import"' not in page


def test_a_manager_of_another_organisation_gets_404_and_a_trainer_403(
    world: World, call: Call
) -> None:
    for name, args in (
        ("selection:call-import", [call.pk]),
        ("selection:call-import-template", [call.pk]),
        ("selection:call-export", [call.pk]),
        ("selection:stage-scores-import", [call.pk, written_exam(call).pk]),
    ):
        url = reverse(name, args=args)
        assert world.client_for("manager_b1").get(url).status_code == 404, name
        assert world.client_for("trainer_a1").get(url).status_code == 403, name
        assert world.client_for("officer_a1").get(url).status_code == 200, name


def test_the_template_has_the_columns(world: World, call: Call) -> None:
    response = world.client_for("officer_a1").get(
        reverse("selection:call-import-template", args=[call.pk])
    )
    text = response.content.decode("utf-8-sig")
    assert text.splitlines() == [",".join(HEADER)]
    report = run(world, call, response.content, dry_run=True)
    assert (report.problems, report.rows_read) == ([], 0)
