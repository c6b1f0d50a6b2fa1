"""Authorization matrix rows for the import pages (columns as in test_authorization_matrix):
anonymous, nobody, superuser, admin_a, manager_a1, officer_a1, trainer_a1, coach_a1,
funder_a, manager_b1, interviewer_a1, investigator_a1."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from conftest import World
from tests.matrix_selection import call_at, stage_at

Kwargs = Callable[[World], dict[str, Any]]
Row = tuple[str, str, Kwargs, dict[str, str] | None, str]


# The same calls as the selection rows: one at Alpha North, one at Beta.
import_call_at = call_at


def exam_stage_at(where: str) -> Kwargs:
    return stage_at(where, "written_exam")


NORTH = "302 403 200 200 200 200 403 403 403 404 403 403"
BETA = "302 403 200 404 404 404 403 403 403 200 403 403"
# Confirming with no checked file in the session goes back to the form.
NORTH_CONFIRM = "302 403 302 302 302 302 403 403 403 404 403 403"
CHECK = {"action": "check"}  # no file: the form says which field is missing
CONFIRM = {"action": "import", "token": "none"}

# fmt: off
IMPORT_ROWS: list[Row] = [
    ("selection:call-import", "GET", import_call_at("north"), None, NORTH),
    ("selection:call-import", "GET", import_call_at("beta"), None, BETA),
    ("selection:call-import", "POST", import_call_at("north"), CHECK, NORTH),
    ("selection:call-import", "POST", import_call_at("beta"), CHECK, BETA),
    ("selection:call-import", "POST", import_call_at("north"), CONFIRM, NORTH_CONFIRM),
    ("selection:call-import-template", "GET", import_call_at("north"), None, NORTH),
    ("selection:call-import-template", "GET", import_call_at("beta"), None, BETA),
    ("selection:call-export", "GET", import_call_at("north"), None, NORTH),
    ("selection:call-export", "GET", import_call_at("beta"), None, BETA),
    ("selection:stage-scores-import", "GET", exam_stage_at("north"), None, NORTH),
    ("selection:stage-scores-import", "GET", exam_stage_at("beta"), None, BETA),
    ("selection:stage-scores-import", "POST", exam_stage_at("north"), CHECK, NORTH),
]
# fmt: on
