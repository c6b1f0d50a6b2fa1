"""Bulk import of applications from an XLSX file, at the size of a national call.

Usage: .venv/bin/python benchmarks/import_applications.py [--rows 10452] [--database URL]

Builds a scratch database (a temporary SQLite file unless --database names another, which
is emptied), an organisation with one French site and an open call, and an XLSX file of
synthetic applicants (names of the demo population, French mobile phones, regions, dates as
date cells). Then times, as the command line would run them: the dry run (read and check
every row), the import (check again and write, in one transaction), and the same file
imported again (everything already there). Peak memory is measured apart, with tracemalloc,
on a fresh call of another organisation (tracemalloc slows Python down). Prints a table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import re
import sys
import tempfile
import time
import tracemalloc
import zipfile
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, unescape

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def make_xlsx(rows: int, regions: list[str], seed: int = 7) -> bytes:
    import openpyxl

    from tremplin.core.text import name_key
    from tremplin.demo.population import PopulationMaker
    from tremplin.outreach.models import Channel

    maker = PopulationMaker(seed)
    pick = random.Random(seed)
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Applicants")
    sheet.append(
        [
            "Prénom",
            "Nom",
            "Date de naissance",
            "Sexe",
            "Téléphone",
            "Courriel",
            "Région",
            "QPV",
            "Canal",
            "Langue",
            "Information session",
            "Consentement",
        ]
    )
    seen: set[Any] = set()
    made = 0
    while made < rows:
        person = maker.person(
            country="FR",
            city="Paris",
            age_range=(17, 45),
            women_share=0.52,
            migrant_share=0.6,
            reference=dt.date(2026, 11, 1),
        )
        keys = {
            ("phone", person.phone),
            ("name", name_key(person.given, person.family), person.birth_date),
        }
        if person.email:
            keys.add(("email", person.email))
        if keys & seen:
            continue  # the same person twice would be a problem row: keep the file clean
        seen |= keys
        national = "0" + person.phone[3:]
        phone = person.phone if pick.random() < 0.5 else f"{national[:2]} {national[2:]}"
        sheet.append(
            [
                person.given,
                person.family,
                person.birth_date,
                {"female": "F", "male": "H"}.get(person.gender, person.gender),
                phone,
                person.email,
                pick.choice(regions),
                pick.choice(["oui", "non", ""]),
                pick.choice([*Channel.values, ""]),
                pick.choice(["fr", "fr", "en", "ar", ""]),
                pick.choice(["oui", "non"]),
                "oui",
            ]
        )
        made += 1
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def as_excel_saves_it(content: bytes) -> bytes:
    """The same workbook with its text in a shared-strings table, as Excel and LibreOffice
    save it (openpyxl writes every text cell inline, which openpyxl also reads slower)."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    target = zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED)
    strings: dict[str, int] = {}

    def shared(match: re.Match[bytes]) -> bytes:
        attributes = match.group(1).replace(b't="inlineStr"', b't="s"')
        index = strings.setdefault(unescape(match.group(2).decode()), len(strings))
        return b"<c" + attributes + b"><v>" + str(index).encode() + b"</v></c>"

    for item in source.infolist():
        data = source.read(item.filename)
        if item.filename.startswith("xl/worksheets/"):
            data = re.sub(
                rb'<c([^>]*t="inlineStr"[^>]*)><is><t[^>]*>(.*?)</t></is></c>', shared, data
            )
        elif item.filename == "[Content_Types].xml":
            data = data.replace(
                b"</Types>",
                b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
            )
        elif item.filename == "xl/_rels/workbook.xml.rels":
            data = data.replace(
                b"</Relationships>",
                b'<Relationship Id="rIdShared" Type="http://schemas.openxmlformats.org/'
                b'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
                b"</Relationships>",
            )
        target.writestr(item, data)
    items = "".join(f'<si><t xml:space="preserve">{escape(s)}</t></si>' for s in strings)
    target.writestr(
        "xl/sharedStrings.xml",
        '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
        f'spreadsheetml/2006/main" count="{len(strings)}" uniqueCount="{len(strings)}">'
        f"{items}</sst>",
    )
    target.close()
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_452)
    parser.add_argument("--database", default=os.environ.get("BENCH_DATABASE_URL", ""))
    args = parser.parse_args()
    scratch = tempfile.mkdtemp(prefix="tremplin-bench-")
    os.environ["DATABASE_URL"] = args.database or f"sqlite:///{scratch}/bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if args.database:
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)

    from tremplin.core.models import User
    from tremplin.demo.loader import regions_ensure
    from tremplin.network.models import Organisation, Programme, ProgrammeRun, Role, Site
    from tremplin.network.services import role_grant
    from tremplin.selection.files.applications import applications_import
    from tremplin.selection.files.rows import ImportReport
    from tremplin.selection.models import Application, Call
    from tremplin.selection.services.calls import call_create

    regions = regions_ensure({"FR"})
    officer = User.objects.create_user(email="officer@bench.org", password="x" * 12)

    def fresh_call(slug: str) -> Call:
        organisation = Organisation.objects.create(name=f"Bench {slug}", slug=slug)
        site = Site.objects.create(
            organisation=organisation, name="Paris", slug="paris", city="Paris", country="FR"
        )
        programme = Programme.objects.create(
            organisation=organisation, title="Digital basics", slug="basics", duration_weeks=6
        )
        run = ProgrammeRun.objects.create(
            programme=programme,
            site=site,
            title="Basics 2027",
            starts_on=dt.date(2027, 1, 4),
            ends_on=dt.date(2027, 3, 1),
            seats=24,
        )
        role_grant(
            user=officer, role=Role.SELECTION_OFFICER, organisation_id=organisation.pk, site=site
        )
        call = call_create(
            actor=officer,
            run=run,
            slug=slug,
            title=f"Call {slug}",
            opens_on=dt.date(2026, 10, 1),
            closes_on=dt.date(2026, 12, 15),
            process="passerelles",
        )
        Call.objects.filter(pk=call.pk).update(published=True)
        return Call.objects.select_related("site").get(pk=call.pk)

    started = time.perf_counter()
    content = make_xlsx(args.rows, [r.name for r in regions.values()])
    made_in = time.perf_counter() - started
    print(f"XLSX of {args.rows:,} rows: {len(content) / 1e6:.2f} MB, made in {made_in:.1f} s")

    excel = as_excel_saves_it(content)

    def timed(call: Call, data: bytes, dry_run: bool) -> tuple[ImportReport, float, int]:
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            report = applications_import(
                actor=None, call=call, file_name="applicants.xlsx", content=data, dry_run=dry_run
            )
            seconds = time.perf_counter() - start
        assert not report.problems, report.problems[:5]
        return report, seconds, len(queries)

    call = fresh_call("bench-a")
    dry, dry_s, dry_q = timed(call, content, True)
    done, import_s, import_q = timed(call, content, False)
    again, again_s, again_q = timed(call, content, False)
    assert done.created == args.rows == Application.objects.filter(call=call).count()
    assert again.already_imported == args.rows
    assert again.created == 0
    excel_call = fresh_call("bench-excel")
    excel_dry, excel_dry_s, _q = timed(excel_call, excel, True)
    excel_done, excel_s, excel_q = timed(excel_call, excel, False)
    assert excel_done.created == args.rows

    memory_call = fresh_call("bench-memory")
    tracemalloc.start()
    applications_import(
        actor=None, call=memory_call, file_name="a.xlsx", content=content, dry_run=True
    )
    _now, dry_peak = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    applications_import(
        actor=None, call=memory_call, file_name="a.xlsx", content=content, dry_run=False
    )
    _now, import_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    print(f"\nApplications import on {connection.vendor}\n")
    print("| what | rows | created | seconds | queries | peak memory (tracemalloc) |")
    print("|---|---:|---:|---:|---:|---:|")
    print(
        f"| dry run (read, check, match) | {dry.rows_read:,} | ({dry.created:,}) | "
        f"{dry_s:.2f} | {dry_q} | {dry_peak / 2**20:.0f} MiB |"
    )
    print(
        f"| import (read, check, write) | {done.rows_read:,} | {done.created:,} | "
        f"{import_s:.2f} | {import_q} | {import_peak / 2**20:.0f} MiB |"
    )
    print(
        f"| same file again (nothing new) | {again.rows_read:,} | {again.created} | "
        f"{again_s:.2f} | {again_q} | |"
    )
    print(
        f"| dry run, file as Excel saves it | {excel_dry.rows_read:,} | "
        f"({excel_dry.created:,}) | {excel_dry_s:.2f} | | |"
    )
    print(
        f"| import, file as Excel saves it | {excel_done.rows_read:,} | "
        f"{excel_done.created:,} | {excel_s:.2f} | {excel_q} | |"
    )


if __name__ == "__main__":
    main()
