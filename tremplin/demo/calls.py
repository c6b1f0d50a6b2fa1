"""Calls for applications in the demo: one open call per organisation, with a few
applications, and Passerelles numériques' 2018 selection in Cambodia at its real size
(10,452 applicants), so the funnel has something true to show."""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone

from tremplin.core.models import AuditEvent, User
from tremplin.core.text import fold
from tremplin.demo.catalogue import OPEN_CALLS, PN_2018, PastCallSpec
from tremplin.demo.population import PopulationMaker
from tremplin.network.models import Organisation, ProgrammeRun, Region, Site
from tremplin.outreach.models import Channel
from tremplin.people.models import Person
from tremplin.selection.eligibility import age_band
from tremplin.selection.models import (
    Application,
    Call,
    Decision,
    FinalDecision,
    ReasonCode,
    Stage,
    StageKind,
    StageResult,
)
from tremplin.selection.services.calls import call_create, call_update

BATCH = 2000


def calls_remove(organisations: QuerySet[Organisation]) -> None:
    """The demo's calls and applications (their results and decisions go with them)."""
    applications = Application.objects.filter(
        Q(call__site__organisation__in=organisations)
        | Q(person__site__organisation__in=organisations)
    )
    calls = Call.objects.filter(site__organisation__in=organisations)
    AuditEvent.objects.filter(
        Q(subject_type="selection.application", subject_id__in=applications.values("id"))
        | Q(subject_type="selection.call", subject_id__in=calls.values("id"))
    ).delete()
    applications.delete()
    calls.delete()


def open_calls_load(*, actor: User, today: dt.date, seed: int) -> list[Call]:
    """One published call per organisation, open from today for 60 days, with a few
    applications from the site's people (some came to an information session) and drafts."""
    rng = random.Random(seed)
    channels = [c.value for c in Channel]
    calls = []
    for spec in OPEN_CALLS:
        run = (
            ProgrammeRun.objects.filter(
                programme__organisation__slug=spec.organisation,
                programme__slug=spec.programme,
                site__slug=spec.site,
                status=ProgrammeRun.Status.RECRUITING,
            )
            .select_related("programme", "site")
            .get()
        )
        site = run.site
        call = call_create(
            actor=actor,
            run=run,
            slug=f"{spec.prefix}-{site.slug}-{run.starts_on.year}",
            title=f"{run.programme.title} — {site.city} {run.starts_on.year}",
            opens_on=today,
            closes_on=today + dt.timedelta(days=60),
            process=spec.process,
            introduction=(
                "Apply in a few short steps; you can stop and come back with the link we "
                "give you. We answer every application."
            ),
        )
        call = call_update(actor=actor, call=call, values={"published": True})
        first = call.stages.order_by("position").first()
        welcomes = first is not None and first.kind == StageKind.INFORMATION_SESSION
        people = list(Person.objects.filter(site=site).order_by("pk")[: spec.applications])
        now = timezone.now()
        applications = Application.objects.bulk_create(
            [
                Application(
                    call=call,
                    person=person,
                    status=Application.Status.SUBMITTED,
                    source=Application.Source.FORM,
                    site=site,
                    site_choices=[site.pk],
                    language=site.default_language,
                    eligible=True,
                    stages_passed=1 if welcomes and index % 2 == 0 else 0,
                    gender=person.gender,
                    region=person.region,
                    priority_neighbourhood=person.priority_neighbourhood,
                    age_band=age_band(person.birth_date, call.age_reference_date),
                    channel=rng.choice(channels),
                    attended_information_session=welcomes and index % 2 == 0,
                    submitted_at=now - dt.timedelta(hours=rng.randint(1, 48)),
                )
                for index, person in enumerate(people)
            ]
            + [
                Application(
                    call=call,
                    source=Application.Source.FORM,
                    language=site.default_language,
                    answers={"given_names": "Draft", "channel": rng.choice(channels)},
                )
                for _index in range(spec.drafts)
            ]
        )
        if first is not None and welcomes:
            StageResult.objects.bulk_create(
                StageResult(
                    application=a, stage=first, decision=Decision.ADVANCE, reason=ReasonCode.PASSED
                )
                for a in applications
                if a.stages_passed >= 1
            )
        calls.append(call)
    return calls


