from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from tremplin.core.models import User
from tremplin.core.registry import LightPage, NavItem, registry
from tremplin.selection.selectors import can_run_selection, can_see_funnel, has_rating_work


def funnel_in_menu(user: User) -> bool:
    """Those who run calls reach the funnel from the calls page; funders from the menu."""
    return can_see_funnel(user) and not can_run_selection(user)


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
        visible=has_rating_work,
        active_prefix="/selection/my-work/",
    )
)
registry.add_nav(
    NavItem(
        label=_("Selection funnel"),
        url_name="selection:funnel",
        icon="funnel",
        order=8,
        visible=funnel_in_menu,
        active_prefix="/selection/funnel/",
    )
)

# The public application form: light enough for a 2G phone (docs/decisions/0018).
for _url_name, _template in [
    ("selection:apply-start", ("selection/apply_start.html", "core/_read_aloud.html")),
    ("selection:apply-step", ("selection/apply_step.html", "core/_read_aloud.html")),
    ("selection:apply-done", ("selection/apply_done.html",)),
    ("selection:appointment-public", ("selection/apply_appointment.html",)),
]:
    registry.add_light_page(LightPage(url_name=_url_name, templates=_template))
