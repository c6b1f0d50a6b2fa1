"""What partners add to the navigation, the dashboard and a person's page."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from tremplin.core.registry import NavItem, registry
from tremplin.partners.selectors.access import can_use_partners

registry.add_nav(
    NavItem(
        label=_("Partners"),
        url_name="partners:home",
        icon="building",
        order=9,
        visible=can_use_partners,
    )
)

# --- agreements: internships and their agreements ---------------------------------------------
registry.add_nav(
    NavItem(
        label=_("Internships"),
        url_name="partners:internship-list",
        icon="briefcase",
        order=9,
        visible=can_use_partners,
    )
)
