"""Authorization matrix rows for the import pages (columns as in test_authorization_matrix):
anonymous, nobody, superuser, admin_a, manager_a1, officer_a1, trainer_a1, coach_a1,
funder_a, manager_b1, interviewer_a1, investigator_a1."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from conftest import World

Kwargs = Callable[[World], dict[str, Any]]
Row = tuple[str, str, Kwargs, dict[str, str] | None, str]


def _import_call(w: World, where: str) -> Any:
    from tremplin.selection import services
    from tremplin.selection.models import Call

    existing = Call.objects.filter(slug=f"import-{where}").first()
    if existing is not None:
        return existing
    run = w.run_north if where == "north" else w.run_beta
    actor = w.users["officer_a1"] if where == "north" else w.users["manager_b1"]
    today = timezone.localdate()
    call = services.call_create(
        actor=actor,
        run=run,
        slug=f"import-{where}",
        title="Call",
        process="passerelles",
        opens_on=today - dt.timedelta(days=1),
        closes_on=today + dt.timedelta(days=9),
    )
    Call.objects.filter(pk=call.pk).update(published=True)
    return call


def import_call_at(where: str) -> Kwargs:
    return lambda w: {"call_id": _import_call(w, where).pk}


def exam_stage_at(where: str) -> Kwargs:
    def make(w: World) -> dict[str, Any]:
        call = _import_call(w, where)
        return {"call_id": call.pk, "stage_id": call.stages.get(kind="written_exam").pk}

    return make


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
