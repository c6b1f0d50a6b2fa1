"""Signed attendance sheets as PDF: a session's, a cohort's month, a cohort's whole course."""

from __future__ import annotations

import datetime as dt
import re

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tremplin.core.permissions import acting_user, user_passes
from tremplin.training.models import Cohort
from tremplin.training.selectors import signatures as signing
from tremplin.training.selectors.access import can_use_training, cohorts_visible
from tremplin.training.selectors.rates import cohort_months
from tremplin.training.services import sheets as sheet_services

use_training = user_passes(can_use_training)

MONTH = re.compile(r"(\d{4})-(\d{2})")


def _pdf(request: HttpRequest, sheet: sheet_services.Sheet, name: str) -> HttpResponse:
    pdf = sheet_services.sheet_pdf(sheet=sheet, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response


@use_training
@require_GET
def sheet_session(request: HttpRequest, session_id: int) -> HttpResponse:
    session = signing.session_for_signing(user=acting_user(request), session_id=session_id)
    day = timezone.localtime(session.starts_at, signing.site_zone(session)).date()
    sheet = sheet_services.sheet_build(
        cohort=session.cohort,
        since=day,
        until=day,
        title=f"{session} · {day:%Y-%m-%d}",
        session=session,
    )
    return _pdf(request, sheet, f"attendance-session-{session.pk}-{day:%Y-%m-%d}")


def _month_asked(text: str, cohort: Cohort) -> dt.date | None:
    """The first day of the month ``YYYY-MM`` names, when it is one of the cohort's."""
    found = MONTH.fullmatch(text.strip())
    if not found or not 1 <= int(found[2]) <= 12:
        return None
    month = dt.date(int(found[1]), int(found[2]), 1)
    return month if month in cohort_months(cohort) else None


@use_training
@require_GET
def sheet_cohort(request: HttpRequest, cohort_id: int) -> HttpResponse:
    """``?month=YYYY-MM``: that month; no month: the whole course."""
    cohort = cohorts_visible(user=acting_user(request)).filter(pk=cohort_id).first()
    if cohort is None:
        raise Http404
    asked = request.GET.get("month", "")
    if not asked:
        sheet = sheet_services.sheet_build(
            cohort=cohort, since=cohort.starts_on, until=cohort.ends_on, title=_("whole course")
        )
        return _pdf(request, sheet, f"attendance-cohort-{cohort.pk}")
    month = _month_asked(asked, cohort)
    if month is None:
        return render(
            request,
            "training/sheet_month.html",
            {
                "cohort": cohort,
                "months": cohort_months(cohort),
                "error": _("Month: “%(value)s” is not a month of this cohort. Choose one below.")
                % {"value": asked[:20]},
            },
            status=400,
        )
    end = (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    sheet = sheet_services.sheet_build(
        cohort=cohort,
        since=max(month, cohort.starts_on),
        until=min(end, cohort.ends_on),
        title=f"{month:%Y-%m}",
    )
    return _pdf(request, sheet, f"attendance-cohort-{cohort.pk}-{month:%Y-%m}")
