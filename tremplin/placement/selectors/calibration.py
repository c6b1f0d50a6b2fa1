"""Reads for calibration: the runs the acting user may see, how many answers each question
has, the latest run applied, and the answers of an organisation's finished tests as the
estimation reads them (people are tests, items are codes)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from tremplin.core.models import User
from tremplin.network.models import Organisation
from tremplin.placement.calibration import MIN_ANSWERS, CollectedResponses
from tremplin.placement.models import Answer, Attempt, CalibrationRun, Item, ItemStatus
from tremplin.placement.selectors.access import BANK_READ_ROLES, organisation_ids_for


def calibration_runs_visible(
    *, user: User, roles: frozenset[str] = BANK_READ_ROLES
) -> QuerySet[CalibrationRun]:
    """The runs of the organisations where the user holds one of ``roles``."""
    ids = organisation_ids_for(user, roles)
    runs = CalibrationRun.objects.select_related("organisation", "started_by", "applied_by")
    return runs if ids is None else runs.filter(organisation_id__in=ids)


def calibration_runs_of(*, user: User, organisation: Organisation) -> QuerySet[CalibrationRun]:
    """The organisation's runs, if the user may see them, newest first."""
    return calibration_runs_visible(user=user).filter(organisation=organisation)


def calibration_run_get(
    *, user: User, run_id: int, roles: frozenset[str] = BANK_READ_ROLES
) -> CalibrationRun:
    run = calibration_runs_visible(user=user, roles=roles).filter(pk=run_id).first()
    if run is None:
        raise Http404
    return run


def calibration_under_way(*, organisation: Organisation) -> bool:
    """Whether a run of the organisation is waiting or running."""
    return CalibrationRun.objects.filter(
        organisation=organisation,
        state__in=[CalibrationRun.State.QUEUED, CalibrationRun.State.RUNNING],
    ).exists()


def finished_attempts(organisation_id: int) -> QuerySet[Attempt]:
    return Attempt.objects.filter(
        site__organisation_id=organisation_id, state=Attempt.State.FINISHED
    )


@dataclass(frozen=True)
class ItemAnswers:
    item: Item
    answers: int


@dataclass(frozen=True)
class AnswerCounts:
    tests: int  # finished tests
    answers: int
    items: list[ItemAnswers]  # live items and any item with answers, by code

    @property
    def under_minimum(self) -> list[ItemAnswers]:
        return [row for row in self.items if row.answers < MIN_ANSWERS]


def answer_counts(*, organisation: Organisation) -> AnswerCounts:
    """How many answers finished tests gave to each item (two queries, whatever the size)."""
    finished = Q(answers__attempt__state=Attempt.State.FINISHED)
    items = list(
        Item.objects.filter(organisation=organisation)
        .annotate(answer_count=Count("answers", filter=finished))
        .filter(Q(status=ItemStatus.LIVE) | Q(answer_count__gt=0))
        .order_by("code")
    )
    rows = [ItemAnswers(item, int(getattr(item, "answer_count", 0))) for item in items]
    return AnswerCounts(
        tests=finished_attempts(organisation.pk).count(),
        answers=sum(row.answers for row in rows),
        items=rows,
    )


def latest_applied(organisation_id: int) -> CalibrationRun | None:
    return (
        CalibrationRun.objects.filter(organisation_id=organisation_id, applied_at__isnull=False)
        .order_by("-created_at", "-id")
        .first()
    )


def responses_from_answers(organisation: Organisation) -> CollectedResponses:
    """The answers of the organisation's finished tests as ``tremplin calibrate`` reads them:
    people are tests (``attempt id``), items are codes; 1 right, 0 wrong, NaN not asked. Live
    items nobody answered are columns too, so that they are named."""
    attempts = list(finished_attempts(organisation.pk).order_by("pk").values_list("pk", "language"))
    counts = answer_counts(organisation=organisation)
    items = [row.item for row in counts.items]
    column = {item.pk: j for j, item in enumerate(items)}
    row = {pk: i for i, (pk, _language) in enumerate(attempts)}
    matrix = np.full((len(attempts), len(items)), np.nan, dtype=np.float64)
    answers = Answer.objects.filter(
        attempt__site__organisation=organisation,
        attempt__state=Attempt.State.FINISHED,
        item__organisation=organisation,
    ).values_list("attempt_id", "item_id", "right")
    for attempt_id, item_id, right in answers.iterator(chunk_size=5000):
        if attempt_id in row and item_id in column:
            matrix[row[attempt_id], column[item_id]] = 1.0 if right else 0.0
    return CollectedResponses(
        people=[str(pk) for pk, _language in attempts],
        items=[item.code for item in items],
        matrix=matrix,
        languages=[language.split("-")[0] for _pk, language in attempts],
        item_ids=[item.pk for item in items],
    )
