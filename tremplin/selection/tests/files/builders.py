"""Files to import in the tests: a CSV or XLSX file from rows, a row of applicant, and the
import run as an officer."""

from __future__ import annotations

import csv
import io
from typing import Any

import openpyxl

from conftest import World
from tremplin.core.models import AuditEvent
from tremplin.people.models import Consent, Person
from tremplin.selection.files.applications import applications_import
from tremplin.selection.files.rows import ImportReport
from tremplin.selection.models import Application, Call, Stage, StageResult

HEADER = [
    "given_names",
    "family_name",
    "birth_date",
    "gender",
    "phone",
    "email",
    "region",
    "priority_neighbourhood",
    "channel",
    "site",
    "language",
    "information_session",
    "consent",
]


def csv_bytes(rows: list[list[Any]], *, delimiter: str = ",", bom: bool = False) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(rows)
    return ("\ufeff" if bom else "").encode() + out.getvalue().encode()


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def row(given: str, family: str, phone: str = "", email: str = "", **values: Any) -> list[Any]:
    base = {
        "given_names": given,
        "family_name": family,
        "birth_date": "2001-04-12",
        "gender": "female",
        "phone": phone,
        "email": email,
        "region": "",
        "priority_neighbourhood": "",
        "channel": "",
        "site": "",
        "language": "",
        "information_session": "",
        "consent": "yes",
        **values,
    }
    return [base[name] for name in HEADER]


def people_rows(count: int) -> list[list[Any]]:
    return [
        row(f"Given{i}", f"Family{i}", phone=f"06{10_000_000 + i:08d}", email=f"p{i}@example.org")
        for i in range(count)
    ]


def run(
    world: World, call: Call, content: bytes, *, dry_run: bool = False, name: str = "file.csv"
) -> ImportReport:
    return applications_import(
        actor=world.users["officer_a1"],
        call=call,
        file_name=name,
        content=content,
        dry_run=dry_run,
    )


def counts() -> tuple[int, int, int, int, int]:
    return (
        Person.objects.count(),
        Application.objects.count(),
        Consent.objects.count(),
        StageResult.objects.count(),
        AuditEvent.objects.count(),
    )


def written_exam(call: Call) -> Stage:
    return call.stages.get(kind="written_exam")
