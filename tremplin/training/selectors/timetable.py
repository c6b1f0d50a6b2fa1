"""Reading the timetable: a session, the sessions of a week (a cohort's, a trainer's, a
room's), rooms and holidays, and who may be chosen as trainer or volunteer. Everything is
scoped through ``selectors.access``; a record out of scope is a 404."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from tremplin.core.models import User
from tremplin.network.models import Organisation, Role, Site
from tremplin.network.selectors import scope_for, sites_managed
from tremplin.people.models import Person
from tremplin.training.models import CalendarLink, Cohort, Holiday, Module, Room, Session
from tremplin.training.selectors.access import (
    SITE_WIDE_ROLES,
    TRAINING_ROLES,
    cohort_filter,
    cohorts_visible,
)


def cohort_get(*, user: User, cohort_id: int) -> Cohort:
    cohort = cohorts_visible(user=user).filter(pk=cohort_id).first()
    if cohort is None:
        raise Http404
    return cohort


def sessions_visible(*, user: User) -> QuerySet[Session]:
    ids = Session.objects.filter(cohort_filter(user, field="cohort")).values("pk")
    return Session.objects.filter(pk__in=ids)


def session_get(*, user: User, session_id: int) -> Session:
    session = (
        sessions_visible(user=user)
        .filter(pk=session_id)
        .select_related(
            "cohort",
            "cohort__run",
            "cohort__run__site",
            "cohort__run__programme",
            "module",
            "room",
            "pattern",
        )
        .first()
    )
    if session is None:
        raise Http404
    return session


def training_site_filter(user: User, *, field: str = "site") -> Q:
    """Sites where the user works in training (any training role)."""
    return scope_for(user).site_filter(TRAINING_ROLES, field=field)


def room_visible_get(*, user: User, room_id: int) -> Room:
    room = (
        Room.objects.filter(training_site_filter(user), pk=room_id)
        .select_related("site", "site__organisation")
        .first()
    )
    if room is None:
        raise Http404
    return room


def room_managed_get(*, user: User, room_id: int) -> Room:
    room = Room.objects.filter(site__in=sites_managed(user=user), pk=room_id).first()
    if room is None:
        raise Http404
    return room


def rooms_managed(*, user: User) -> QuerySet[Room]:
    return Room.objects.filter(site__in=sites_managed(user=user)).select_related("site")


def rooms_of_site(site: Site) -> QuerySet[Room]:
    return Room.objects.filter(site=site).order_by("name")


def modules_of_cohort(cohort: Cohort) -> QuerySet[Module]:
    return Module.objects.filter(programme_id=cohort.run.programme_id).order_by("position")


def trainers_of_site(site: Site) -> QuerySet[User]:
    return (
        User.objects.filter(
            role_assignments__site=site, role_assignments__role=Role.TRAINER, is_active=True
        )
        .order_by("first_name", "last_name", "email")
        .distinct()
    )


def volunteers_of_site(site: Site) -> QuerySet[Person]:
    return Person.objects.filter(site=site).order_by("legal_family_name", "legal_given_names")


def holidays_visible(*, user: User) -> QuerySet[Holiday]:
    scope = scope_for(user)
    if scope.superuser:
        return Holiday.objects.select_related("organisation", "site")
    sites = scope.site_ids(TRAINING_ROLES)
    organisations = scope.admin_organisation_ids() | set(
        Site.objects.filter(pk__in=sites).values_list("organisation_id", flat=True)
    )
    return Holiday.objects.filter(
        Q(organisation_id__in=organisations, site__isnull=True)
        | Q(site_id__in=sites)
        | Q(site__organisation_id__in=scope.admin_organisation_ids())
    ).select_related("organisation", "site")


def organisations_for_holidays(*, user: User) -> QuerySet[Organisation]:
    """Where the user may add a holiday for every site (network admins)."""
    scope = scope_for(user)
    if scope.superuser:
        return Organisation.objects.all()
    return Organisation.objects.filter(pk__in=scope.admin_organisation_ids())


# --- Weeks -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Week:
    monday: dt.date

    @classmethod
    def of(cls, date: dt.date) -> Week:
        return cls(date - dt.timedelta(days=date.weekday()))

    @property
    def days(self) -> list[dt.date]:
        return [self.monday + dt.timedelta(days=n) for n in range(7)]

    @property
    def previous(self) -> dt.date:
        return self.monday - dt.timedelta(weeks=1)

    @property
    def next(self) -> dt.date:
        return self.monday + dt.timedelta(weeks=1)

    def bounds(self, zone: str) -> tuple[dt.datetime, dt.datetime]:
        tz = zoneinfo.ZoneInfo(zone)
        start = dt.datetime.combine(self.monday, dt.time(0), tzinfo=tz)
        return start, dt.datetime.combine(self.next, dt.time(0), tzinfo=tz)


def week_sessions(sessions: QuerySet[Session], *, week: Week, zone: str) -> list[Session]:
    start, end = week.bounds(zone)
    return list(
        sessions.filter(starts_at__lt=end, ends_at__gt=start)
        .select_related("cohort", "cohort__run__site", "module", "room")
        .prefetch_related("trainers")
        .order_by("starts_at", "pk")
    )


def trainer_week_get(*, user: User, trainer_id: int) -> tuple[User, QuerySet[Session]]:
    """A trainer and the sessions of theirs the user may see: one's own, or, for those who see
    a site's cohorts, a trainer of that site. Another trainer: 404."""
    if trainer_id == user.pk:
        return user, Session.objects.filter(trainers=user)
    sites = Site.objects.filter(scope_for(user).site_filter(SITE_WIDE_ROLES, field=""))
    trainer = User.objects.filter(
        pk=trainer_id, role_assignments__role=Role.TRAINER, role_assignments__site__in=sites
    ).first()
    if trainer is None:
        raise Http404
    return trainer, sessions_visible(user=user).filter(trainers=trainer)


def room_week_sessions(room: Room) -> QuerySet[Session]:
    return Session.objects.filter(room=room)


def calendar_links_of(*, user: User, cohorts: list[Cohort]) -> dict[str, CalendarLink]:
    """The user's own link ("me") and the cohorts' links ("<cohort id>") that exist."""
    links = CalendarLink.objects.filter(Q(user=user) | Q(cohort__in=cohorts))
    return {("me" if link.user_id else str(link.cohort_id)): link for link in links}
