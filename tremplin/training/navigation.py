"""What training adds to the navigation, the dashboard and a person's page."""

from __future__ import annotations

# --- Early warning and the end-of-course survey (alerts) ------------------------------------
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tremplin.core.models import User
from tremplin.core.registry import LightPage, NavItem, Tile, registry
from tremplin.training.selectors import alerts as alert_selectors
from tremplin.training.selectors import surveys as survey_selectors


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
registry.add_nav(
    NavItem(
        label=_("Satisfaction surveys"),
        url_name="training:survey-results",
        icon="chat-square-heart",
        order=48,
        visible=survey_selectors.can_see_results,
        active_prefix="/training/surveys/",
    )
)
registry.add_tile(Tile(order=25, build=_at_risk_tile, template="training/alerts/_tile.html"))
# The learner's survey: light enough for a 2G phone (docs/decisions/0018).
registry.add_light_page(
    LightPage(url_name="training:survey-answer", templates=("training/surveys/answer.html",))
)
