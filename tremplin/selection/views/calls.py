from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tremplin.core.listing import paginate_sorted
from tremplin.core.permissions import acting_user, user_passes
from tremplin.selection import selectors


@user_passes(selectors.can_run_selection)
def call_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    listing = paginate_sorted(
        request,
        selectors.calls_run(user=user),
        sorts={"opens": ("opens_on",), "title": ("title",), "site": ("site__name", "title")},
        default="-opens",
    )
    return render(request, "selection/call_list.html", {"listing": listing})
