"""What training adds to the navigation, the dashboard and a person's page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from tremplin.core.models import User
from tremplin.core.registry import Tile, registry
from tremplin.training.selectors.access import can_use_training
from tremplin.training.selectors.attendance import rollcall_today


# --- roll call (issue 13, item 4): today's sessions to take roll call for ---------------
def _rollcall_tile(request: HttpRequest, user: User) -> dict[str, Any] | None:
    if not can_use_training(user):
        return None
    sessions, cohorts = rollcall_today(user=user, day=timezone.localdate())
    if not sessions and not cohorts:
        return None
    return {"sessions": sessions, "cohorts": cohorts}


registry.add_tile(Tile(order=15, build=_rollcall_tile, template="training/_tile_rollcall.html"))
