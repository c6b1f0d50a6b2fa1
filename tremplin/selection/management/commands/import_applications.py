"""`tremplin import-applications --call SLUG FILE [--dry-run]`: applications from a CSV or
XLSX file, all or nothing. Exit code 0 when the file is clean (and imported, unless
--dry-run), 2 when a row has a problem (then nothing is written) or an argument does (no call
with that short name, no file at that path)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tremplin.core.command_files import USAGE_EXIT_CODE, input_read
from tremplin.selection.files.applications import applications_import
from tremplin.selection.files.rows import ImportReport
from tremplin.selection.models import Call

PROBLEMS_EXIT_CODE = USAGE_EXIT_CODE


class Command(BaseCommand):
    help = (
        "Import applications to a call from a CSV or XLSX file (one row per applicant). "
        "Nothing is written if any row has a problem; importing the same file again "
        "creates nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--call", required=True, help="The call's short name (slug).")
        parser.add_argument("file", help="A .csv (UTF-8) or .xlsx file; row 1 names the columns.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and report, write nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        slug: str = options["call"]
        call = Call.objects.select_related("site").filter(slug=slug).first()
        if call is None:
            raise CommandError(
                f"No call for applications has the short name {slug!r}. "
                "The short name is in the call's public link, for example pn-kh-2027.",
                returncode=USAGE_EXIT_CODE,
            )
        path = Path(options["file"])
        content = input_read(options["file"])
        report = applications_import(
            actor=None,
            call=call,
            file_name=path.name,
            content=content,
            dry_run=options["dry_run"],
        )
        self.stdout.write(report_text(report, call=call, file_name=path.name))
        if report.problems:
            raise CommandError(
                f"{len(report.problems)} problem(s): nothing was written. "
                "Correct the file and run the command again.",
                returncode=PROBLEMS_EXIT_CODE,
            )


def report_text(report: ImportReport, *, call: Call, file_name: str) -> str:
    lines = [f"Call {call.slug}, file {file_name}: {report.rows_read} row(s) read."]
    for problem in report.problems:
        column = f", column {problem.column}" if problem.column else ""
        lines.append(f"row {problem.row}{column}: {problem.message}")
    if report.problems:
        return "\n".join(lines)
    verb = "would be created" if report.dry_run else "created"
    lines.append(
        f"{report.created} application(s) {verb}, {report.linked_to_existing} of them for "
        f"people already known; {report.already_imported} already imported (skipped)."
    )
    if report.dry_run:
        lines.append("Dry run: nothing was written.")
    return "\n".join(lines)
