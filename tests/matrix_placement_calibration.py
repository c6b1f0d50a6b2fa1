"""Authorization matrix rows for the placement calibration pages (see test_authorization_matrix.py)."""

from __future__ import annotations

from typing import Any

from conftest import World


def none(w: World) -> dict[str, Any]:
    return {}


def run_alpha(w: World) -> dict[str, Any]:
    """A finished calibration of Alpha's bank (nothing estimated: applying it changes no item)."""
    from django.utils import timezone

    from tremplin.placement.models import CalibrationRun

    run = CalibrationRun.objects.create(
        organisation=w.alpha,
        started_by=w.users["manager_a1"],
        state=CalibrationRun.State.DONE,
        finished_at=timezone.now(),
        results={"items": [], "dif_pairs": [], "languages": {}, "converged": True},
    )
    return {"run_id": run.pk}


# fmt: off
ROWS: list[tuple[str, str, Any, dict[str, Any] | None, str]] = [
    ("placement:calibration-list", "GET", none, None, "302 403 200 200 200 200 200 403 403 200 403 403"),
    ("placement:calibration-start", "POST", none, {"organisation": "alpha"}, "302 403 302 302 302 403 403 403 403 404 403 403"),
    ("placement:calibration-start", "POST", none, {"organisation": "beta"}, "302 403 302 404 404 403 403 403 403 302 403 403"),
    ("placement:calibration-detail", "GET", run_alpha, None, "302 403 200 200 200 200 200 403 403 404 403 403"),
    ("placement:calibration-apply", "POST", run_alpha, {}, "302 403 302 302 302 403 403 403 403 404 403 403"),
]
# fmt: on
