"""What training tells the apps on its right (partners, outcomes, volunteers), which it
cannot import, and what one part of training tells another (docs/architecture.md, "Links
between stages"). A receiver runs inside the sender's transaction."""

from __future__ import annotations

from django.dispatch import Signal

# Sent when a learner leaves training, with ``enrolment`` (its status: graduated, left_early
# or transferred; left_on and exit_reason set). The internship and follow-up work starts
# from it; training itself sends the end-of-course survey to graduates.
learner_left_training = Signal()

# Sent when roll-call marks are saved, with ``session`` and ``enrolment_ids`` (the learners
# whose marks changed): early warning checks those learners' rules in the background.
marks_saved = Signal()
