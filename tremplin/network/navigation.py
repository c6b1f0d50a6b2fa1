from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tremplin.core.models import User
from tremplin.core.registry import NavItem, Tile, registry
from tremplin.network.selectors import (
    can_manage_staff,
    runs_visible,
    scope_for,
    sites_visible,
    staff_visible,
)


def _always(user: User) -> bool:
    return scope_for(user).is_staff_member


def _roles_tile(request: HttpRequest, user: User) -> dict[str, Any] | None:
    scope = scope_for(user)
    if not scope.is_staff_member:
        return None
    assignments = list(user.role_assignments.select_related("organisation", "site"))
    return {"assignments": assignments, "superuser": scope.superuser}


def _sites_tile(request: HttpRequest, user: User) -> dict[str, Any] | None:
    if not scope_for(user).is_staff_member:
        return None
    sites = list(sites_visible(user=user).annotate(run_count=Count("runs"))[:8])
    runs = list(runs_visible(user=user).exclude(status="finished").order_by("starts_on")[:6])
    return {"sites": sites, "runs": runs}


def _staff_tile(request: HttpRequest, user: User) -> dict[str, Any] | None:
    if not can_manage_staff(user):
        return None
    return {"staff_count": staff_visible(user=user).values("user").distinct().count()}


registry.add_nav(
    NavItem(
        label=_("Organisations"),
        url_name="network:organisation-list",
        icon="diagram-3",
        order=20,
        visible=_always,
        active_prefix="/network/organisations/",
    )
)
registry.add_nav(
    NavItem(
        label=_("Sites"),
        url_name="network:site-list",
        icon="geo-alt",
        order=30,
        visible=_always,
        active_prefix="/network/sites/",
    )
)
registry.add_nav(
    NavItem(
        label=_("Programmes"),
        url_name="network:programme-list",
        icon="journal-text",
        order=40,
        visible=_always,
        active_prefix="/network/programmes/",
    )
)
registry.add_nav(
    NavItem(
        label=_("Staff"),
        url_name="network:staff-list",
        icon="person-badge",
        order=50,
        visible=can_manage_staff,
        active_prefix="/network/staff/",
    )
)
registry.add_tile(Tile(order=1, build=_roles_tile, template="network/_tile_roles.html"))
registry.add_tile(Tile(order=20, build=_sites_tile, template="network/_tile_sites.html"))
registry.add_tile(Tile(order=30, build=_staff_tile, template="network/_tile_staff.html"))
