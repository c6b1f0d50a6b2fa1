"""What training adds to the navigation, the dashboard and a person's page."""

from __future__ import annotations

# --- structure: course structure, assessments ---------------------------------------------
from django.utils.translation import gettext_lazy as _

from tremplin.core.registry import NavItem, registry
from tremplin.training.selectors.access import (
    can_manage_training,
    can_use_training,
)

registry.add_nav(
    NavItem(
        label=_("Course structure"),
        url_name="training:structure-list",
        icon="diagram-3",
        order=11,
        visible=can_manage_training,
        active_prefix="/training/structure/",
    )
)
registry.add_nav(
    NavItem(
        label=_("Assessments"),
        url_name="training:assessment-cohorts",
        icon="clipboard-check",
        order=12,
        visible=can_use_training,
        active_prefix="/training/assessments/",
    )
)
