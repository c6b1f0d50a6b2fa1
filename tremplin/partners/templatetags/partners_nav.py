"""The tab bar of the partners' pages: every area within reach of the others."""

from __future__ import annotations

from typing import Any

from django import template

from tremplin.partners.selectors.access import can_use_partners
from tremplin.partners.selectors.internships import can_manage_agreements

register = template.Library()


@register.inclusion_tag("partners/_partners_nav.html", takes_context=True)
def partners_nav(context: dict[str, Any], current: str) -> dict[str, Any]:
    user = context["request"].user
    shown = can_use_partners(user)
    return {
        "shown": shown,
        "current": current,
        "manages": shown and can_manage_agreements(user),
    }
