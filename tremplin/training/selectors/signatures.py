"""Reads for signing attendance: which half-days a session covers, who may sign for it,
and which session a learner's room code opens.

A half-day is read in the site's time zone: a session covers the morning when it starts
before noon and the afternoon when it ends after 13:00; a short session around midday
belongs to the half-day it starts in. Each learner signs once per half-day covered.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from tremplin.core.models import User
from tremplin.training.models import (
    Enrolment,
    HalfDay,
    Mark,
    MarkStatus,
    RoomCode,
    Session,
    Signature,
)
from tremplin.training.selectors.access import cohorts_visible, teaches

MORNING_ENDS = dt.time(12, 0)
AFTERNOON_STARTS = dt.time(13, 0)

# A learner marked so by the trainer cannot sign: the trainer corrects the mark first.
NOT_SIGNABLE = frozenset({MarkStatus.ABSENT, MarkStatus.EXCUSED})


def site_zone(session: Session) -> ZoneInfo:
    return ZoneInfo(session.cohort.run.site.timezone)


def half_days_of(session: Session) -> list[str]:
    """The half-days the session covers, morning first."""
    zone = site_zone(session)
    start = timezone.localtime(session.starts_at, zone)
    end = timezone.localtime(session.ends_at, zone)
    halves = []
    if start.time() < MORNING_ENDS:
        halves.append(HalfDay.MORNING.value)
    if end.date() > start.date() or end.time() > AFTERNOON_STARTS:
        halves.append(HalfDay.AFTERNOON.value)
    if not halves:
        halves.append(
            HalfDay.MORNING.value if start.time() < AFTERNOON_STARTS else HalfDay.AFTERNOON.value
        )
    return halves


def half_day_now(session: Session, *, now: dt.datetime | None = None) -> str:
    """The half-day a learner signing now signs for: the session's only one, or the one the
    clock is in."""
    halves = half_days_of(session)
    if len(halves) == 1:
        return halves[0]
    local = timezone.localtime(now or timezone.now(), site_zone(session))
    return HalfDay.MORNING.value if local.time() < AFTERNOON_STARTS else HalfDay.AFTERNOON.value


def session_for_signing(*, user: User, session_id: int) -> Session:
    """A session whose learners the user may have sign: one of their cohorts' (404
    otherwise); the caller refuses (403) someone who only sees the cohort."""
    session = (
        Session.objects.select_related(
            "cohort",
            "cohort__run",
            "cohort__run__site",
            "cohort__run__site__organisation",
            "cohort__run__programme",
            "module",
        )
        .filter(cohort__in=cohorts_visible(user=user).values("pk"), pk=session_id)
        .first()
    )
    if session is None:
        raise Http404
    return session


def may_collect(user: User, session: Session) -> bool:
    return teaches(user, session.cohort)


def enrolled_on(session: Session) -> Q:
    """The enrolments of the session's cohort who were in training on its day."""
    day = timezone.localtime(session.starts_at, site_zone(session)).date()
    return Q(cohort_id=session.cohort_id, joined_on__lte=day) & (
        Q(left_on__isnull=True) | Q(left_on__gte=day)
    )


def session_learners(session: Session) -> QuerySet[Enrolment]:
    return Enrolment.objects.filter(enrolled_on(session)).select_related("person")


@dataclass(frozen=True)
class RosterLine:
    enrolment: Enrolment
    mark: str  # a MarkStatus value, or "" when not marked yet
    signed: bool

    @property
    def may_sign(self) -> bool:
        return not self.signed and self.mark not in NOT_SIGNABLE


def signing_roster(*, session: Session, half_day: str) -> list[RosterLine]:
    """The session's learners in name order, with their mark and whether they signed the
    half-day: three queries, whatever the cohort's size."""
    learners = list(session_learners(session))
    marks = dict(Mark.objects.filter(session=session).values_list("enrolment_id", "status"))
    signed = set(
        Signature.objects.filter(session=session, half_day=half_day).values_list(
            "enrolment_id", flat=True
        )
    )
    return [
        RosterLine(enrolment=e, mark=marks.get(e.pk, ""), signed=e.pk in signed) for e in learners
    ]


def code_window(session: Session) -> tuple[dt.datetime, dt.datetime]:
    """When a session's room code works: from half an hour before it starts to half an hour
    after it ends."""
    margin = dt.timedelta(minutes=30)
    return session.starts_at - margin, session.ends_at + margin


def room_code_of(session: Session) -> RoomCode | None:
    return RoomCode.objects.filter(session=session).first()


def session_for_code(
    *, enrolment: Enrolment, code: str, now: dt.datetime | None = None
) -> Session | None:
    """The session of the learner's cohort whose room code this is, now valid; None for a
    wrong or expired code (one query)."""
    moment = now or timezone.now()
    return (
        Session.objects.select_related("cohort", "cohort__run", "cohort__run__site")
        .filter(
            cohort_id=enrolment.cohort_id,
            room_code__code=code,
            room_code__valid_from__lte=moment,
            room_code__valid_until__gte=moment,
        )
        .order_by("starts_at")
        .first()
    )
