"""What training adds to the navigation, the dashboard and a person's page."""

from __future__ import annotations

# --- cohorts and learners (cohorts) ---------------------------------------------------------
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tremplin.core.models import User
from tremplin.core.registry import LightPage, NavItem, PersonPanel, registry
from tremplin.training.selectors.access import can_use_training
from tremplin.training.selectors.cohorts import person_enrolments, trainer_people

registry.add_nav(
    NavItem(
        label=_("Training"),
        url_name="training:cohort-list",
        icon="mortarboard",
        order=8,
        visible=can_use_training,
        active_prefix="/training/",
    )
)

# A trainer sees only the learners of the cohorts they teach (people.selectors.person_filter).
registry.add_person_scope(trainer_people)


def _person_panel(request: HttpRequest, user: User, person: Any) -> dict[str, Any] | None:
    """The person's enrolments in the cohorts the user sees, with their status."""
    if not can_use_training(user):
        return None
    enrolments = person_enrolments(user=user, person=person)
    if not enrolments:
        return None
    return {"enrolments": enrolments}


registry.add_person_panel(
    PersonPanel(order=40, build=_person_panel, template="training/_person_panel.html")
)

# The learner's home, opened from their private link on a phone (docs/decisions/0018).
registry.add_light_page(
    LightPage(url_name="training:learner-home", templates=("training/learner_home.html",))
)
# --- end of cohorts and learners ------------------------------------------------------------
