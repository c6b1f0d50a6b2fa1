"""The demo's training: each reference programme's structure, running and finished cohorts
in its own format, a timetable, about ten weeks of attendance with a few learners at risk,
and PN's 2018 intake of 118 taken through its two years."""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from tremplin.core.models import User
from tremplin.network.models import Organisation, Programme, ProgrammeRun, Role, RoleAssignment
from tremplin.people.models import Person
from tremplin.selection.models import Application
from tremplin.training.models import (
    Cohort,
    Enrolment,
    ExitReason,
    Mark,
    MarkStatus,
    Module,
    ModuleKind,
    Period,
    Room,
    Session,
)

K = ModuleKind

# programme slug → periods (title, kind, weeks) and modules (title, kind, hours, period index)
_PN_PERIODS = [
    ("Year 1 — Term 1", Period.Kind.TERM, 24),
    ("Year 1 — Term 2", Period.Kind.TERM, 24),
    ("Year 2 — Term 1", Period.Kind.TERM, 24),
    ("Year 2 — Term 2", Period.Kind.TERM, 24),
]
_PN_COMMON = [
    ("English for IT", K.LANGUAGE, 320, 0),
    ("Soft skills and professional life", K.SOFT_SKILLS, 160, 1),
    ("Internship preparation", K.SOFT_SKILLS, 40, 3),
]


@dataclass(frozen=True)
class Structure:
    periods: Sequence[tuple[str, str, int]]
    modules: Sequence[tuple[str, str, int, int | None]]


STRUCTURES: dict[str, Structure] = {
    "sna": Structure(
        _PN_PERIODS,
        [
            ("IT fundamentals", K.DIGITAL, 240, 0),
            ("Networking (Cisco CCNA)", K.DIGITAL, 300, 1),
            ("Linux and Windows servers", K.DIGITAL, 300, 2),
            ("Security and cloud", K.DIGITAL, 200, 3),
            *_PN_COMMON,
        ],
    ),
    "web": Structure(
        _PN_PERIODS,
        [
            ("Algorithms and programming", K.DIGITAL, 240, 0),
            ("HTML, CSS and JavaScript", K.DIGITAL, 300, 1),
            ("PHP and databases", K.DIGITAL, 300, 2),
            ("Web project", K.DIGITAL, 200, 3),
            *_PN_COMMON,
        ],
    ),
    "it-usc": Structure(
        [*_PN_PERIODS, ("Year 3 — Term 1", Period.Kind.TERM, 24)],
        [
            ("Computing fundamentals (USC)", K.DIGITAL, 300, 0),
            ("Object-oriented programming (USC)", K.DIGITAL, 300, 2),
            ("Capstone project", K.DIGITAL, 240, 4),
            *_PN_COMMON,
        ],
    ),
    "sdt": Structure(
        [*_PN_PERIODS, ("Year 3 — Term 1", Period.Kind.TERM, 24)],
        [
            ("Programming basics", K.DIGITAL, 300, 0),
            ("Software testing", K.DIGITAL, 300, 2),
            ("Team project", K.DIGITAL, 240, 4),
            *_PN_COMMON,
        ],
    ),
    "monteur-raccordeur": Structure(
        [],
        [
            ("Refresher: French, maths and digital basics", K.REFRESHER, 140, None),
            ("Fibre-optic trade, taught by professionals", K.TRADE_PRACTICE, 280, None),
            ("Safety and working at height", K.TRADE_PRACTICE, 70, None),
            ("Workplace codes and job search", K.SOFT_SKILLS, 70, None),
        ],
    ),
    "datacenter": Structure(
        [],
        [
            ("Refresher: French, maths and digital basics", K.REFRESHER, 140, None),
            ("Datacenter operations", K.TRADE_PRACTICE, 420, None),
            ("Workplace codes and job search", K.SOFT_SKILLS, 140, None),
        ],
    ),
    "digiconnect": Structure(
        [],
        [
            ("Beginner: using a computer and a phone", K.DIGITAL, 20, None),
            ("Intermediate: internet, e-mail and online services", K.DIGITAL, 20, None),
            ("Advanced: office tools, towards PCIE", K.DIGITAL, 20, None),
        ],
    ),
    "digistart": Structure(
        [],
        [
            ("HTML", K.DIGITAL, 90, None),
            ("CSS", K.DIGITAL, 90, None),
            ("JavaScript", K.DIGITAL, 60, None),
            ("Job readiness", K.SOFT_SKILLS, 30, None),
        ],
    ),
    "digitous": Structure(
        [("Course", Period.Kind.PHASE, 12), ("Apprenticeship", Period.Kind.PHASE, 40)],
        [
            ("Web development course", K.DIGITAL, 300, 0),
            ("Apprenticeship in a company", K.TRADE_PRACTICE, 900, 1),
        ],
    ),
    "nt4eu": Structure(
        [],
        [
            ("Using a computer safely", K.DIGITAL, 8, None),
            ("Internet and online services", K.DIGITAL, 8, None),
            ("Communicating online", K.DIGITAL, 8, None),
            ("Office tools", K.DIGITAL, 10, None),
            ("French for digital work", K.LANGUAGE, 12, None),
            ("Project for a local business", K.TRADE_PRACTICE, 10, None),
            ("Towards the certification", K.DIGITAL, 4, None),
        ],
    ),
}

