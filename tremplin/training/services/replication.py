"""When a run is replicated to another site (network's ``run_replicated``), its cohorts'
set-up is copied to the new run: title, level group, places, open entry, dates shifted by as
much as the run's start. No learner, no trainer, no call (the new site recruits its own).
The programme's periods, modules and assessments need no copy: they belong to the programme,
which both runs share."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from tremplin.core.audit import audit_record
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import User
from tremplin.network.models import ProgrammeRun
from tremplin.training.models import Cohort
from tremplin.training.selectors.access import can_manage_training_at


def cohorts_copy(*, actor: User, run: ProgrammeRun, replica: ProgrammeRun) -> list[Cohort]:
    """Copy ``run``'s cohorts into ``replica`` (called inside the replication's transaction)."""
    if not can_manage_training_at(actor, replica.site):
        raise PermissionDenied
    shift = replica.starts_on - run.starts_on
    copies = []
    for cohort in Cohort.objects.filter(run=run).order_by("starts_on", "title"):
        copy = Cohort.objects.create(
            run=replica,
            title=cohort.title,
            level=cohort.level,
            seats=cohort.seats,
            open_entry=cohort.open_entry,
            starts_on=cohort.starts_on + shift,
            ends_on=cohort.ends_on + shift,
            replicated_from=cohort,
        )
        audit_record(
            actor=actor,
            action=AuditAction.COHORT_COPIED,
            subject=copy,
            changes={
                "from_cohort": {"from": None, "to": cohort.pk},
                "run": {"from": run.pk, "to": replica.pk},
            },
            note=replica.site.name,
        )
        copies.append(copy)
    return copies


def on_run_replicated(
    sender: Any, *, actor: User, run: ProgrammeRun, replica: ProgrammeRun, **kwargs: Any
) -> None:
    cohorts_copy(actor=actor, run=run, replica=replica)
