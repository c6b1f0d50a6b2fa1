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
    ("placement:take", "GET", token_north, None, PUBLIC),
    ("placement:take-language", "POST", token_north, {}, PUBLIC_REDIRECT),
]
# fmt: on
