"""Reads for outreach, scoped to the acting user."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from tremplin.core.models import User
from tremplin.network.models import Site
from tremplin.network.selectors import people_site_filter, sites_for_people_records
from tremplin.outreach.models import InformationSession, Registration


def sessions_visible(*, user: User) -> QuerySet[InformationSession]:
    return (
        InformationSession.objects.select_related("site", "site__organisation")
        .filter(people_site_filter(user))
        .annotate(
            registered=Count(
                "registrations", filter=Q(registrations__status=Registration.Status.REGISTERED)
            ),
            waitlisted=Count(
                "registrations", filter=Q(registrations__status=Registration.Status.WAITLISTED)
            ),
            present=Count("registrations", filter=Q(registrations__checked_in_at__isnull=False)),
        )
    )


def session_get(*, user: User, session_id: int) -> InformationSession:
    try:
        return sessions_visible(user=user).get(pk=session_id)
    except InformationSession.DoesNotExist as exc:
        raise Http404 from exc


def can_run_sessions_at(*, user: User, site: Site) -> bool:
    """Scheduling and check-in: the staff who handle people's records at the site."""
    return sites_for_people_records(user=user).filter(pk=site.pk).exists()


def public_session_get(*, key: str) -> InformationSession:
    try:
        return InformationSession.objects.select_related("site__organisation").get(public_key=key)
    except InformationSession.DoesNotExist as exc:
        raise Http404 from exc
