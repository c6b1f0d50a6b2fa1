"""The placement pages' shared tabs: tests taken, item bank, frameworks, settings,
calibration; each shown to the users who may open it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from tremplin.core.models import User
from tremplin.placement.selectors import access

register = template.Library()

TABS: list[tuple[str, str, Any, Callable[[User], bool]]] = [
    ("attempts", "placement:attempt-list", _("Tests taken"), access.can_use_placement),
    ("items", "placement:item-list", _("Questions"), access.can_read_bank),
    ("frameworks", "placement:framework-list", _("Competences"), access.can_read_bank),
    ("setup", "placement:setup-list", _("Test settings"), access.can_read_bank),
    ("calibration", "placement:calibration-list", _("Calibration"), access.can_read_bank),
]


@register.inclusion_tag("placement/_tabs.html", takes_context=True)
def placement_tabs(context: dict[str, Any], active: str) -> dict[str, Any]:
    user = context["request"].user
    tabs = []
    for key, url_name, label, allowed in TABS:
        if not isinstance(user, User) or not allowed(user):
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:  # a page not built yet
            continue
        tabs.append({"key": key, "url": url, "label": label, "active": key == active})
    return {"tabs": tabs}
