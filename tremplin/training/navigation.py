"""What training adds to the navigation, the dashboard and a person's page."""

from __future__ import annotations

# --- progress and projects (issue 13, items 6 and 7) -----------------------------------------
from typing import Any

from django.http import HttpRequest

from tremplin.core.models import User
from tremplin.core.registry import LightPage, PersonPanel, registry
from tremplin.training.models import Cohort, Enrolment
from tremplin.training.selectors.access import can_use_training, cohort_filter

# The learner's own progress, on their phone: light enough for a 2G link (decision 0018).
registry.add_light_page(
    LightPage(url_name="training:learner-progress", templates=("training/learner_progress.html",))
)


def _progress_panel(request: HttpRequest, user: User, person: Any) -> dict[str, Any] | None:
    """The person's cohorts the user may see, each with a link to their progress, the
    heat map and the projects."""
    if not can_use_training(user):
        return None
    visible = Cohort.objects.filter(cohort_filter(user)).values("pk")
    enrolments = list(
        Enrolment.objects.filter(person=person, cohort_id__in=visible)
        .select_related("cohort")
        .order_by("-joined_on")[:10]
    )
    return {"enrolments": enrolments} if enrolments else None


registry.add_person_panel(
    PersonPanel(order=45, build=_progress_panel, template="training/_progress_person_panel.html")
)
