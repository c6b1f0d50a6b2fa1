"""The timetable as weeks (a cohort's, a trainer's, a room's) and as calendar subscriptions
(a private iCalendar address per trainer and per cohort, read without signing in)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from tremplin.core.models import User
from tremplin.core.params import id_param
from tremplin.core.permissions import acting_user, user_passes
from tremplin.network.selectors import scope_for
from tremplin.training.forms.timetable import week_param
from tremplin.training.models import Cohort, Session
from tremplin.training.selectors import timetable as selectors
from tremplin.training.selectors.access import (
    can_manage_cohort,
    can_use_training,
    cohorts_visible,
)
from tremplin.training.services import calendar_links as calendar_services


def _week_page(
    request: HttpRequest,
    *,
    sessions: QuerySet[Session],
    zone: str,
    context: dict[str, Any],
) -> HttpResponse:
    today = timezone.now().astimezone(zoneinfo.ZoneInfo(zone)).date()
    week = selectors.Week.of(week_param(request.GET, today=today))
    by_day: dict[dt.date, list[Session]] = defaultdict(list)
    for session in selectors.week_sessions(sessions, week=week, zone=zone):
        local = zoneinfo.ZoneInfo(session.cohort.run.site.timezone)
        by_day[session.starts_at.astimezone(local).date()].append(session)
    days = [{"date": d, "sessions": by_day.get(d, []), "today": d == today} for d in week.days]
    return render(
        request,
        "training/week.html",
        {
            **context,
            "week": week,
            "days": days,
            "today": today,
            "this_week": selectors.Week.of(today).monday,
            "empty": not by_day,
        },
    )


@user_passes(can_use_training)
def week_cohort(request: HttpRequest, cohort_id: int) -> HttpResponse:
    user = acting_user(request)
    cohort = selectors.cohort_get(user=user, cohort_id=cohort_id)
    can_manage = can_manage_cohort(user, cohort)
    return _week_page(
        request,
        sessions=Session.objects.filter(cohort=cohort),
        zone=cohort.run.site.timezone,
        context={
            "kind": "cohort",
            "cohort": cohort,
            "subject": cohort.title,
            "can_manage": can_manage,
            "show_cohort": False,
        },
    )


@user_passes(can_use_training)
def week_trainer(request: HttpRequest) -> HttpResponse:
    """A trainer's week: one's own ("My timetable"), or, with ``?trainer=``, a trainer of a
    site whose cohorts the user sees."""
    user = acting_user(request)
    trainer_id = id_param(request.GET, "trainer") or user.pk
    trainer, sessions = selectors.trainer_week_get(user=user, trainer_id=trainer_id)
    zone = scope_for(trainer).timezone or scope_for(user).timezone or "UTC"
    return _week_page(
        request,
        sessions=sessions,
        zone=zone,
        context={
            "kind": "trainer",
            "trainer": trainer,
            "subject": trainer.display_name,
            "own": trainer.pk == user.pk,
            "show_cohort": True,
        },
    )


@user_passes(can_use_training)
def week_room(request: HttpRequest, room_id: int) -> HttpResponse:
    user = acting_user(request)
    room = selectors.room_visible_get(user=user, room_id=room_id)
    return _week_page(
        request,
        sessions=selectors.room_week_sessions(room),
        zone=room.site.timezone,
        context={"kind": "room", "room": room, "subject": room.name, "show_cohort": True},
    )


# --- Calendar subscriptions --------------------------------------------------------------


def _feed_url(request: HttpRequest, token: str) -> str:
    return request.build_absolute_uri(reverse("training:calendar-feed", kwargs={"token": token}))


@require_http_methods(["GET", "POST"])
@user_passes(can_use_training)
def calendar_links(request: HttpRequest) -> HttpResponse:
    """The user's own subscription address, and those of the cohorts they manage. An address
    is shown once, when it is made or renewed (only its hash is kept)."""
    user = acting_user(request)
    cohorts = [
        c
        for c in cohorts_visible(user=user).order_by("-starts_on", "title")
        if can_manage_cohort(user, c)
    ]
    new_address, renewed = "", ""
    if request.method == "POST":
        cohort: Cohort | None = None
        if request.POST.get("target") != "me":
            cohort_id = id_param(request.POST, "cohort")
            cohort = next((c for c in cohorts if c.pk == cohort_id), None)
            if cohort is None:
                raise Http404
        token = calendar_services.calendar_link_renew(actor=user, cohort=cohort)
        new_address = _feed_url(request, token)
        renewed = str(cohort.pk) if cohort else "me"
    links = selectors.calendar_links_of(user=user, cohorts=cohorts)
    return render(
        request,
        "training/calendar_links.html",
        {
            "own_link": links.get("me"),
            "cohort_rows": [(c, links.get(str(c.pk))) for c in cohorts],
            "new_address": new_address,
            "renewed": renewed,
        },
    )


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """Public, no sign-in: whoever holds the address reads the calendar."""
    link = calendar_services.calendar_link_find(token=token)
    if link is None or (link.user is not None and not _still_trains(link.user)):
        raise Http404
    body = calendar_services.calendar_feed(link=link, host=request.get_host())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="timetable.ics"'
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex"
    return response


def _still_trains(user: User) -> bool:
    return user.is_active and can_use_training(user)
