"""What training adds to the navigation, the dashboard and a person's page."""

from __future__ import annotations

# --- sheets: signed attendance sheets and attendance rates ---------------------------------
from django.utils.translation import gettext_lazy as _

from tremplin.core.registry import LightPage, NavItem, registry
from tremplin.training.selectors.access import can_use_training

registry.add_nav(
    NavItem(
        label=_("Attendance"),
        url_name="training:attendance-dashboard",
        icon="clipboard-data",
        order=9,
        visible=can_use_training,
        active_prefix="/training/attendance/",
    )
)

# A learner signs attendance on their own phone with the room code (docs/decisions/0018).
registry.add_light_page(
    LightPage(url_name="training:learner-sign", templates=("training/learner_sign.html",))
)
# --- end of sheets -------------------------------------------------------------------------
