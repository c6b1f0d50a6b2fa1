"""Calibration from the answers the placement test collected: the same estimation as
``tremplin calibrate`` (``calibration.calibrate``, mirt), run in the background for an
organisation, with a check for questions that work differently by test language (DIF), and
applied onto the items when a site manager decides to. Writes are atomic and audited; the
computation itself is in calibration.py and dif.py (no database)."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django_tasks import task

from tremplin.core.audit import audit_record
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import User
from tremplin.network.models import Organisation
from tremplin.placement.calibration import (
    ResponseFileError,
    TooLittleDataError,
    calibration_compute,
    too_little_words,
)
from tremplin.placement.models import CalibrationRun, Item
from tremplin.placement.selectors.access import MANAGE_ROLES, may_in
from tremplin.placement.selectors.calibration import latest_applied, responses_from_answers

logger = logging.getLogger(__name__)

STALE_AFTER = dt.timedelta(hours=2)  # a run still "under way" after this is marked failed

# Why a run failed, when it is not "too little" (the page words it in the reader's language).
STOPPED = "stopped"
UNEXPECTED = "unexpected"


def _stop_stale_runs(organisation: Organisation) -> None:
    """A run still waiting or running long after it started lost its worker: mark it failed
    so that a new one may start."""
    CalibrationRun.objects.filter(
        organisation=organisation,
        state__in=[CalibrationRun.State.QUEUED, CalibrationRun.State.RUNNING],
        created_at__lt=timezone.now() - STALE_AFTER,
    ).update(
        state=CalibrationRun.State.FAILED,
        finished_at=timezone.now(),
        error="The calibration stopped without finishing.",
        results={"failure": STOPPED},
    )


def failure_words(run: CalibrationRun) -> str:
    """Why the run failed, in the reader's language."""
    results = run.results or {}
    if results.get("too_little"):
        return too_little_words(**results["too_little"])
    if results.get("failure") == STOPPED:
        return _("The calibration stopped without finishing (the background worker stopped).")
    if results.get("failure") == UNEXPECTED:
        return _(
            "An unexpected error stopped the calibration. Nothing was changed; the technical "
            "team can find it in the logs."
        )
    return run.error


def calibration_run_start(*, actor: User, organisation: Organisation) -> CalibrationRun:
    """Queue a calibration of the organisation's bank; it runs in the background worker (at
    once in tests). One at a time per organisation."""
    if not may_in(actor, organisation.pk, MANAGE_ROLES):
        raise PermissionDenied
    try:
        with transaction.atomic():
            _stop_stale_runs(organisation)
            run = CalibrationRun.objects.create(organisation=organisation, started_by=actor)
            audit_record(actor=actor, action=AuditAction.CALIBRATION_STARTED, subject=run)
    except IntegrityError as error:
        raise ValidationError(
            _("A calibration is already under way for this organisation: wait for it to end.")
        ) from error
    calibration_task.enqueue(run_id=run.pk)
    run.refresh_from_db()
    return run


@task()
def calibration_task(run_id: int) -> None:
    calibration_run(run_id=run_id)


def _fail(
    run: CalibrationRun, message: str, results: dict[str, Any] | None = None
) -> CalibrationRun:
    run.state = CalibrationRun.State.FAILED
    run.error = message
    run.results = results or {}
    run.finished_at = timezone.now()
    run.save(update_fields=["state", "error", "results", "finished_at"])
    return run


