from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from tremplin.core.registry import LightPage, NavItem, registry
from tremplin.network.selectors import can_see_site_people

registry.add_nav(
    NavItem(
        label=_("Information sessions"),
        url_name="outreach:session-list",
        icon="megaphone",
        order=5,
        visible=can_see_site_people,
        active_prefix="/outreach/",
    )
)

# Registering for an information session: light enough for a 2G phone (docs/decisions/0018).
registry.add_light_page(
    LightPage(
        url_name="outreach:public-register",
        templates=("outreach/public_register.html", "core/_read_aloud.html"),
    )
)
