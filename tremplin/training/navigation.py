"""What training adds to the navigation, the dashboard and a person's page."""

from __future__ import annotations

# --- Early warning and the end-of-course survey (alerts) ------------------------------------
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

# --- timetable ---------------------------------------------------------------------------
from django.utils.translation import gettext_lazy as _

from tremplin.core.models import User

# --- progress and projects (issue 13, items 6 and 7) -----------------------------------------
from tremplin.core.registry import LightPage, NavItem, PersonPanel, Tile, registry
from tremplin.network.models import Role
from tremplin.network.selectors import scope_for
from tremplin.training.models import Cohort, Enrolment
from tremplin.training.selectors import alerts as alert_selectors
from tremplin.training.selectors.access import (
    can_use_training,
    cohort_filter,
)
from tremplin.training.selectors.attendance import rollcall_today
from tremplin.training.selectors.certificates import person_certificates
from tremplin.training.selectors.cohorts import person_enrolments, trainer_people


def _teaches_somewhere(user: User) -> bool:
    return bool(scope_for(user).site_ids({Role.TRAINER}))


registry.add_nav(
    NavItem(
        label=_("My timetable"),
        url_name="training:week-trainer",
        icon="calendar-week",
        order=11,
        visible=_teaches_somewhere,
        active_prefix="/training/timetable/trainer/",
    )
)

# The learner's own progress, on their phone: light enough for a 2G link (decision 0018).
registry.add_light_page(
    LightPage(url_name="training:learner-progress", templates=("training/learner_progress.html",))
)


# A learner signs attendance on their own phone with the room code (docs/decisions/0018).
registry.add_light_page(
    LightPage(url_name="training:learner-sign", templates=("training/learner_sign.html",))
)


# A certificate's public verification page and the credential check: opened by anyone, on
# any phone (docs/decisions/0018).
registry.add_light_page(
    LightPage(
        url_name="training:certificate-verify", templates=("training/certificate_verify.html",)
    )
)

registry.add_light_page(
    LightPage(url_name="training:credential-verify", templates=("training/credential_verify.html",))
)


def _at_risk_tile(request: HttpRequest, user: User) -> dict[str, Any] | None:
    """Learners at risk: open alerts the user sees, the newest first."""
    if not alert_selectors.can_use_alerts(user):
        return None
    open_alerts = alert_selectors.alerts_visible(user=user).filter(state="open")
    return {"count": open_alerts.count(), "recent": list(open_alerts.order_by("-raised_at")[:3])}


registry.add_nav(
    NavItem(
        label=_("Learners at risk"),
        url_name="training:at-risk",
        icon="exclamation-triangle",
        order=42,
        visible=alert_selectors.can_use_alerts,
        active_prefix="/training/a",
    )
)


registry.add_tile(Tile(order=25, build=_at_risk_tile, template="training/alerts/_tile.html"))

# The learner's survey: light enough for a 2G phone (docs/decisions/0018).
registry.add_light_page(
    LightPage(url_name="training:survey-answer", templates=("training/surveys/answer.html",))
)

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


# --- roll call (issue 13, item 4): today's sessions to take roll call for ---------------
def _rollcall_tile(request: HttpRequest, user: User) -> dict[str, Any] | None:
    if not can_use_training(user):
        return None
    sessions, cohorts = rollcall_today(user=user, day=timezone.localdate())
    if not sessions and not cohorts:
        return None
    return {"sessions": sessions, "cohorts": cohorts}


registry.add_tile(Tile(order=15, build=_rollcall_tile, template="training/_tile_rollcall.html"))


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


def _certificates_panel(request: HttpRequest, user: User, person: Any) -> dict[str, Any] | None:
    """The learner's certificates and external certification results (the cohorts the user
    sees only)."""
    if not can_use_training(user):
        return None
    certificates, results = person_certificates(user=user, person_id=person.pk)
    if not certificates and not results:
        return None
    return {"certificates": certificates, "results": results}


registry.add_person_panel(
    PersonPanel(order=46, build=_certificates_panel, template="training/_person_certificates.html")
)
