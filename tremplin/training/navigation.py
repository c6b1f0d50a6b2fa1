"""What training adds to the navigation, the dashboard and a person's page."""

from __future__ import annotations

# --- progress and projects (issue 13, items 6 and 7) -----------------------------------------
from tremplin.core.registry import LightPage, registry

# The learner's own progress, on their phone: light enough for a 2G link (decision 0018).
registry.add_light_page(
    LightPage(url_name="training:learner-progress", templates=("training/learner_progress.html",))
)
