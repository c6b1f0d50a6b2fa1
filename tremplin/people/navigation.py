from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Count, Q
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tremplin.core.models import User
from tremplin.core.registry import NavItem, Tile, registry
from tremplin.network.selectors import can_see_aggregates, can_use_people, organisations_visible
from tremplin.people.models import Person
from tremplin.people.selectors import people_visible


def _people_tile(request: HttpRequest, user: User) -> dict[str, Any] | None:
    if not can_use_people(user):
        return None
    totals = people_visible(user=user).aggregate(
        total=Count("id"),
        women=Count("id", filter=Q(gender="female")),
        priority=Count("id", filter=Q(priority_neighbourhood=True)),
    )
    recent = list(people_visible(user=user).order_by("-created_at")[:5])
    return {"totals": totals, "recent": recent}


def suppress(count: int) -> str:
    """Counts below the threshold are hidden from funders (small-cell suppression)."""
    threshold: int = settings.TREMPLIN_SMALL_CELL_THRESHOLD
    if 0 < count < threshold:
        return f"< {threshold}"
    return str(count)


def _funder_tile(request: HttpRequest, user: User) -> dict[str, Any] | None:
    """Aggregates per organisation, with small cells suppressed."""
    if not can_see_aggregates(user):
        return None
    threshold: int = settings.TREMPLIN_SMALL_CELL_THRESHOLD
    organisations = list(organisations_visible(user=user))
    grouped = {
        row["site__organisation"]: row
        for row in Person.objects.filter(
            site__organisation__in=organisations, merged_into__isnull=True
        )
        .values("site__organisation")
        .annotate(
            total=Count("id"),
            women=Count("id", filter=Q(gender="female")),
            priority=Count("id", filter=Q(priority_neighbourhood=True)),
        )
    }
    rows = []
    for organisation in organisations:
        totals = grouped.get(organisation.pk, {"total": 0, "women": 0, "priority": 0})
        people = totals["total"]
        rows.append(
            {
                "organisation": organisation,
                "people": suppress(people),
                "women": suppress(totals["women"]),
                "women_share": round(100 * totals["women"] / people)
                if people >= threshold
                else None,
                "priority": suppress(totals["priority"]),
            }
        )
    return {"rows": rows, "threshold": settings.TREMPLIN_SMALL_CELL_THRESHOLD}


registry.add_nav(
    NavItem(
        label=_("People"),
        url_name="people:person-list",
        icon="people",
        order=10,
        visible=can_use_people,
    )
)
registry.add_tile(Tile(order=5, build=_funder_tile, template="people/_tile_funder.html"))
registry.add_tile(Tile(order=10, build=_people_tile, template="people/_tile.html"))
