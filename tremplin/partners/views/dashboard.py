"""The partners' dashboard (partners/dashboard/): internships, places, delays, hiring and
engagement, filtered by site and year."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from tremplin.core.permissions import acting_user, user_passes
from tremplin.partners.forms.during import DashboardFilterForm
from tremplin.partners.selectors import dashboard as selectors
from tremplin.partners.selectors.access import can_use_partners


@user_passes(can_use_partners)
def partners_dashboard(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    form = DashboardFilterForm(request.GET or None, sites=selectors.dashboard_sites(user=user))
    chosen = form.cleaned_data if form.is_valid() else {}
    board = selectors.dashboard(
        user=user,
        site=chosen.get("site"),
        year=chosen.get("year"),
        today=timezone.localdate(),
    )
    return render(request, "partners/during/dashboard.html", {"form": form, "board": board})
