"""Authorization matrix rows for selection pages (columns as in test_authorization_matrix)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from conftest import World

Kwargs = Callable[[World], dict[str, Any]]
Row = tuple[str, str, Kwargs, dict[str, str] | None, str]


def none(w: World) -> dict[str, Any]:
    return {}


# fmt: off
SELECTION_ROWS: list[Row] = [
    ("selection:call-list", "GET", none, None, "302 403 200 200 200 200 403 403 403 200 403 403"),
    ("selection:my-work", "GET", none, None, "302 403 200 200 200 200 403 403 403 200 200 200"),
]
# fmt: on
