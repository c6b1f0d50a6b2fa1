"""Writes of cohorts: creating one in a run and changing it. Several cohorts may share a run
(level groups in parallel, groups of 12 at a school)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tremplin.core.audit import audit_record
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import User
from tremplin.network.models import ProgrammeRun
from tremplin.network.selectors import can_manage_site
from tremplin.selection.models import Call
from tremplin.training.models import Cohort
from tremplin.training.selectors import cohorts as cohort_selectors


@dataclass(frozen=True)
class CohortDetails:
    run: ProgrammeRun
    title: str
    starts_on: dt.date
    ends_on: dt.date
    seats: int
    call: Call | None = None
    level: str = ""
    open_entry: bool = False
    trainers: Collection[User] = ()
    coach: User | None = None


def _check(details: CohortDetails, *, cohort: Cohort | None) -> None:
    """Every rule of a cohort, each refused with the field named; nothing saved otherwise."""
    run = details.run
    errors: dict[str, list[str]] = {}

    def refuse(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if not details.title.strip():
        refuse("title", _("Give the cohort a title."))
    elif (
        Cohort.objects.filter(run=run, title=details.title.strip())
        .exclude(pk=cohort.pk if cohort else 0)
        .exists()
    ):
        refuse("title", _("This run already has a cohort with this title."))
    if details.call is not None and details.call.run_id != run.pk:
        refuse("call", _("Choose a call for applications of this run."))
    levels = [str(level) for level in run.programme.levels or []]
    if details.level and details.level not in levels:
        refuse("level", _("Choose one of the programme's level groups, or none."))
    run_dates = {
        "start": date_format(run.starts_on, "SHORT_DATE_FORMAT"),
        "end": date_format(run.ends_on, "SHORT_DATE_FORMAT"),
    }
    if not run.starts_on <= details.starts_on <= run.ends_on:
        refuse(
            "starts_on",
            _("The cohort must start within the run (%(start)s to %(end)s).") % run_dates,
        )
    if not run.starts_on <= details.ends_on <= run.ends_on:
        refuse(
            "ends_on", _("The cohort must end within the run (%(start)s to %(end)s).") % run_dates
        )
    if details.ends_on < details.starts_on:
        refuse("ends_on", _("The cohort must end on or after the day it starts."))
    if not 1 <= details.seats <= 2000:
        refuse("seats", _("Give between 1 and 2,000 places."))
    elif cohort is not None:
        taken = cohort_selectors.seats_taken(cohort=cohort)
        if details.seats < taken:
            refuse(
                "seats",
                _("%(taken)s learners are in training: give at least %(taken)s places.")
                % {"taken": taken},
            )
    trainer_ids = set(cohort_selectors.trainers_at(site=run.site).values_list("pk", flat=True))
    if any(trainer.pk not in trainer_ids for trainer in details.trainers):
        refuse("trainers", _("Choose trainers who hold the trainer role at the run's site."))
    if (
        details.coach is not None
        and not cohort_selectors.coaches_at(site=run.site).filter(pk=details.coach.pk).exists()
    ):
        refuse("coach", _("Choose a job coach of the run's site."))
    if errors:
        raise ValidationError(errors)


def _values(details: CohortDetails) -> dict[str, object]:
    return {
        "run": details.run.pk,
        "call": details.call.pk if details.call else None,
        "title": details.title.strip(),
        "level": details.level,
        "starts_on": details.starts_on.isoformat(),
        "ends_on": details.ends_on.isoformat(),
        "seats": details.seats,
        "open_entry": details.open_entry,
        "coach": details.coach.pk if details.coach else None,
    }


def _changes(cohort: Cohort, details: CohortDetails) -> dict[str, dict[str, object]]:
    before = {
        "run": cohort.run_id,
        "call": cohort.call_id,
        "title": cohort.title,
        "level": cohort.level,
        "starts_on": cohort.starts_on.isoformat(),
        "ends_on": cohort.ends_on.isoformat(),
        "seats": cohort.seats,
        "open_entry": cohort.open_entry,
        "coach": cohort.coach_id,
    }
    after = _values(details)
    return {
        name: {"from": old, "to": after[name]} for name, old in before.items() if old != after[name]
    }


def _apply(cohort: Cohort, details: CohortDetails) -> None:
    cohort.run = details.run
    cohort.call = details.call
    cohort.title = details.title.strip()
    cohort.level = details.level
    cohort.starts_on = details.starts_on
    cohort.ends_on = details.ends_on
    cohort.seats = details.seats
    cohort.open_entry = details.open_entry
    cohort.coach = details.coach


def cohort_create(*, actor: User, details: CohortDetails) -> Cohort:
    if not can_manage_site(actor, details.run.site):
        raise PermissionDenied
    with transaction.atomic():
        _check(details, cohort=None)
        cohort = Cohort(run=details.run)
        _apply(cohort, details)
        cohort.save()
        cohort.trainers.set(list(details.trainers))
        audit_record(
            actor=actor,
            action=AuditAction.COHORT_CREATED,
            subject=cohort,
            changes={
                **{name: {"from": None, "to": value} for name, value in _values(details).items()},
                "trainers": {"from": [], "to": sorted(t.pk for t in details.trainers)},
            },
        )
    return cohort


def cohort_update(*, actor: User, cohort: Cohort, details: CohortDetails) -> Cohort:
    """Change a cohort; its run stays at a site the actor manages (the learners move only by
    transfer)."""
    if not (can_manage_site(actor, cohort.run.site) and can_manage_site(actor, details.run.site)):
        raise PermissionDenied
    with transaction.atomic():
        locked = Cohort.objects.select_for_update().select_related("run").get(pk=cohort.pk)
        if details.run.pk != locked.run_id and locked.enrolments.exists():
            raise ValidationError(
                {"run": _("The cohort has learners: it stays in its run (transfer them instead).")}
            )
        _check(details, cohort=locked)
        changes = _changes(locked, details)
        before = sorted(locked.trainers.values_list("pk", flat=True))
        after = sorted(t.pk for t in details.trainers)
        if before != after:
            changes["trainers"] = {"from": before, "to": after}
        _apply(locked, details)
        locked.save()
        locked.trainers.set(list(details.trainers))
        if changes:
            audit_record(
                actor=actor, action=AuditAction.COHORT_UPDATED, subject=locked, changes=changes
            )
    return locked