# Half-days of class per week, by programme: (weekdays, morning only?)
LONG_DAYS = {"sna", "web", "it-usc", "sdt", "monteur-raccordeur", "datacenter", "digistart"}


def structures_load(programmes: list[Programme]) -> None:
    for programme in programmes:
        spec = STRUCTURES.get(programme.slug)
        if spec is None:
            continue
        periods = [
            Period.objects.create(
                programme=programme, title=title, kind=kind, position=index + 1, weeks=weeks
            )
            for index, (title, kind, weeks) in enumerate(spec.periods)
        ]
        Module.objects.bulk_create(
            [
                Module(
                    programme=programme,
                    title=title,
                    kind=kind,
                    hours=hours,
                    position=index + 1,
                    period=periods[period] if period is not None else None,
                )
                for index, (title, kind, hours, period) in enumerate(spec.modules)
            ]
        )


def _site_user(site_id: int, role: str) -> User | None:
    assignment = (
        RoleAssignment.objects.filter(site_id=site_id, role=role).select_related("user").first()
    )
    return assignment.user if assignment else None


def _sessions(
    cohort: Cohort, *, until: dt.date, zone: zoneinfo.ZoneInfo, room: Room, long_days: bool
) -> list[Session]:
    """Mon–Thu mornings (and afternoons for full-time courses), holidays aside."""
    modules = list(cohort.run.programme.modules.order_by("position"))
    sessions: list[Session] = []
    day = cohort.starts_on
    last = min(until, cohort.ends_on)
    total_days = max((cohort.ends_on - cohort.starts_on).days, 1)
    while day <= last:
        if day.weekday() < 4:
            share = (day - cohort.starts_on).days / total_days
            module = modules[min(int(share * len(modules)), len(modules) - 1)] if modules else None
            times = [(dt.time(9), dt.time(12, 30))]
            if long_days:
                times.append((dt.time(13, 30), dt.time(17)))
            for start, end in times:
                sessions.append(
                    Session(
                        cohort=cohort,
                        module=module,
                        starts_at=dt.datetime.combine(day, start, tzinfo=zone),
                        ends_at=dt.datetime.combine(day, end, tzinfo=zone),
                        room=room,
                    )
                )
        day += dt.timedelta(days=1)
    return Session.objects.bulk_create(sessions, batch_size=1000)


