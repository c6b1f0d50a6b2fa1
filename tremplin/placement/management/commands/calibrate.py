"""`tremplin calibrate RESPONSES.csv --out ITEMS.csv`: 2PL item parameters (a, b in the
logistic metric), their standard errors and fit, from a wide response file. Exit 0 when items
were estimated (problems in the file are listed, the rest is still estimated), 2 when the file
cannot be used at all (the row or column is named; nothing is written) or an argument has a
problem (a file missing, an output folder that does not exist)."""

from __future__ import annotations

import io
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tremplin.core.command_files import USAGE_EXIT_CODE, input_read, output_check, output_write
from tremplin.placement.calibration import (
    FLAG_WORDS,
    ResponseFileError,
    calibrate,
    read_responses_text,
    write_items,
)

MALFORMED_EXIT_CODE = USAGE_EXIT_CODE


class Command(BaseCommand):
    help = (
        "Estimate each item's discrimination (a) and difficulty (b) from answers: person_id, "
        "then one column per item with 1, 0 or nothing (not presented)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("responses", help="RESPONSES.csv")
        parser.add_argument("--out", required=True, help="Where to write ITEMS.csv.")
        parser.add_argument("--seed", type=int, default=2026, help="Seed of the fit statistic.")

    def handle(self, *args: Any, **options: Any) -> None:
        content = input_read(options["responses"])
        out = output_check(options["out"])
        try:
            responses = read_responses_text(content)
            result = calibrate(responses, seed=options["seed"])
        except ResponseFileError as error:
            for message in error.messages:
                self.stderr.write(message)
            raise CommandError(
                "Nothing was estimated. Correct the file and run the command again.",
                returncode=MALFORMED_EXIT_CODE,
            ) from error
        items = io.StringIO()
        write_items(result, items)
        output_write(out, items.getvalue())
        for message in result.problems:
            self.stderr.write(message)
        flagged = [item for item in result.items if item.misfit]
        self.stdout.write(
            f"{len(result.items)} items estimated from {result.people_used} people "
            f"({'converged' if result.converged else 'NOT converged'}, "
            f"log-likelihood {result.log_likelihood:.1f}); {len(flagged)} flagged."
        )
        for item in flagged:
            words = ", ".join(FLAG_WORDS[f] for f in item.flags)
            self.stdout.write(f"  {item.item}: {words} (a {item.a:.2f}, b {item.b:.2f})")
        if result.problems:
            self.stdout.write(f"{len(result.problems)} problem(s) in the file, listed above.")
