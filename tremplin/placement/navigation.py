from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from tremplin.core.registry import NavItem, registry
from tremplin.placement.selectors import can_use_placement

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
