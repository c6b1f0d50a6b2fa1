"""Reads for roll call: a session's learners (the cohort's enrolments active on the
session's date), each with their mark, photo (when consented) and attendance rate, in a
fixed number of queries whatever the cohort's size."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import (
    CharField,
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.http import Http404

from tremplin.core.models import User
from tremplin.network.models import Role
from tremplin.network.selectors import scope_for
from tremplin.people.models import Consent, ConsentPurpose
from tremplin.training.models import (
    Cohort,
    Enrolment,
    LearnerPhoto,
    Mark,
    MarkStatus,
    Session,
)
from tremplin.training.selectors.access import cohort_filter, cohorts_visible, teaches

ATTENDED = (MarkStatus.PRESENT, MarkStatus.LATE)


def session_date(session: Session) -> dt.date:
    """The session's day in its site's time zone."""
    zone = zoneinfo.ZoneInfo(session.cohort.run.site.timezone or "UTC")
    return session.starts_at.astimezone(zone).date()


def _active_on(day: dt.date) -> Q:
    return Q(joined_on__lte=day) & (Q(left_on__isnull=True) | Q(left_on__gte=day))


def session_enrolments(session: Session) -> QuerySet[Enrolment]:
    """The session's learners: the cohort's enrolments active on the session's date."""
    return Enrolment.objects.filter(_active_on(session_date(session)), cohort_id=session.cohort_id)


def session_enrolment_ids(session: Session) -> set[int]:
    return set(session_enrolments(session).order_by().values_list("pk", flat=True))


def session_for_rollcall(*, user: User, session_id: int) -> Session:
    """A session whose roll call the user may take: 404 outside their scope (a trainer:
    another cohort), 403 when they see it but do not teach it (a job coach)."""
    session = (
        Session.objects.filter(cohort_filter(user, field="cohort"), pk=session_id)
        .select_related("cohort", "cohort__run", "cohort__run__site", "module", "room")
        .first()
    )
    if session is None:
        raise Http404
    if not teaches(user, session.cohort):
        raise PermissionDenied
    return session


def cohort_for_rollcall(*, user: User, cohort_id: int) -> Cohort:
    cohort = cohorts_visible(user=user).filter(pk=cohort_id).first()
    if cohort is None:
        raise Http404
    if not teaches(user, cohort):
        raise PermissionDenied
    return cohort


def enrolment_for_rollcall(*, user: User, enrolment_id: int) -> Enrolment:
    enrolment = (
        Enrolment.objects.filter(cohort_filter(user, field="cohort"), pk=enrolment_id)
        .select_related("person", "cohort", "cohort__run", "cohort__run__site")
        .first()
    )
    if enrolment is None:
        raise Http404
    if not teaches(user, enrolment.cohort):
        raise PermissionDenied
    return enrolment


def _marked() -> Count:
    """An enrolment's marked sessions."""
    return Count("marks")


def _attended() -> Count:
    """An enrolment's sessions attended: present or late."""
    return Count("marks", filter=Q(marks__status__in=ATTENDED))


def _photo_consent() -> Exists:
    return Exists(
        Consent.objects.filter(
            person_id=OuterRef("person_id"),
            purpose=ConsentPurpose.ROLLCALL_PHOTO,
            withdrawn_at__isnull=True,
        )
    )


@dataclass(frozen=True)
class RollcallLine:
    enrolment_id: int
    name: str
    status: str
    has_photo: bool
    marked: int
    attended: int

    @property
    def rate(self) -> int | None:
        """Present or late, in percent of the sessions marked; None before any mark."""
        return round(100 * self.attended / self.marked) if self.marked else None


def rollcall_lines(*, session: Session) -> list[RollcallLine]:
    """The session's learners, by name, each with their mark, photo and rate: one query."""
    mark = Mark.objects.filter(session_id=session.pk, enrolment_id=OuterRef("pk"))
    rows = (
        session_enrolments(session)
        .annotate(
            marked=_marked(),
            attended=_attended(),
            current=Subquery(mark.values("status")[:1], output_field=CharField()),
            photo=Exists(LearnerPhoto.objects.filter(person_id=OuterRef("person_id"))),
            photo_consent=_photo_consent(),
        )
        .select_related("person")
        .order_by("person__legal_family_name", "person__legal_given_names", "pk")
    )
    return [
        RollcallLine(
            enrolment_id=e.pk,
            name=str(e.person),
            status=e.current or "",
            has_photo=bool(e.photo and e.photo_consent),
            marked=e.marked,
            attended=e.attended,
        )
        for e in rows
    ]


def cohort_rates(*, cohort: Cohort) -> list[RollcallLine]:
    """Every learner of the cohort with their attendance rate (one query)."""
    rows = (
        Enrolment.objects.filter(cohort=cohort)
        .annotate(marked=_marked(), attended=_attended())
        .select_related("person")
        .order_by("person__legal_family_name", "person__legal_given_names", "pk")
    )
    return [
        RollcallLine(
            enrolment_id=e.pk,
            name=str(e.person),
            status=e.status,
            has_photo=False,
            marked=e.marked,
            attended=e.attended,
        )
        for e in rows
    ]


def cohort_sessions_marked(*, cohort: Cohort) -> QuerySet[Session]:
    """The cohort's sessions, latest first, each with how many marks it holds."""
    return (
        Session.objects.filter(cohort=cohort)
        .annotate(marked=Count("marks"))
        .select_related("module", "room")
        .order_by("-starts_at", "-pk")
    )


def photo_for_rollcall(*, user: User, enrolment_id: int) -> LearnerPhoto:
    """The photo, only while its learner's consent holds; 404 otherwise."""
    enrolment = enrolment_for_rollcall(user=user, enrolment_id=enrolment_id)
    photo = (
        LearnerPhoto.objects.filter(person_id=enrolment.person_id)
        .annotate(consent_holds=_photo_consent())
        .filter(consent_holds=True)
        .first()
    )
    if photo is None:
        raise Http404
    return photo


def _taught(user: User, *, field: str) -> Q:
    """Cohorts whose roll call the user takes (``access.teaches``, as a filter): those they
    teach at a site where they are a trainer, and every cohort of the sites they manage."""
    scope = scope_for(user)
    prefix = f"{field}__" if field else ""
    managed = scope.site_filter({Role.SITE_MANAGER}, field=f"{prefix}run__site")
    trainer_sites = scope.site_ids({Role.TRAINER})
    if not trainer_sites:
        return managed
    return managed | Q(**{f"{prefix}trainers": user, f"{prefix}run__site_id__in": trainer_sites})


# The dashboard lists at most this many sessions and cohorts.
TILE_SIZE = 8


def rollcall_today(*, user: User, day: dt.date) -> tuple[list[Session], list[Cohort]]:
    """Today's sessions whose roll call the user takes, and their cohorts running today."""
    sessions = list(
        Session.objects.filter(
            pk__in=Session.objects.filter(_taught(user, field="cohort")).values("pk"),
            starts_at__date=day,
        )
        .select_related("cohort", "room", "module")
        .order_by("starts_at", "pk")[:TILE_SIZE]
    )
    cohorts = list(
        Cohort.objects.filter(
            pk__in=Cohort.objects.filter(_taught(user, field="")).values("pk"),
            starts_on__lte=day,
            ends_on__gte=day,
        ).order_by("title", "pk")[:TILE_SIZE]
    )
    return sessions, cohorts
