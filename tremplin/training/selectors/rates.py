"""Attendance rates: present and late over everything marked, per learner, cohort, module
and site, counted by the database (aggregates over the marks; Python only adds up the
handful of rows they return).

An unmarked learner counts nowhere: a rate says how often a learner came when the roll was
taken. Excused absences count as marked and not attended, as funders count them; the
figures beside the rate let a reader see them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from tremplin.core.models import User
from tremplin.network.models import Programme, Site
from tremplin.training.models import Cohort, Enrolment, Mark, MarkStatus, Module, SessionTally
from tremplin.training.selectors.access import cohorts_visible

ATTENDED = (MarkStatus.PRESENT, MarkStatus.LATE)
# Below this, a rate is shown as a warning (funders commonly ask for 80 %).
LOW_RATE = 80.0

_DURATION = ExpressionWrapper(
    F("session__ends_at") - F("session__starts_at"), output_field=DurationField()
)


@dataclass
class Rate:
    """Counts of marks; ``rate`` in percent, None when nothing was marked."""

    marked: int = 0
    attended: int = 0
    absent: int = 0
    excused: int = 0

    def add(self, other: Rate) -> None:
        self.marked += other.marked
        self.attended += other.attended
        self.absent += other.absent
        self.excused += other.excused

    @property
    def rate(self) -> float | None:
        return round(100 * self.attended / self.marked, 1) if self.marked else None

    @property
    def low(self) -> bool:
        return self.rate is not None and self.rate < LOW_RATE


def _counts() -> dict[str, Count]:
    return {
        "marked": Count("pk"),
        "attended": Count("pk", filter=Q(status__in=ATTENDED)),
        "absent": Count("pk", filter=Q(status=MarkStatus.ABSENT)),
        "excused": Count("pk", filter=Q(status=MarkStatus.EXCUSED)),
    }


def _rate(row: dict[str, int]) -> Rate:
    return Rate(
        marked=row["marked"], attended=row["attended"], absent=row["absent"], excused=row["excused"]
    )


@dataclass(frozen=True)
class Filters:
    site_id: int | None = None
    programme_id: int | None = None
    since: dt.date | None = None  # sessions starting on or after
    until: dt.date | None = None  # sessions starting before the day after


def _starts_bounds(filters: Filters) -> Q:
    """The period as bounds on the session's start (an index range, unlike ``__date``)."""
    bounds = Q()
    if filters.since is not None:
        bounds &= Q(session__starts_at__gte=dt.datetime.combine(filters.since, dt.time.min, dt.UTC))
    if filters.until is not None:
        end = filters.until + dt.timedelta(days=1)
        bounds &= Q(session__starts_at__lt=dt.datetime.combine(end, dt.time.min, dt.UTC))
    return bounds


def _tally_counts() -> dict[str, Any]:
    """The counts of ``_counts`` over sessions' tallies instead of marks."""
    present, late = Sum("present"), Sum("late")
    return {
        "marked": present + late + Sum("absent") + Sum("excused"),
        "attended": present + late,
        "absent": Sum("absent"),
        "excused": Sum("excused"),
    }


def _per_module(rows: QuerySet[Mark] | QuerySet[SessionTally]) -> list[Line]:
    counts = _counts() if rows.model is Mark else _tally_counts()
    return [
        Line(key=row["session__module_id"], label=row["session__module__title"], rate=_rate(row))
        for row in rows.filter(session__module__isnull=False)
        .values("session__module_id", "session__module__title", "session__module__position")
        .annotate(**counts)
        .order_by("session__module__position")
    ]


def _per_month(rows: QuerySet[Mark] | QuerySet[SessionTally]) -> list[tuple[dt.date, Rate]]:
    counts = _counts() if rows.model is Mark else _tally_counts()
    months = []
    for row in (
        rows.annotate(month=TruncMonth("session__starts_at"))
        .values("month")
        .annotate(**counts)
        .order_by("month")
    ):
        month = row["month"]
        months.append((month.date() if isinstance(month, dt.datetime) else month, _rate(row)))
    return months


@dataclass
class Line:
    """A row of a table of rates: what it is about, its figures."""

    key: int
    label: str
    rate: Rate = field(default_factory=Rate)
    detail: str = ""


@dataclass
class Dashboard:
    total: Rate
    sites: list[Line]
    cohorts: list[Line]
    modules: list[Line]


def scoped_cohorts(*, user: User, filters: Filters) -> QuerySet[Cohort]:
    cohorts = cohorts_visible(user=user)
    if filters.site_id is not None:
        cohorts = cohorts.filter(run__site_id=filters.site_id)
    if filters.programme_id is not None:
        cohorts = cohorts.filter(run__programme_id=filters.programme_id)
    return cohorts