def past_call_load(
    *, actor: User, regions: dict[str, Region], seed: int, spec: PastCallSpec = PN_2018
) -> Call:
    """A finished call at its real size: the run, the call, its applicants (new people),
    every stage result, and the committee's validated decisions for those who reached the
    last stage. Bulk inserts throughout."""
    rng = random.Random(seed)
    maker = PopulationMaker(seed)
    site = Site.objects.get(organisation__slug=spec.organisation, slug=spec.site)
    programme = site.organisation.programmes.get(slug=spec.programme)
    zone = zoneinfo.ZoneInfo(site.timezone)
    run = ProgrammeRun.objects.create(
        programme=programme,
        site=site,
        title=f"{programme.title} — {site.city} {spec.run_starts_on:%Y-%m}",
        starts_on=spec.run_starts_on,
        ends_on=spec.run_ends_on,
        seats=spec.seats,
        status=ProgrammeRun.Status.FINISHED,
    )
    call = call_create(
        actor=actor,
        run=run,
        slug=spec.slug,
        title=spec.title,
        opens_on=spec.opens_on,
        closes_on=spec.closes_on,
        process=spec.process,
    )
    stages = list(call.stages.order_by("position"))

    # Who goes how far: per gender, the first n of a shuffled list pass each stage.
    journeys: list[tuple[str, int, str]] = []  # (gender, stages passed, outcome)
    for gender, counts in spec.funnel.items():
        applied, *passed, selected = counts
        for index in range(applied):
            reached = sum(1 for n in passed if index < n)
            outcome: str
            if reached == len(stages):
                outcome = (
                    Application.Outcome.SELECTED
                    if index < selected
                    else Application.Outcome.WAITLISTED
                )
            else:
                outcome = Application.Outcome.REJECTED
            journeys.append((gender, reached, outcome))
    rng.shuffle(journeys)

    region_codes = list(spec.regions)
    region_weights = [spec.regions[c] for c in region_codes]
    channel_codes = list(spec.channels)
    channel_weights = [spec.channels[c] for c in channel_codes]
    days = (spec.closes_on - spec.opens_on).days
    people: list[Person] = []
    applications: list[Application] = []
    for number, (gender, reached, result) in enumerate(journeys, start=1):
        given, family, nationality = maker.names(site.country.code, gender, migrant=False)
        age_days = rng.randint(spec.age_range[0] * 365, spec.age_range[1] * 365 + 364)
        birth_date = None if rng.random() < 0.01 else spec.run_starts_on - dt.timedelta(age_days)
        region = regions[rng.choices(region_codes, region_weights)[0]]
        person = Person(
            site=site,
            legal_given_names=given,
            legal_family_name=family,
            gender=gender,
            birth_date=birth_date,
            phone=maker.phone(site.country.code),
            email=f"{fold(given)}.{fold(family)}.{number}@example.org".replace(" ", ""),
            city=region.name,
            region=region,
            country=site.country.code,
            nationality=nationality,
        )
        person.refresh_derived()
        people.append(person)
        submitted = dt.datetime.combine(
            spec.opens_on + dt.timedelta(days=rng.randint(0, days)),
            dt.time(rng.randint(8, 17), rng.randint(0, 59)),
            tzinfo=zone,
        )
        applications.append(
            Application(
                call=call,
                status=Application.Status.SUBMITTED,
                source=Application.Source.IMPORT,
                outcome=result,
                site=site,
                site_choices=[site.pk],
                language=site.default_language,
                eligible=True,
                stages_passed=reached,
                gender=gender,
                region=region,
                age_band=age_band(birth_date, call.age_reference_date),
                channel=rng.choices(channel_codes, channel_weights)[0],
                attended_information_session=True,
                import_key=f"{spec.slug}-{number:05d}",
                submitted_at=submitted,
            )
        )
    Person.objects.bulk_create(people, batch_size=BATCH)
    for person, application in zip(people, applications, strict=True):
        application.person = person
    Application.objects.bulk_create(applications, batch_size=BATCH)
    StageResult.objects.bulk_create(_results(applications, stages, rng), batch_size=BATCH)
    _decisions(applications, len(stages), spec, zone, actor)
    return call