def calibration_run(*, run_id: int) -> CalibrationRun:
    """Compute a queued run: estimate, check DIF, store. A run that is not queued (already
    taken by another worker, or finished) is left as it is."""
    taken = CalibrationRun.objects.filter(pk=run_id, state=CalibrationRun.State.QUEUED).update(
        state=CalibrationRun.State.RUNNING
    )
    run = CalibrationRun.objects.select_related("organisation").get(pk=run_id)
    if not taken:
        return run
    try:
        collected = responses_from_answers(run.organisation)
        outcome = calibration_compute(collected)
    except TooLittleDataError as error:
        too_little = {"people": error.people, "items": error.items}
        return _fail(run, "\n".join(error.messages), {"too_little": too_little})
    except ResponseFileError as error:
        return _fail(run, "\n".join(error.messages))
    except Exception:
        logger.exception("Calibration run %s failed", run_id)
        return _fail(run, "An unexpected error stopped the calibration.", {"failure": UNEXPECTED})
    run.people = outcome.people
    run.answers = outcome.answers
    run.items_estimated = len(outcome.items)
    run.items_left_out = outcome.left_out
    run.results = {
        "items": outcome.items,
        "dif_pairs": outcome.dif_pairs,
        "languages": outcome.languages,
        "converged": outcome.converged,
    }
    run.state = CalibrationRun.State.DONE
    run.finished_at = timezone.now()
    run.save()
    return run


@dataclass(frozen=True)
class Applied:
    written: int  # items whose a, b and standard errors were replaced
    flagged: int  # items kept as they were, with their flags stored


def calibration_apply(*, actor: User, run: CalibrationRun) -> Applied:
    """Write a finished run's estimates onto the items, all in one transaction, audited.
    Items flagged (poor fit, hardly separating levels, difficulty off the scale, a large
    difference between languages) keep their parameters; their flags are stored. Items left
    out are not touched. A run older than the latest applied one is refused."""
    if not may_in(actor, run.organisation_id, MANAGE_ROLES):
        raise PermissionDenied
    with transaction.atomic():
        run = CalibrationRun.objects.select_for_update().get(pk=run.pk)
        if run.state != CalibrationRun.State.DONE:
            raise ValidationError(_("Only a finished calibration can be applied."))
        if run.applied_at is not None:
            raise ValidationError(_("This calibration is already applied."))
        latest = latest_applied(run.organisation_id)
        if latest is not None and (latest.created_at, latest.pk) > (run.created_at, run.pk):
            when = timezone.localtime(latest.created_at)
            raise ValidationError(
                _(
                    "A more recent calibration (%(when)s) is already applied: this older one "
                    "cannot replace it."
                )
                % {"when": formats.date_format(when, "SHORT_DATETIME_FORMAT")}
            )
        estimates = {row["item_id"]: row for row in run.results.get("items", [])}
        items = Item.objects.select_for_update().filter(
            organisation_id=run.organisation_id, pk__in=list(estimates)
        )
        now = timezone.now()
        written = flagged = 0
        for item in items.order_by("pk"):
            row = estimates[item.pk]
            before = {"a": item.a, "b": item.b, "flags": list(item.flags)}
            flags = list(row.get("flags") or [])
            a, b = row.get("a"), row.get("b")
            usable = isinstance(a, float | int) and isinstance(b, float | int) and a > 0
            if flags or not usable:
                item.flags = flags or ["not_estimated"]
                item.fit_p = row.get("fit_p")
                item.save(update_fields=["flags", "fit_p", "updated_at"])
                flagged += 1
            else:
                item.a, item.b = float(a), float(b)
                item.se_a, item.se_b = row.get("se_a"), row.get("se_b")
                item.fit_p = row.get("fit_p")
                item.flags = []
                item.calibrated_at = now
                item.save(
                    update_fields=[
                        "a",
                        "b",
                        "se_a",
                        "se_b",
                        "fit_p",
                        "flags",
                        "calibrated_at",
                        "updated_at",
                    ]
                )
                written += 1
            after = {"a": item.a, "b": item.b, "flags": list(item.flags)}
            audit_record(
                actor=actor,
                action=AuditAction.ITEM_CALIBRATED,
                subject=item,
                changes={
                    name: {"from": before[name], "to": after[name]}
                    for name in before
                    if before[name] != after[name]
                },
                note=f"calibration #{run.pk}",
            )
        run.applied_at = now
        run.applied_by = actor
        run.save(update_fields=["applied_at", "applied_by"])
        audit_record(
            actor=actor,
            action=AuditAction.CALIBRATION_APPLIED,
            subject=run,
            changes={
                "written": {"from": None, "to": written},
                "flagged": {"from": None, "to": flagged},
            },
        )
    return Applied(written, flagged)
