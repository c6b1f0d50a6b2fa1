from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from tremplin.core.registry import NavItem, registry
from tremplin.selection.funnel import can_see_funnel
from tremplin.selection.selectors import can_run_selection, can_use_selection

registry.add_nav(
    NavItem(
        label=_("Calls for applications"),
        url_name="selection:call-list",
        icon="clipboard-check",
        order=6,
        visible=can_run_selection,
        active_prefix="/selection/calls/",
    )
)
registry.add_nav(
    NavItem(
        label=_("My interviews and visits"),
        url_name="selection:my-work",
        icon="person-check",
        order=7,
        visible=can_use_selection,
        active_prefix="/selection/my-work/",
    )
)
registry.add_nav(
    NavItem(
        label=_("Selection funnel"),
        url_name="selection:funnel",
        icon="funnel",
        order=8,
        visible=can_see_funnel,
        active_prefix="/selection/funnel/",
    )
)
