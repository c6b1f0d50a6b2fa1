from __future__ import annotations

from typing import Any

from django import template
from django.utils.functional import Promise

from tremplin.core.listing import Listing

register = template.Library()


@register.inclusion_tag("core/_sort_header.html")
def sort_header(listing: Listing, key: str, label: str | Promise) -> dict[str, Any]:
    active = listing.sort_key == key
    next_sort = key if (not active or listing.descending) else f"-{key}"
    aria = ""
    if active:
        aria = "descending" if listing.descending else "ascending"
    return {
        "label": label,
        "url": listing.url_for(sort=next_sort, page=None),
        "active": active,
        "descending": listing.descending,
        "aria_sort": aria,
    }


@register.inclusion_tag("core/_pagination.html")
def pagination(listing: Listing) -> dict[str, Any]:
    page = listing.page
    return {
        "page": page,
        "previous_url": listing.url_for(page=page.previous_page_number())
        if page.has_previous()
        else "",
        "next_url": listing.url_for(page=page.next_page_number()) if page.has_next() else "",
        "first_url": listing.url_for(page=1) if page.number > 1 else "",
        "last_url": listing.url_for(page=page.paginator.num_pages)
        if page.number < page.paginator.num_pages
        else "",
    }