def _results(
    applications: list[Application], stages: list[Stage], rng: random.Random
) -> list[StageResult]:
    """A result for every stage each applicant sat: passed up to `stages_passed`, then
    stopped at the next one (with a score below the pass mark at a written exam). Interviews
    get the mean of 1–5 marks and home visits a need index (0–100), higher for those who
    passed, so the cohort score spans its scale (docs/selection-scores.md); these draws come
    from their own generator, so the rest of the demo stays as it was for a given seed."""
    marks = random.Random(f"demo-stage-scores-{len(applications)}")
    reasons = {
        StageKind.WRITTEN_EXAM: ReasonCode.BELOW_PASS_MARK,
        StageKind.INTERVIEW: ReasonCode.MOTIVATION,
        StageKind.SOCIAL_INVESTIGATION: ReasonCode.NEED,
        StageKind.ADMINISTRATIVE_CHECK: ReasonCode.ADMINISTRATIVE,
        StageKind.INFORMATION_SESSION: ReasonCode.NO_SHOW,
    }
    results = []
    for application in applications:
        for stage in stages[: application.stages_passed + 1]:
            passed = stage.position <= application.stages_passed
            score = None
            if stage.kind == StageKind.WRITTEN_EXAM and stage.pass_mark is not None:
                mark = int(stage.pass_mark)
                score = Decimal(rng.randint(mark, 100) if passed else rng.randint(12, mark - 1))
            elif stage.kind == StageKind.INTERVIEW:
                low, high = (2.6, 5.0) if passed else (1.0, 2.6)
                score = Decimal(str(round(marks.uniform(low, high), 2)))
            elif stage.kind == StageKind.SOCIAL_INVESTIGATION:
                score = Decimal(marks.randint(45, 100) if passed else marks.randint(0, 44))
            results.append(
                StageResult(
                    application=application,
                    stage=stage,
                    score=score,
                    decision=Decision.ADVANCE if passed else Decision.REJECT,
                    reason=ReasonCode.PASSED if passed else reasons[StageKind(stage.kind)],
                )
            )
    return results


def _decisions(
    applications: list[Application],
    stage_count: int,
    spec: PastCallSpec,
    zone: zoneinfo.ZoneInfo,
    actor: User,
) -> None:
    """The committee's validated decisions for everyone who reached the last stage."""
    proposed = dt.datetime.combine(spec.closes_on + dt.timedelta(days=7), dt.time(9), tzinfo=zone)
    validated = proposed + dt.timedelta(days=2)
    reasons = {
        Application.Outcome.SELECTED: ReasonCode.NEED,
        Application.Outcome.WAITLISTED: ReasonCode.SEATS,
        Application.Outcome.REJECTED: ReasonCode.NEED,
    }
    FinalDecision.objects.bulk_create(
        [
            FinalDecision(
                application=a,
                outcome=a.outcome,
                reason=reasons[Application.Outcome(a.outcome)],
                state=FinalDecision.State.VALIDATED,
                proposed_by=actor,
                proposed_at=proposed,
                validated_by=actor,
                validated_at=validated,
                mailed_at=validated,
            )
            for a in applications
            if a.stages_passed >= stage_count - 1
        ],
        batch_size=BATCH,
    )
