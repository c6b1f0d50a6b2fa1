"""Reads of the placement test's attempts: those the acting user may see (by the person's site),
the test-taker's own by their private link, and the level group a learner starts training in."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404

from tremplin.core.models import User
from tremplin.core.tokens import token_hash
from tremplin.network.selectors import scope_for
from tremplin.people.models import Person
from tremplin.people.selectors import person_filter
from tremplin.placement.models import Answer, Attempt
from tremplin.placement.selectors.access import PLACEMENT_ROLES

if TYPE_CHECKING:
    from tremplin.selection.models import StageResult


def attempts_visible(*, user: User) -> QuerySet[Attempt]:
    return Attempt.objects.filter(scope_for(user).site_filter(PLACEMENT_ROLES)).select_related(
        "person", "programme", "site"
    )


def attempt_get(*, user: User, attempt_id: int) -> Attempt:
    attempt = attempts_visible(user=user).filter(pk=attempt_id).first()
    if attempt is None:
        raise Http404
    return attempt


def attempt_by_token(token: str) -> Attempt:
    """The test-taker's own attempt, reached by their private link (404 otherwise)."""
    attempt = (
        Attempt.objects.select_related("programme", "site__organisation", "next_item", "person")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if attempt is None:
        raise Http404
    return attempt


def attempt_answers(*, attempt: Attempt) -> QuerySet[Answer]:
    """The attempt's answers, in the order given, with their questions."""
    return attempt.answers.select_related("item__competence")


def people_for_tests(*, user: User) -> QuerySet[Person]:
    """The people the user may start a test for, or send a test's link to: those they may see
    (people.selectors.person_filter; a trainer, only the learners of their cohorts)."""
    return Person.objects.filter(person_filter(user))


def level_groups(*, person_ids: list[int], programme_id: int) -> dict[int, str]:
    """``level_group`` for many people in one query: person id → level group ("" when they
    have no finished test)."""
    groups: dict[int, str] = dict.fromkeys(person_ids, "")
    attempts = (
        Attempt.objects.filter(
            person_id__in=person_ids, programme_id=programme_id, state=Attempt.State.FINISHED
        )
        .order_by("person_id", "finished_at", "pk")
        .only("person_id", "band", "reviewed_band")
    )
    for attempt in attempts:  # the latest of each person comes last
        groups[attempt.person_id] = attempt.final_band
    return groups


def level_group(*, person_id: int, programme_id: int) -> str:
    """The level group a learner starts the programme's training in: the result of their
    latest finished test for that programme, as a trainer confirmed or changed it; "" when they
    have none. (Read by training when it forms the groups of a cohort.)"""
    attempt = (
        Attempt.objects.filter(
            person_id=person_id, programme_id=programme_id, state=Attempt.State.FINISHED
        )
        .order_by("-finished_at", "-pk")
        .only("band", "reviewed_band")
        .first()
    )
    return attempt.final_band if attempt is not None else ""


def stage_score_of(attempt: Attempt) -> StageResult | None:
    """What selection holds for the attempt's stage, if anything."""
    if attempt.application_id is None or attempt.stage_id is None:
        return None
    from tremplin.selection.models import StageResult

    return StageResult.objects.filter(
        application_id=attempt.application_id, stage_id=attempt.stage_id
    ).first()
