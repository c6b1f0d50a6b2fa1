"""Signed attendance sheets as PDF (feuilles d'émargement): for a session, a month of a
cohort, or the whole course.

What Qualiopi audits and French public funders ask: the organisation, the site, the
programme and cohort, the dates and hours; one row per learner and one column per
half-day, holding the learner's signature (or "absent", "excused"); the trainers' names;
and each learner's total of hours attended. Columns are grouped by week, one table a page.
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass, field
from itertools import groupby

from django.db.models import Q, Sum
from django.template.loader import render_to_string
from django.utils import timezone

from tremplin.core.encryption import decrypt_bytes
from tremplin.core.pdf import html_to_pdf
from tremplin.training.models import (
    Cohort,
    Enrolment,
    HalfDay,
    Mark,
    MarkStatus,
    Session,
    Signature,
)
from tremplin.training.selectors import signatures as signing
from tremplin.training.selectors.rates import Rate, learner_totals


@dataclass
class Column:
    day: dt.date
    half_day: str
    sessions: list[Session] = field(default_factory=list)

    @property
    def half_day_label(self) -> str:
        return str(HalfDay(self.half_day).label)


@dataclass(frozen=True)
class Cell:
    # "signed", "present" or "late" (marked, not signed), "absent", "excused", "unmarked",
    # or "out" (not in the cohort that day)
    state: str
    image: str = ""  # a data: URL of the PNG, when signed
    late: bool = False


@dataclass
class SheetRow:
    enrolment: Enrolment
    cells: list[Cell]


@dataclass
class Week:
    monday: dt.date
    columns: list[Column]
    rows: list[SheetRow]


@dataclass
class Total:
    enrolment: Enrolment
    hours: float
    rate: Rate


@dataclass
class Sheet:
    cohort: Cohort
    title: str
    since: dt.date
    until: dt.date
    weeks: list[Week]
    totals: list[Total]
    hours_scheduled: float
    programme_hours: int
    trainers: list[str]
    zone_name: str


def _hours(delta: dt.timedelta | None) -> float:
    return round(delta.total_seconds() / 3600, 2) if delta else 0.0


def _columns(sessions: list[Session]) -> list[Column]:
    columns: dict[tuple[dt.date, str], Column] = {}
    for session in sessions:
        day = timezone.localtime(session.starts_at, signing.site_zone(session)).date()
        for half in signing.half_days_of(session):
            columns.setdefault((day, half), Column(day=day, half_day=half)).sessions.append(session)
    return [columns[key] for key in sorted(columns)]


def _cell(
    *,
    column: Column,
    enrolment: Enrolment,
    marks: dict[tuple[int, int], str],
    images: dict[tuple[int, int, str], str],
) -> Cell:
    if enrolment.joined_on > column.day or (
        enrolment.left_on is not None and enrolment.left_on < column.day
    ):
        return Cell(state="out")
    status = ""
    for session in column.sessions:
        status = status or marks.get((session.pk, enrolment.pk), "")
        image = images.get((session.pk, enrolment.pk, column.half_day))
        if image:
            return Cell(state="signed", image=image, late=status == MarkStatus.LATE)
    return Cell(state=status or "unmarked")


def sheet_build(
    *, cohort: Cohort, since: dt.date, until: dt.date, title: str, session: Session | None = None
) -> Sheet:
    """The sheet of a cohort's sessions from ``since`` to ``until`` (dates in the site's
    time zone), or of ``session`` alone: six queries, whatever the number of learners and
    sessions."""
    zone = timezone.get_fixed_timezone(0)
    site_zone_name = cohort.run.site.timezone
    start = dt.datetime.combine(since, dt.time.min, zone) - dt.timedelta(days=1)
    end = dt.datetime.combine(until, dt.time.min, zone) + dt.timedelta(days=2)
    chosen = cohort.sessions.filter(pk=session.pk) if session is not None else cohort.sessions
    sessions = [
        s
        for s in chosen.filter(starts_at__gte=start, starts_at__lt=end)
        .select_related("cohort__run__site", "module")
        .prefetch_related("trainers")
        .order_by("starts_at")
        if since <= timezone.localtime(s.starts_at, signing.site_zone(s)).date() <= until
    ]
    session_ids = [s.pk for s in sessions]
    enrolments = list(
        cohort.enrolments.filter(joined_on__lte=until)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=since))
        .select_related("person")
        .order_by("person__legal_family_name", "person__legal_given_names")
    )
    marks = {
        (m["session_id"], m["enrolment_id"]): m["status"]
        for m in Mark.objects.filter(session_id__in=session_ids).values(
            "session_id", "enrolment_id", "status"
        )
    }
    images = {
        (s["session_id"], s["enrolment_id"], s["half_day"]): "data:image/png;base64,"
        + base64.b64encode(decrypt_bytes(bytes(s["image"]))).decode()
        for s in Signature.objects.filter(session_id__in=session_ids).values(
            "session_id", "enrolment_id", "half_day", "image"
        )
    }
    weeks = []
    for monday, group in groupby(
        _columns(sessions), key=lambda c: c.day - dt.timedelta(days=c.day.weekday())
    ):
        columns = list(group)
        rows = [
            SheetRow(
                enrolment=e,
                cells=[_cell(column=c, enrolment=e, marks=marks, images=images) for c in columns],
            )
            for e in enrolments
        ]
        weeks.append(Week(monday=monday, columns=columns, rows=rows))
    per_learner = learner_totals(session_ids=session_ids)
    totals = [
        Total(enrolment=e, hours=per_learner[e.pk][1], rate=per_learner[e.pk][0])
        if e.pk in per_learner
        else Total(enrolment=e, hours=0.0, rate=Rate())
        for e in enrolments
    ]
    trainers = sorted({t.display_name for s in sessions for t in s.trainers.all()})
    programme_hours = cohort.run.programme.modules.aggregate(total=Sum("hours"))["total"] or 0
    return Sheet(
        cohort=cohort,
        title=title,
        since=since,
        until=until,
        weeks=weeks,
        totals=totals,
        hours_scheduled=_hours(sum((s.ends_at - s.starts_at for s in sessions), dt.timedelta())),
        programme_hours=programme_hours,
        trainers=trainers,
        zone_name=site_zone_name,
    )


def sheet_pdf(*, sheet: Sheet, base_url: str) -> bytes:
    html = render_to_string(
        "training/sheet_pdf.html", {"sheet": sheet, "printed_at": timezone.localtime()}
    )
    return html_to_pdf(html, base_url=base_url)
