"""The queries the funnel counts from: ONE `GROUP BY` over the applications' funnel snapshot,
plus a constant handful of small queries (stages, sites, information-session lists, region
names), whatever the number of applications."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict
from typing import Any

from django.db.models import Count, Q

from tremplin.network.models import Region
from tremplin.outreach.models import InformationSession, Registration
from tremplin.people.models import Gender
from tremplin.selection.models import Application, Call, CallSite, Stage

# Applications that count as "applied": sent, whatever happened next.
APPLIED = (Application.Status.SUBMITTED, Application.Status.WITHDRAWN)


def is_selected(row: dict[str, Any]) -> bool:
    """A row of `application_counts` counts as selected while it still holds its seat: a
    selected learner who withdrew leaves "selected" (their seat went to the waiting list), as
    on the committee page and in the applications list."""
    return bool(
        row["outcome"] == Application.Outcome.SELECTED
        and row["status"] == Application.Status.SUBMITTED
    )


def application_counts(ids: list[int], dimension: str | None) -> list[dict[str, Any]]:
    """The one GROUP BY: applications per call, status, stages passed, outcome (and
    dimension value), with the women and those from priority neighbourhoods among them."""
    group = ["call_id", "status", "stages_passed", "outcome"]
    if dimension:
        group.append(dimension)
    return list(
        Application.objects.filter(call_id__in=ids, status__in=APPLIED)
        .values(*group)
        .annotate(
            n=Count("pk"),
            women=Count("pk", filter=Q(gender=Gender.FEMALE)),
            priority=Count("pk", filter=Q(priority_neighbourhood=True)),
        )
        .order_by()
    )


def information_session_counts(call_list: list[Call]) -> tuple[int, int]:
    """People registered for, and people who came to, an information session at one of a
    call's sites during the call's window (a registration counts once across calls)."""
    sites: dict[int, set[int]] = {c.pk: {c.site_id} for c in call_list}
    for call_id, site_id in (
        CallSite.objects.filter(call_id__in=list(sites))
        .order_by()
        .values_list("call_id", "site_id")
    ):
        sites[call_id].add(site_id)
    window = Q()
    for call in call_list:
        zone = zoneinfo.ZoneInfo(call.site.timezone)
        start = dt.datetime.combine(call.opens_on, dt.time.min, tzinfo=zone)
        end = dt.datetime.combine(call.closes_on + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
        window |= Q(
            session__site_id__in=sorted(sites[call.pk]),
            session__starts_at__gte=start,
            session__starts_at__lt=end,
        )
    totals = (
        Registration.objects.filter(window)
        .exclude(status=Registration.Status.CANCELLED)
        .exclude(session__status=InformationSession.Status.CANCELLED)
        .aggregate(
            registered=Count("pk"), attended=Count("pk", filter=Q(checked_in_at__isnull=False))
        )
    )
    return totals["registered"] or 0, totals["attended"] or 0


def stage_names_by_call(ids: list[int]) -> dict[int, list[str]]:
    """Each call's stage names, in order."""
    stages: dict[int, list[str]] = defaultdict(list)
    for call_id, name in (
        Stage.objects.filter(call_id__in=ids)
        .order_by("call_id", "position")
        .values_list("call_id", "name")
    ):
        stages[call_id].append(name)
    return stages


def region_names(ids: list[int]) -> dict[int, str]:
    return dict(Region.objects.filter(pk__in=ids).order_by().values_list("pk", "name"))
