"""The selection funnel pages: across the calls a user may see, and for one call."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from tremplin.core import params
from tremplin.core.permissions import acting_user, user_passes
from tremplin.selection import selectors
from tremplin.selection.funnel.build import DIMENSIONS, funnel_build
from tremplin.selection.selectors import can_see_funnel, funnel_calls


def _dimension(request: HttpRequest) -> str | None:
    chosen = request.GET.get("dimension", "")
    return chosen if chosen in DIMENSIONS else None


@user_passes(can_see_funnel)
def funnel_overview(request: HttpRequest) -> HttpResponse:
    """Every call the user may see together, or the ones picked with ?call=<id>."""
    user = acting_user(request)
    visible = funnel_calls(user=user)
    chosen = params.id_list_param(request.GET, "call")
    calls = funnel_calls(user=user, among=chosen)
    funnel = funnel_build(user=user, calls=calls, dimension=_dimension(request))
    if chosen and not funnel.calls:
        raise Http404
    return render(
        request,
        "selection/funnel_overview.html",
        {
            "funnel": funnel,
            "call_choices": list(visible),
            "chosen": chosen,
            "dimensions": funnel.dimensions,
            "now": timezone.localtime(),
        },
    )


@user_passes(selectors.can_run_selection)
def call_funnel(request: HttpRequest, call_id: int) -> HttpResponse:
    user = acting_user(request)
    call = selectors.call_get(user=user, call_id=call_id)
    funnel = funnel_build(user=user, calls=[call], dimension=_dimension(request))
    return render(
        request,
        "selection/funnel_call.html",
        {
            "call": call,
            "funnel": funnel,
            "dimensions": funnel.dimensions,
            "now": timezone.localtime(),
        },
    )
