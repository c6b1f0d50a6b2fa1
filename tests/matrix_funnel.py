"""Authorization matrix rows for the funnel pages (columns as in test_authorization_matrix).

The overview is for those who run calls and for funder viewers (aggregates of their
organisation, small cells hidden); a call's own funnel only for those who run the call.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from conftest import World

Kwargs = Callable[[World], dict[str, Any]]
Row = tuple[str, str, Kwargs, dict[str, str] | None, str]


def none(w: World) -> dict[str, Any]:
    return {}


def call_of(run_attr: str) -> Kwargs:
    """A call for the run `run_attr` of the world, with one application."""

    def make(w: World) -> dict[str, Any]:
        from tremplin.selection.models import Application, Call
        from tremplin.selection.services import call_create

        existing = Call.objects.filter(slug=f"funnel-{run_attr.replace('_', '-')}").first()
        if existing is not None:
            return {"call_id": existing.pk}
        call = call_create(
            actor=w.users["superuser"],
            run=getattr(w, run_attr),
            slug=f"funnel-{run_attr.replace('_', '-')}",
            title="Funnel call",
            opens_on=dt.date(2026, 3, 1),
            closes_on=dt.date(2026, 4, 30),
            process="passerelles",
        )
        person = {"run_north": w.amina, "run_south": w.bilal, "run_beta": w.chen}[run_attr]
        Application.objects.create(
            call=call,
            person=person,
            source=Application.Source.FORM,
            status=Application.Status.SUBMITTED,
            stages_passed=1,
            gender="female",
        )
        return {"call_id": call.pk}

    return make


# A call at Alpha North, at Alpha South, at Beta.
AT_N, AT_S, AT_B = call_of("run_north"), call_of("run_south"), call_of("run_beta")

# fmt: off
FUNNEL_ROWS: list[Row] = [
    ("selection:funnel", "GET", none, None, "302 403 200 200 200 200 403 403 200 200 403 403"),
    ("selection:call-funnel", "GET", AT_N, None, "302 403 200 200 200 200 403 403 403 404 403 403"),
    ("selection:call-funnel", "GET", AT_S, None, "302 403 200 200 404 404 403 403 403 404 403 403"),
    ("selection:call-funnel", "GET", AT_B, None, "302 403 200 404 404 404 403 403 403 200 403 403"),
]
# fmt: on
