"""`tremplin simulate-placement --bank ITEMS.csv --people N --seed S`: simulated test-takers
through the adaptive test and through fixed linear tests of 32 items on the same bank: mean
and 90th-percentile test length, RMSE of θ and the share placed in the right band."""

from __future__ import annotations

import math
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tremplin.core.command_files import USAGE_EXIT_CODE, input_read
from tremplin.placement.adaptive import Rules
from tremplin.placement.simulation import BankFileError, outcome_table, read_bank, simulate

MALFORMED_EXIT_CODE = USAGE_EXIT_CODE
MAX_PEOPLE = 1_000_000


class Command(BaseCommand):
    help = "Compare the adaptive test with fixed 32-item tests on simulated test-takers."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bank", required=True, help="ITEMS.csv: item_id, a, b (, area)")
        parser.add_argument("--people", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--se", type=float, default=0.3, help="Standard error to stop at.")
        parser.add_argument("--max-items", type=int, default=20)

    def handle(self, *args: Any, **options: Any) -> None:
        content = input_read(options["bank"])
        if not 1 <= options["people"] <= MAX_PEOPLE:
            raise CommandError(
                f"--people must be between 1 and {MAX_PEOPLE:,}.", returncode=MALFORMED_EXIT_CODE
            )
        if not 0 < options["se"] < math.inf:
            raise CommandError(
                "--se must be a number above 0, such as 0.3.", returncode=MALFORMED_EXIT_CODE
            )
        if options["max_items"] < 1:
            raise CommandError("--max-items must be at least 1.", returncode=MALFORMED_EXIT_CODE)
        try:
            bank = read_bank(content)
        except BankFileError as error:
            for message in error.messages:
                self.stderr.write(message)
            raise CommandError(
                "The bank file cannot be used.", returncode=MALFORMED_EXIT_CODE
            ) from error
        rules = Rules(se_target=options["se"], max_items=options["max_items"])
        outcomes = simulate(bank, people=options["people"], seed=options["seed"], rules=rules)
        self.stdout.write(
            f"{len(bank)} items, {options['people']} simulated people (θ ~ N(0, 1)), seed "
            f"{options['seed']}; adaptive: stop at SE < {rules.se_target} or "
            f"{rules.max_items} items, best of {rules.best_of}, areas balanced."
        )
        self.stdout.write(outcome_table(outcomes))
