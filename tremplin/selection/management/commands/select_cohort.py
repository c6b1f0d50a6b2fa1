"""`tremplin select-cohort --applicants A.csv --rules R.yaml --out S.csv`: the best cohort that
keeps every rule, from a committee's spreadsheet. Exit code 0 when the cohort is proved
optimal, 3 when the rules cannot all hold (the least relaxation is written), 2 when a file has
a problem (each one names its row or key; nothing is written), or an argument does (a file
missing, an output folder that does not exist)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tremplin.core.command_files import USAGE_EXIT_CODE, input_read, output_check, output_write
from tremplin.selection.cohort.files import read_applicants, read_rules, summary, write_selection
from tremplin.selection.cohort.milp import Status
from tremplin.selection.cohort.problem import ProblemError
from tremplin.selection.cohort.solving import solve

MALFORMED_EXIT_CODE = USAGE_EXIT_CODE
INFEASIBLE_EXIT_CODE = 3


class Command(BaseCommand):
    help = (
        "Choose the cohort with the highest total score that keeps every rule (seats, seats "
        "per site, shares and counts per attribute, committee choices), prove it is the best, "
        "and explain each decision."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--applicants", required=True, help="A.csv: id, score, site, must…")
        parser.add_argument("--rules", required=True, help="R.yaml: seats, sites, rules.")
        parser.add_argument("--out", required=True, help="Where to write S.csv.")

    def handle(self, *args: Any, **options: Any) -> None:
        applicants_path = Path(options["applicants"])
        rules_path = Path(options["rules"])
        applicants_content = input_read(options["applicants"])
        rules_content = input_read(options["rules"])
        out = output_check(options["out"])
        try:
            applicants = read_applicants(applicants_content, name=applicants_path.name)
            problem = read_rules(rules_content, applicants=applicants, name=rules_path.name)
            solution = solve(problem)
        except ProblemError as error:
            for message in error.messages:
                self.stderr.write(message)
            raise CommandError(
                f"{len(error.messages)} problem(s): nothing was solved. Correct the files and "
                "run the command again.",
                returncode=MALFORMED_EXIT_CODE,
            ) from error
        output_write(out, write_selection(problem, solution))
        self.stdout.write(summary(problem, solution))
        if solution.status == Status.INFEASIBLE:
            raise CommandError(
                "The rules cannot all hold; the least relaxation is in the output file.",
                returncode=INFEASIBLE_EXIT_CODE,
            )
