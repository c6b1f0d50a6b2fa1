"""What every staff page of selection shares: who may open it, and the call it changes."""

from __future__ import annotations

from django.http import HttpRequest

from tremplin.core.permissions import acting_user, user_passes
from tremplin.selection import selectors
from tremplin.selection.models import Call

run_selection = user_passes(selectors.can_run_selection)


def call_to_manage(request: HttpRequest, call_id: int) -> Call:
    return selectors.call_managed_get(user=acting_user(request), call_id=call_id)
