"""What outreach tells the apps on its right, which it cannot import (see docs/architecture.md,
"Layering"). A receiver runs inside the sender's transaction, so what it writes is kept or
rolled back with the change it reacts to."""

from __future__ import annotations

from django.dispatch import Signal

# Sent once people are checked in at an information session (at the door, or as walk-ins),
# with ``actor`` (the user, or None for the public registration) and ``registration_ids``
# (a list of the registrations just checked in).
people_checked_in = Signal()
