from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tremplin.demo.loader import DEMO_PASSWORD, demo_load, demo_remove


class Command(BaseCommand):
    help = (
        "Load the demo network (four organisations, staff, people, calls for applications) "
        "and print the logins."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2026, help="Seed of the population.")
        parser.add_argument(
            "--reset", action="store_true", help="Remove the demo network first, then load it."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["reset"]:
            demo_remove()
        result = demo_load(seed=options["seed"])
        if result.created:
            self.stdout.write(
                f"Demo network loaded: {result.people} people, {result.applications} applications."
            )
        else:
            self.stdout.write("Demo network already loaded (use --reset to load it again).")
        self.stdout.write("")
        self.stdout.write(f"Demo logins — password for all: {DEMO_PASSWORD}")
        width = max(len(login.email) for login in result.logins)
        for login in result.logins:
            self.stdout.write(f"  {login.email.ljust(width)}  {login.role} — {login.where}")
