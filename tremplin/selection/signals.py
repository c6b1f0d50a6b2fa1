"""What selection tells the apps on its right, which it cannot import (see
docs/architecture.md, "Links between stages"). A receiver runs inside the sender's
transaction."""

from __future__ import annotations

from django.dispatch import Signal

# Sent when an application is submitted through the public form, with ``application`` (the
# submitted Application, its person set): a placement test the person finished before
# applying then gives its score to the call's placement stage.
application_submitted = Signal()
