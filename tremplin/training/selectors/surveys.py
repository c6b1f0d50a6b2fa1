"""The end-of-course survey, read: whether a learner's survey is open, and the results per
cohort and per trainer.

Who: site managers, job coaches and network admins, for the cohorts of their sites (a
trainer does not read the results of their own teaching here, funders never). A group
under ``TREMPLIN_SMALL_CELL_THRESHOLD`` answers (5) shows its count only, so no learner can
be recognised from an average. Comments are read by managers (site managers of the
cohort's site, network admins) only, never with a name or a date, and only in groups of 5
answers or more.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Avg, Count, Q, QuerySet
from django.http import Http404

from tremplin.core.models import User
from tremplin.network.selectors import can_manage_site, scope_for
from tremplin.training.models import Cohort, Enrolment, SatisfactionSurvey, SurveyResponse
from tremplin.training.models.surveys import SCALE_MAX, SCALE_MIN, SURVEY_QUESTIONS
from tremplin.training.selectors.access import SITE_WIDE_ROLES

SCALE = tuple(range(SCALE_MIN, SCALE_MAX + 1))


def threshold() -> int:
    """Groups with fewer answers show their count only."""
    return int(settings.TREMPLIN_SMALL_CELL_THRESHOLD)


def can_see_results(user: User) -> bool:
    scope = scope_for(user)
    return scope.superuser or bool(
        scope.admin_organisation_ids() or scope.site_ids(SITE_WIDE_ROLES)
    )


def survey_is_open(enrolment: Enrolment) -> bool:
    """The learner was asked (their learner pages may link to the survey)."""
    return SatisfactionSurvey.objects.filter(enrolment=enrolment).exists()


def survey_answered(enrolment: Enrolment) -> bool:
    return SurveyResponse.objects.filter(enrolment=enrolment).exists()


def cohorts_for_results(*, user: User) -> QuerySet[Cohort]:
    """The cohorts whose results the user reads, with how many were asked and answered."""
    scope = scope_for(user)
    cohorts = Cohort.objects.filter(scope.site_filter(SITE_WIDE_ROLES, field="run__site"))
    return (
        Cohort.objects.filter(pk__in=cohorts.values("pk"))
        .select_related("run", "run__site", "run__programme")
        .annotate(
            asked=Count("enrolments__survey", distinct=True),
            answered=Count("enrolments__survey_response", distinct=True),
        )
    )


def cohort_for_results(*, user: User, cohort_id: int) -> Cohort:
    cohort = cohorts_for_results(user=user).filter(pk=cohort_id).first()
    if cohort is None:
        raise Http404
    return cohort


def trainers_for_results(*, user: User) -> QuerySet[User]:
    """Trainers of the cohorts whose results the user reads."""
    cohorts = cohorts_for_results(user=user).values("pk")
    return User.objects.filter(
        pk__in=Cohort.trainers.through.objects.filter(cohort_id__in=cohorts).values("user_id")
    ).order_by("last_name", "first_name", "email")


def trainer_for_results(*, user: User, trainer_id: int) -> User:
    trainer = trainers_for_results(user=user).filter(pk=trainer_id).first()
    if trainer is None:
        raise Http404
    return trainer


@dataclass(frozen=True)
class Question:
    name: str
    average: float | None
    # (value, count, percent of the answers), from 1 to 5
    distribution: tuple[tuple[int, int, int], ...] = ()


@dataclass(frozen=True)
class Results:
    """A group's results: ``suppressed`` when it holds fewer than the threshold."""

    asked: int
    answered: int
    threshold: int
    questions: tuple[Question, ...] = ()
    comments: tuple[str, ...] = field(default=())

    @property
    def suppressed(self) -> bool:
        return self.answered < self.threshold

    @property
    def rate(self) -> int | None:
        return round(100 * self.answered / self.asked) if self.asked else None


