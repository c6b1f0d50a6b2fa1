"""What the network tells the apps on its right, which it cannot import (docs/architecture.md,
"Links between stages"). A receiver runs inside the sender's transaction: when it fails,
nothing of the change is kept."""

from __future__ import annotations

from django.dispatch import Signal

# Sent when a run is replicated to another site (essaimage), with ``actor``, ``run`` (the
# run copied) and ``replica`` (the new run): training copies the run's cohorts' set-up.
run_replicated = Signal()
