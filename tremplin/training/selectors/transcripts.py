"""Reads of assessment results: a cohort's grid for one assessment, and a learner's
transcript (per period, the modules with their hours, each assessment's score and whether it
is passed, the weighted averages per period and overall, the certification aimed at).

A cohort and its learners are read through access.cohort_filter: a trainer sees only the
cohorts they teach; another site's cohort or learner is not found."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from tremplin.core.models import User
from tremplin.network.models import Programme
from tremplin.training.models import Assessment, AssessmentResult, Cohort, Enrolment, Module
from tremplin.training.selectors import access
from tremplin.training.selectors.structure import PeriodBlock, programme_structure

HUNDRED = Decimal(100)


def cohort_get(*, user: User, cohort_id: int) -> Cohort:
    cohort = access.cohorts_visible(user=user).filter(pk=cohort_id).first()
    if cohort is None:
        raise Http404
    return cohort


def cohorts_with_assessments(*, user: User) -> QuerySet[Cohort]:
    """The cohorts the user sees, newest first, with the number of their programme's
    assessments."""
    return (
        access.cohorts_visible(user=user)
        .annotate(assessment_count=Count("run__programme__assessments", distinct=True))
        .order_by("-starts_on", "title")
    )


def cohort_assessment_get(*, cohort: Cohort, assessment_id: int) -> Assessment:
    """One of the cohort's programme's assessments (404 otherwise)."""
    assessment = (
        Assessment.objects.select_related("period", "module")
        .filter(pk=assessment_id, programme_id=cohort.run.programme_id)
        .first()
    )
    if assessment is None:
        raise Http404
    return assessment


def cohort_assessments(*, cohort: Cohort) -> list[Assessment]:
    """The programme's assessments in order, each with ``result_count`` (results recorded
    for this cohort's learners)."""
    return list(
        Assessment.objects.filter(programme_id=cohort.run.programme_id)
        .select_related("period", "module")
        .annotate(
            result_count=Count("results", filter=Q(results__enrolment__cohort=cohort)),
        )
        .order_by("period__position", "module__position", "pk")
    )


def result_rows_enrolments(*, cohort: Cohort) -> list[Enrolment]:
    """The cohort's learners a result is entered for: every enrolment but those transferred
    out (their results follow them to the new cohort's grid)."""
    return list(
        Enrolment.objects.filter(cohort=cohort)
        .exclude(status=Enrolment.Status.TRANSFERRED)
        .select_related("person")
        .order_by("person__legal_family_name", "person__legal_given_names", "pk")
    )


@dataclass(frozen=True)
class GridRow:
    enrolment: Enrolment
    result: AssessmentResult | None


def results_grid(*, cohort: Cohort, assessment: Assessment) -> list[GridRow]:
    """One row per learner with their result, if any (two queries)."""
    enrolments = result_rows_enrolments(cohort=cohort)
    results = {
        r.enrolment_id: r
        for r in AssessmentResult.objects.filter(
            assessment=assessment, enrolment__in=[e.pk for e in enrolments]
        )
    }
    return [GridRow(e, results.get(e.pk)) for e in enrolments]


def enrolment_get(*, user: User, enrolment_id: int) -> Enrolment:
    """A learner of a cohort the user sees (404 otherwise)."""
    enrolment = (
        Enrolment.objects.filter(access.cohort_filter(user, field="cohort"), pk=enrolment_id)
        .select_related(
            "person",
            "application",
            "cohort__run__programme__organisation",
            "cohort__run__site",
        )
        .first()
    )
    if enrolment is None:
        raise Http404
    return enrolment


def learner_language(enrolment: Enrolment) -> str:
    """The learner's language: the one they applied in, else their site's, else the
    project's."""
    codes = {code for code, _name in settings.LANGUAGES}
    application = enrolment.application
    for candidate in (
        application.language if application is not None else "",
        enrolment.cohort.run.site.default_language,
    ):
        if candidate in codes:
            return str(candidate)
    return str(settings.LANGUAGE_CODE)


# --- the transcript -----------------------------------------------------------------------


@dataclass(frozen=True)
class Score:
    assessment: Assessment
    score: Decimal | None

    @property
    def passed(self) -> bool | None:
        return None if self.score is None else self.score >= self.assessment.pass_mark

    @property
    def percent(self) -> Decimal | None:
        if self.score is None:
            return None
        return self.score * HUNDRED / self.assessment.max_score


def weighted_average(scores: Iterable[Score]) -> Decimal | None:
    """The average of the scores recorded, each on 0–100 and weighted by its assessment's
    weight, rounded to one decimal; None when none is recorded."""
    total = weights = Decimal(0)
    for item in scores:
        if item.percent is not None:
            total += item.percent * item.assessment.weight
            weights += item.assessment.weight
    if not weights:
        return None
    return (total / weights).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class TranscriptModule:
    module: Module
    scores: list[Score]


@dataclass(frozen=True)
class TranscriptPeriod:
    title: str  # "" for the modules in no period
    modules: list[TranscriptModule]
    scores: list[Score]  # the period's own assessments (of no module)

    @property
    def hours(self) -> int:
        return sum(row.module.hours for row in self.modules)

    @property
    def all_scores(self) -> list[Score]:
        return [s for row in self.modules for s in row.scores] + self.scores

    @property
    def average(self) -> Decimal | None:
        return weighted_average(self.all_scores)


@dataclass(frozen=True)
class Transcript:
    enrolment: Enrolment
    programme: Programme
    periods: list[TranscriptPeriod]

    @property
    def hours(self) -> int:
        return sum(p.hours for p in self.periods)

    @property
    def average(self) -> Decimal | None:
        return weighted_average(s for p in self.periods for s in p.all_scores)

    @property
    def recorded(self) -> int:
        return sum(1 for p in self.periods for s in p.all_scores if s.score is not None)

    @property
    def assessment_count(self) -> int:
        return sum(len(p.all_scores) for p in self.periods)


def _period(block: PeriodBlock, results: dict[int, Decimal]) -> TranscriptPeriod:
    def scored(assessments: Sequence[Assessment]) -> list[Score]:
        return [Score(a, results.get(a.pk)) for a in assessments]

    return TranscriptPeriod(
        title=block.period.title if block.period else "",
        modules=[TranscriptModule(row.module, scored(row.assessments)) for row in block.modules],
        scores=scored(block.assessments),
    )


def transcript(*, enrolment: Enrolment) -> Transcript:
    """The learner's transcript (five queries whatever the programme's size)."""
    programme = enrolment.cohort.run.programme
    structure = programme_structure(programme=programme)
    results = dict(
        AssessmentResult.objects.filter(enrolment=enrolment).values_list("assessment_id", "score")
    )
    periods = [_period(block, results) for block in structure.blocks]
    return Transcript(
        enrolment=enrolment,
        programme=programme,
        periods=[p for p in periods if p.modules or p.scores],
    )