def _marks(
    sessions: list[Session],
    enrolments: list[Enrolment],
    *,
    now: dt.datetime,
    trainer: User | None,
    rng: random.Random,
    drift: bool,
) -> int:
    """Mostly present; a learner or two per running cohort drift away in the last weeks (at
    risk)."""
    past = [s for s in sessions if s.ends_at <= now]
    # One learner drifts away in a small cohort, two in a large one: a few at risk.
    drifters = 2 if len(enrolments) >= 20 else 1
    drifting = {e.pk for e in enrolments[-drifters:]} if drift and len(enrolments) > 6 else set()
    rows: list[Mark] = []
    for index, session in enumerate(past):
        late_in_course = index >= len(past) - 8
        for enrolment in enrolments:
            if enrolment.pk in drifting and late_in_course:
                status = MarkStatus.ABSENT if rng.random() < 0.85 else MarkStatus.LATE
            else:
                draw = rng.random()
                status = (
                    MarkStatus.PRESENT
                    if draw < 0.86
                    else MarkStatus.LATE
                    if draw < 0.93
                    else MarkStatus.EXCUSED
                    if draw < 0.96
                    else MarkStatus.ABSENT
                )
            rows.append(
                Mark(
                    session=session,
                    enrolment=enrolment,
                    status=status,
                    recorded_by=trainer,
                    recorded_at=session.starts_at + dt.timedelta(minutes=10),
                )
            )
    Mark.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _cohort_specs(run: ProgrammeRun) -> list[tuple[str, str, int]]:
    """(title suffix, level group, places): Konexio's levels run in parallel."""
    programme = run.programme
    if programme.slug == "digiconnect" and programme.levels:
        return [(level, level, 10) for level in programme.levels]
    return [("", "", run.seats)]


def _cohorts_load(run: ProgrammeRun, *, today: dt.date, rng: random.Random, used: set[int]) -> int:
    """A cohort (or a level group each) for the run, with learners of the site, a timetable
    from the start to two weeks ahead and the attendance taken so far; a finished run's
    learners graduate at its end."""
    now = timezone.now()
    finished = run.status == ProgrammeRun.Status.FINISHED
    zone = zoneinfo.ZoneInfo(run.site.timezone)
    trainer = _site_user(run.site_id, Role.TRAINER)
    coach = _site_user(run.site_id, Role.JOB_COACH)
    room, _created = Room.objects.get_or_create(
        site=run.site, name=f"Room {run.programme.slug[:12]}", defaults={"capacity": 20}
    )
    marks = 0
    for suffix, level, places in _cohort_specs(run):
        cohort = Cohort.objects.create(
            run=run,
            title=f"{run.title} — {suffix}" if suffix else run.title,
            level=level,
            starts_on=run.starts_on,
            ends_on=run.ends_on,
            seats=places,
            coach=coach,
        )
        if trainer is not None:
            cohort.trainers.add(trainer)
        learners = list(
            Person.objects.filter(site=run.site, merged_into__isnull=True)
            .exclude(pk__in=used)
            .order_by("pk")[: max(places - rng.randint(0, 2), 1)]
        )
        used.update(p.pk for p in learners)
        enrolments = Enrolment.objects.bulk_create(
            [
                Enrolment(
                    cohort=cohort,
                    person=p,
                    level=level,
                    joined_on=cohort.starts_on,
                    status=Enrolment.Status.GRADUATED if finished else Enrolment.Status.ACTIVE,
                    left_on=cohort.ends_on if finished else None,
                )
                for p in learners
            ]
        )
        sessions = _sessions(
            cohort,
            until=today + dt.timedelta(days=14),
            zone=zone,
            room=room,
            long_days=run.programme.slug in LONG_DAYS,
        )
        if trainer is not None:
            Session.trainers.through.objects.bulk_create(
                [Session.trainers.through(session_id=s.pk, user_id=trainer.pk) for s in sessions],
                batch_size=2000,
            )
        marks += _marks(sessions, enrolments, now=now, trainer=trainer, rng=rng, drift=not finished)
        # One learner left early in the larger cohorts, with the reason recorded.
        if len(enrolments) > 8:
            leaver = enrolments[0]
            leaver.status = Enrolment.Status.LEFT_EARLY
            leaver.left_on = min(today, cohort.starts_on + dt.timedelta(days=20))
            leaver.exit_reason = ExitReason.FOUND_JOB
            leaver.save(update_fields=["status", "left_on", "exit_reason"])
    return marks