def _results(responses: QuerySet[SurveyResponse], *, asked: int, with_comments: bool) -> Results:
    """Counts, averages and distributions in one query; nothing but the count below the
    threshold."""
    threshold: int = settings.TREMPLIN_SMALL_CELL_THRESHOLD
    aggregates: dict[str, object] = {"answered": Count("pk")}
    for name in SURVEY_QUESTIONS:
        aggregates[f"{name}_avg"] = Avg(name)
        for value in SCALE:
            aggregates[f"{name}_{value}"] = Count("pk", filter=Q(**{name: value}))
    row = responses.aggregate(**aggregates)
    answered = int(row["answered"])
    if answered < threshold:
        return Results(asked=asked, answered=answered, threshold=threshold)
    questions = []
    for name in SURVEY_QUESTIONS:
        counts = [(value, int(row[f"{name}_{value}"])) for value in SCALE]
        questions.append(
            Question(
                name=name,
                average=round(float(row[f"{name}_avg"]), 1),
                distribution=tuple((v, c, round(100 * c / answered)) for v, c in counts),
            )
        )
    comments: tuple[str, ...] = ()
    if with_comments:
        # Sorted by their text: neither the order of answering nor a date links a comment
        # to a learner.
        texts = responses.exclude(comment="").values_list("comment", flat=True)
        comments = tuple(sorted(text for text in texts if text))
    return Results(
        asked=asked,
        answered=answered,
        threshold=threshold,
        questions=tuple(questions),
        comments=comments,
    )


def cohort_results(*, user: User, cohort: Cohort) -> Results:
    responses = SurveyResponse.objects.filter(enrolment__cohort=cohort)
    asked = SatisfactionSurvey.objects.filter(enrolment__cohort=cohort).count()
    return _results(responses, asked=asked, with_comments=can_manage_site(user, cohort.run.site))


def trainer_results(*, user: User, trainer: User) -> Results:
    """Answers from every cohort the trainer taught among those the user reads; comments
    only from the cohorts of sites the user manages."""
    cohorts = list(cohorts_for_results(user=user).filter(trainers=trainer))
    responses = SurveyResponse.objects.filter(enrolment__cohort__in=cohorts)
    asked = SatisfactionSurvey.objects.filter(enrolment__cohort__in=cohorts).count()
    managed = [c for c in cohorts if can_manage_site(user, c.run.site)]
    results = _results(responses, asked=asked, with_comments=False)
    if results.suppressed or not managed:
        return results
    comments = _results(
        SurveyResponse.objects.filter(enrolment__cohort__in=managed),
        asked=0,
        with_comments=True,
    ).comments
    return Results(
        asked=results.asked,
        answered=results.answered,
        threshold=results.threshold,
        questions=results.questions,
        comments=comments,
    )


@dataclass(frozen=True)
class Overview:
    """One row of the overview: answers, and the averages once there are enough."""

    answered: int
    averages: dict[str, float]

    @property
    def suppressed(self) -> bool:
        return self.answered < settings.TREMPLIN_SMALL_CELL_THRESHOLD


def _overview(rows: QuerySet[SurveyResponse], key: str) -> dict[int, Overview]:
    threshold: int = settings.TREMPLIN_SMALL_CELL_THRESHOLD
    grouped = rows.values(key).annotate(
        answered=Count("pk", distinct=True), **{f"{n}_avg": Avg(n) for n in SURVEY_QUESTIONS}
    )
    overview = {}
    for row in grouped:
        answered = int(row["answered"])
        averages = (
            {n: round(float(row[f"{n}_avg"]), 1) for n in SURVEY_QUESTIONS}
            if answered >= threshold
            else {}
        )
        overview[row[key]] = Overview(answered=answered, averages=averages)
    return overview


def cohort_overview(*, cohort_ids: list[int]) -> dict[int, Overview]:
    """Per cohort (of a page of cohorts already scoped), in one query."""
    responses = SurveyResponse.objects.filter(enrolment__cohort_id__in=cohort_ids)
    return _overview(responses, "enrolment__cohort_id")


def trainer_overview(*, user: User) -> list[tuple[User, Overview]]:
    """Each trainer of the cohorts the user reads, with their answers, in two queries."""
    cohorts = cohorts_for_results(user=user).values("pk")
    responses = SurveyResponse.objects.filter(enrolment__cohort_id__in=cohorts)
    overview = _overview(responses, "enrolment__cohort__trainers")
    empty = Overview(answered=0, averages={})
    return [
        (trainer, overview.get(trainer.pk, empty)) for trainer in trainers_for_results(user=user)
    ]
