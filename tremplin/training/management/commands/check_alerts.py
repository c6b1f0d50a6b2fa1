"""Check every learner in training against their programme's early-warning rules (run it
nightly; the roll call also checks the learners whose marks change)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tremplin.training.services.alert_checks import alerts_check


class Command(BaseCommand):
    help = "Check every learner in training against the early-warning rules; raise alerts."

    def handle(self, *args: Any, **options: Any) -> None:
        raised = alerts_check()
        self.stdout.write(f"{len(raised)} alert(s) raised.")
