from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from tremplin.core.registry import registry


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    for item in registry.nav:
        if item.visible(user):
            url = reverse(item.url_name)
            prefix = item.active_prefix or url
            items.append(
                {
                    "label": item.label,
                    "url": url,
                    "icon": item.icon,
                    "active": request.path.startswith(prefix) and prefix != "/",
                }
            )
    return {"nav_items": items}


def light_page(request: HttpRequest) -> dict[str, Any]:
    """Whether this page is one an applicant or learner sees (registered by its app with
    ``registry.add_light_page``): base.html then sends the trimmed stylesheet and no script
    the page does not use."""
    match = getattr(request, "resolver_match", None)
    return {"light_page": match is not None and match.view_name in registry.light_pages}


def languages(request: HttpRequest) -> dict[str, Any]:
    """The languages the footer offers: the staff languages, or on a public page the ones its
    organisation offers its applicants (set by network.languages.applicant_language_activate)."""
    return {
        "switcher_languages": getattr(request, "offered_languages", None)
        or settings.STAFF_LANGUAGES
    }
