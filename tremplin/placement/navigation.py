from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tremplin.core.levels import band_label
from tremplin.core.models import User
from tremplin.core.registry import LightPage, NavItem, PersonPanel, registry
from tremplin.placement.selectors.access import can_use_placement
from tremplin.placement.selectors.attempts import attempts_visible

registry.add_nav(
    NavItem(
        label=_("Placement tests"),
        url_name="placement:attempt-list",
        icon="ui-checks",
        order=7,
        visible=can_use_placement,
        active_prefix="/placement/",
    )
)


def _person_panel(request: HttpRequest, user: User, person: Any) -> dict[str, Any] | None:
    """The person's placement tests, newest first, with the level group each gives (as
    reviewed): the group they start training in."""
    if not can_use_placement(user):
        return None
    attempts = list(attempts_visible(user=user).filter(person=person).order_by("-started_at")[:10])
    if not attempts:
        return None
    for attempt in attempts:
        attempt.band_label = band_label(attempt.final_band) if attempt.final_band else ""  # type: ignore[attr-defined]
    return {"attempts": attempts}


registry.add_person_panel(
    PersonPanel(order=30, build=_person_panel, template="placement/_person_panel.html")
)

# The placement test's screens: light enough for a 2G phone (docs/decisions/0018).
registry.add_light_page(
    LightPage(
        url_name="placement:take",
        templates=(
            "placement/take_question.html",
            "placement/take_result.html",
            "placement/take_language.html",
            "core/_read_aloud.html",
        ),
    )
)
