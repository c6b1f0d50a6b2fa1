"""The attendance dashboard: rates by site, cohort and module, for the user's sites (a
trainer: their own cohorts)."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tremplin.core.listing import Listing
from tremplin.core.permissions import acting_user, user_passes
from tremplin.training.forms.rates import DashboardFilterForm
from tremplin.training.selectors import rates
from tremplin.training.selectors.access import can_use_training

use_training = user_passes(can_use_training)


@use_training
@require_GET
def attendance_dashboard(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    sites, programmes = rates.dashboard_choices(user=user)
    form = DashboardFilterForm(request.GET or None, sites=sites, programmes=programmes)
    filters = form.filters()
    dashboard = rates.dashboard_rates(user=user, filters=filters)
    params = request.GET.copy()
    params.pop("page", None)
    cohorts = Listing(
        page=Paginator(dashboard.cohorts, settings.TREMPLIN_PAGE_SIZE).get_page(
            request.GET.get("page")
        ),
        sort="",
        params=params,
    )
    return render(
        request,
        "training/attendance_dashboard.html",
        {
            "form": form,
            "filters": filters,
            "dashboard": dashboard,
            "cohorts": cohorts,
            "low_rate": rates.LOW_RATE,
        },
        status=400 if form.is_bound and form.errors else 200,
    )
