"""Authorization matrix rows for the placement test (see test_authorization_matrix.py)."""

from __future__ import annotations

from typing import Any

from conftest import World
from tests.matrix_selection import PUBLIC, PUBLIC_REDIRECT


def _started(w: World) -> Any:
    from tremplin.placement import services
    from tremplin.placement.bank import bank_install_shipped
    from tremplin.placement.models import Item

    if not Item.objects.filter(organisation=w.alpha).exists():
        bank_install_shipped(w.alpha)
    return services.attempt_start(
        actor=w.users["officer_a1"], person=w.amina, programme=w.programme_alpha
    )


def attempt_north(w: World) -> dict[str, Any]:
    return {"attempt_id": _started(w).attempt.pk}


def attempt_of_application(w: World) -> dict[str, Any]:
    """A finished test taken for a selection stage (its score not recorded yet)."""
    from tremplin.placement import services
    from tremplin.placement.models import Attempt
    from tremplin.selection.models import StageKind, StageResult
    from tremplin.selection.tests.builders import applicant, open_call

    call = open_call(w)
    exam = call.stages.get(kind=StageKind.WRITTEN_EXAM)
    application = applicant(call, w.amina, through=exam.position - 1)
    attempt = _started(w).attempt
    for _n in range(30):
        attempt.refresh_from_db()
        if attempt.state == Attempt.State.FINISHED:
            break
        item = attempt.next_item
        assert item is not None
        services.attempt_answer(attempt=attempt, item_id=item.pk, choice=item.answer)
    Attempt.objects.filter(pk=attempt.pk).update(application=application, stage=exam)
    StageResult.objects.filter(application=application, stage=exam).delete()
    return {"attempt_id": attempt.pk}


def token_north(w: World) -> dict[str, Any]:
    return {"token": _started(w).token}


def none(w: World) -> dict[str, Any]:
    return {}


# fmt: off
PLACEMENT_ROWS = [
    ("placement:attempt-list", "GET", none, None, "302 403 200 200 200 200 200 403 403 200 403 403"),
    ("placement:attempt-start", "POST", none, {}, "302 403 404 404 404 404 404 403 403 404 403 403"),
    ("placement:attempt-detail", "GET", attempt_north, None, "302 403 200 200 200 200 200 403 403 404 403 403"),
    ("placement:attempt-review", "POST", attempt_north, {}, "302 403 302 302 302 403 302 403 403 404 403 403"),
    ("placement:attempt-record-score", "POST", attempt_of_application, {}, "302 403 302 302 302 302 403 403 403 404 403 403"),
    ("placement:take", "GET", token_north, None, PUBLIC),
    ("placement:take-language", "POST", token_north, {}, PUBLIC_REDIRECT),
]
# fmt: on