def dashboard_rates(*, user: User, filters: Filters) -> Dashboard:
    """The rates of the user's cohorts (a trainer: their own), by site, cohort and module:
    one aggregate over the sessions' tallies (SessionTally, which the database keeps from
    the marks: a row per session, not one per learner and session), grouped by cohort and
    module, then the cohorts' and modules' names (three queries, whatever the number of
    marks)."""
    cohort_ids = scoped_cohorts(user=user, filters=filters).values("pk")
    rows = (
        SessionTally.objects.filter(_starts_bounds(filters), session__cohort_id__in=cohort_ids)
        .values_list("session__cohort_id", "session__module_id")
        .annotate(Sum("present"), Sum("late"), Sum("absent"), Sum("excused"))
        .order_by()
    )
    by_cohort: dict[int, Rate] = defaultdict(Rate)
    by_module: dict[int, Rate] = defaultdict(Rate)
    for cohort_id, module_id, present, late, absent, excused in rows:
        rate = Rate(
            marked=present + late + absent + excused,
            attended=present + late,
            absent=absent,
            excused=excused,
        )
        by_cohort[cohort_id].add(rate)
        if module_id is not None:
            by_module[module_id].add(rate)
    cohorts = Cohort.objects.filter(pk__in=by_cohort).values_list(
        "pk", "title", "run__title", "run__site_id", "run__site__name"
    )
    total = Rate()
    sites: dict[int, Line] = {}
    cohort_lines = []
    for cohort_id, title, run_title, site_id, site_name in cohorts:
        rate = by_cohort[cohort_id]
        total.add(rate)
        sites.setdefault(site_id, Line(key=site_id, label=site_name)).rate.add(rate)
        cohort_lines.append(
            Line(key=cohort_id, label=title, rate=rate, detail=f"{site_name} · {run_title}")
        )
    modules = Module.objects.filter(pk__in=by_module).values_list("pk", "title", "programme__title")
    module_lines = [
        Line(key=pk, label=title, rate=by_module[pk], detail=programme)
        for pk, title, programme in modules
    ]
    return Dashboard(
        total=total,
        sites=sorted(sites.values(), key=lambda line: line.label),
        cohorts=sorted(cohort_lines, key=lambda line: (line.detail, line.label)),
        modules=sorted(module_lines, key=lambda line: (line.detail, line.label)),
    )


def dashboard_choices(*, user: User) -> tuple[QuerySet[Site], QuerySet[Programme]]:
    """The sites and programmes the dashboard's filters offer: those of the user's cohorts."""
    runs = cohorts_visible(user=user).values("run")
    sites = Site.objects.filter(runs__in=runs).distinct().order_by("name")
    programmes = Programme.objects.filter(runs__in=runs).distinct().order_by("title")
    return sites, programmes


@dataclass
class LearnerLine:
    enrolment: Enrolment
    rate: Rate
    hours: float  # hours of the sessions attended (present or late)


def cohort_months(cohort: Cohort) -> list[dt.date]:
    """The first day of each month the cohort runs in (its monthly sheets)."""
    months = []
    month = cohort.starts_on.replace(day=1)
    while month <= cohort.ends_on:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


@dataclass
class CohortRates:
    cohort: Cohort
    total: Rate
    learners: list[LearnerLine]
    modules: list[Line]
    months: list[tuple[dt.date, Rate]]

    @property
    def sheet_months(self) -> list[dt.date]:
        return cohort_months(self.cohort)


def _hours(delta: dt.timedelta | None) -> float:
    return round(delta.total_seconds() / 3600, 1) if delta else 0.0


def cohort_rates(*, cohort: Cohort, filters: Filters | None = None) -> CohortRates:
    """One cohort's rates per learner (with hours attended, from the marks), per module and
    per month (from the sessions' tallies): four queries. The caller has checked the user
    sees the cohort."""
    bounds = _starts_bounds(filters or Filters())
    marks = Mark.objects.filter(bounds, session__cohort=cohort)
    tallies = SessionTally.objects.filter(bounds, session__cohort=cohort)
    per_learner = {
        row["enrolment_id"]: row
        for row in marks.values("enrolment_id")
        .annotate(**_counts(), hours=Sum(_DURATION, filter=Q(status__in=ATTENDED)))
        .order_by()
    }
    learners = []
    total = Rate()
    for enrolment in cohort.enrolments.select_related("person"):
        row = per_learner.get(enrolment.pk)
        rate = _rate(row) if row else Rate()
        total.add(rate)
        learners.append(
            LearnerLine(enrolment=enrolment, rate=rate, hours=_hours(row["hours"] if row else None))
        )
    modules = _per_module(tallies)
    months = _per_month(tallies)
    return CohortRates(
        cohort=cohort, total=total, learners=learners, modules=modules, months=months
    )


def learner_totals(*, session_ids: list[int]) -> dict[int, tuple[Rate, float]]:
    """Each learner's rate and hours attended over these sessions (one query)."""
    return {
        row["enrolment_id"]: (_rate(row), _hours(row["hours"]))
        for row in Mark.objects.filter(session_id__in=session_ids)
        .values("enrolment_id")
        .annotate(**_counts(), hours=Sum(_DURATION, filter=Q(status__in=ATTENDED)))
        .order_by()
    }


@dataclass
class LearnerProfile:
    enrolment: Enrolment
    total: Rate
    hours: float
    modules: list[Line]
    months: list[tuple[dt.date, Rate]]
    recent_absences: list[Mark]


def learner_profile(*, enrolment: Enrolment, recent: int = 10) -> LearnerProfile:
    """One learner's attendance: overall, per module, per month, and their last absences
    (four queries, each on the learner's own marks by index). The caller has checked the
    user sees the learner."""
    marks = Mark.objects.filter(enrolment=enrolment)
    overall = marks.aggregate(**_counts(), hours=Sum(_DURATION, filter=Q(status__in=ATTENDED)))
    modules = _per_module(marks)
    months = _per_month(marks)
    absences = list(
        marks.exclude(status__in=ATTENDED)
        .select_related("session", "session__module")
        .order_by("-session__starts_at")[:recent]
    )
    return LearnerProfile(
        enrolment=enrolment,
        total=_rate(overall),
        hours=_hours(overall["hours"]),
        modules=modules,
        months=months,
        recent_absences=absences,
    )
