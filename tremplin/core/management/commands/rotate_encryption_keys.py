from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tremplin.core.encryption import rotate_keys


class Command(BaseCommand):
    help = (
        "Re-encrypt every sensitive value with the first key of TREMPLIN_ENCRYPTION_KEYS. "
        "Run it after putting a new key first; then the old keys can be removed."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        counts = rotate_keys()
        for label, rows in counts.items():
            self.stdout.write(f"{label}: {rows} rows re-encrypted")
        self.stdout.write(self.style.SUCCESS("Done: the old keys can now be removed."))
