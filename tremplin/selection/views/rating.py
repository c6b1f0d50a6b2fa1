from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tremplin.core.permissions import acting_user, user_passes
from tremplin.selection import selectors


@user_passes(selectors.can_use_selection)
def my_work(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    return render(
        request,
        "selection/my_work.html",
        {
            "interviews": list(selectors.interview_assignments_for(user=user)),
            "investigations": list(selectors.investigations_for(user=user)),
        },
    )