def training_demo_load(*, organisation: Organisation, today: dt.date, seed: int) -> int:
    """The organisation's programme structures, a cohort per running run, and a finished
    cohort of its first short programme (ended a month ago); returns the marks made."""
    rng = random.Random(seed)
    programmes = list(organisation.programmes.order_by("slug"))
    structures_load(programmes)
    short = [p for p in programmes if p.duration_weeks <= 26]
    if short:
        programme = short[0]
        run = programme.runs.order_by("site__slug").select_related("site").first()
        if run is not None:
            ends_on = today - dt.timedelta(days=30)
            starts_on = ends_on - dt.timedelta(weeks=min(programme.duration_weeks, 12))
            ProgrammeRun.objects.create(
                programme=programme,
                site=run.site,
                title=f"{programme.title} — {run.site.city} {starts_on:%Y-%m}",
                starts_on=starts_on,
                ends_on=ends_on,
                seats=run.seats,
                status=ProgrammeRun.Status.FINISHED,
            )
    used: set[int] = set()
    marks = 0
    runs = ProgrammeRun.objects.filter(
        site__organisation=organisation,
        status__in=[ProgrammeRun.Status.RUNNING, ProgrammeRun.Status.FINISHED],
        calls__isnull=True,
    ).select_related("programme", "site")
    for run in runs.order_by("site__slug", "programme__slug", "starts_on"):
        marks += _cohorts_load(run, today=today, rng=rng, used=used)
    return marks


def pn_2018_cohort_load(*, today: dt.date, seed: int) -> Cohort | None:
    """PN Cambodia's 2018 intake: the 118 selected, two years of training, most graduated,
    a few left early with their reasons."""
    rng = random.Random(seed)
    run = ProgrammeRun.objects.filter(calls__slug="pn-kh-2018").select_related("site").first()
    if run is None:
        return None
    call = run.calls.get(slug="pn-kh-2018")
    selected = list(
        Application.objects.filter(
            call=call,
            outcome=Application.Outcome.SELECTED,
            status=Application.Status.SUBMITTED,
            person__isnull=False,
        ).order_by("pk")
    )
    cohort = Cohort.objects.create(
        run=run,
        call=call,
        title="PN Cambodia — promotion 2018–2020",
        starts_on=run.starts_on,
        ends_on=run.ends_on,
        seats=max(len(selected), 1),
        coach=_site_user(run.site_id, Role.JOB_COACH),
    )
    trainer = _site_user(run.site_id, Role.TRAINER)
    if trainer is not None:
        cohort.trainers.add(trainer)
    reasons = [ExitReason.FAMILY, ExitReason.MONEY, ExitReason.HEALTH, ExitReason.MOTIVATION]
    rows = []
    for index, application in enumerate(selected):
        left = index % 15 == 7  # about one in fifteen leaves before the end
        rows.append(
            Enrolment(
                cohort=cohort,
                person_id=int(application.person_id or 0),
                application=application,
                joined_on=run.starts_on,
                status=Enrolment.Status.LEFT_EARLY if left else Enrolment.Status.GRADUATED,
                left_on=run.starts_on + dt.timedelta(days=rng.randint(60, 500))
                if left
                else run.ends_on,
                exit_reason=rng.choice(reasons) if left else "",
            )
        )
    Enrolment.objects.bulk_create(rows)
    return cohort


def training_remove(organisations: QuerySet[Organisation]) -> None:
    """The demo's training records, before the people and runs they point at."""
    from tremplin.training.models import Assessment, AssessmentResult
    from tremplin.training.models.certificates import Certificate
    from tremplin.training.models.certification import CertificationSession

    cohorts = Cohort.objects.filter(run__site__organisation__in=organisations)
    Certificate.objects.filter(organisation__in=organisations).delete()
    CertificationSession.objects.filter(site__organisation__in=organisations).delete()
    assessments = Assessment.objects.filter(programme__organisation__in=organisations)
    AssessmentResult.objects.filter(assessment__in=assessments).delete()
    assessments.delete()
    Enrolment.objects.filter(cohort__in=cohorts).update(transferred_to=None)
    Enrolment.objects.filter(cohort__in=cohorts).delete()
    Session.objects.filter(cohort__in=cohorts).delete()
    cohorts.update(replicated_from=None)
    cohorts.delete()
    Room.objects.filter(site__organisation__in=organisations).delete()
