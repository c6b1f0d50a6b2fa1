"""How learners left training: what the internship and follow-up work of the next issues reads.

Two reads and one event:

- ``exits(user=..., since=..., until=...)``: the enrolments that ended (graduated, left early,
  transferred) in cohorts the user sees, with their date, newest first.
- ``enrolment_exit(enrolment_id=...)``: one learner's exit as a plain record (no scoping: for
  a receiver of the event, which runs inside the service that sent it).
- ``tremplin.training.signals.learner_left_training`` is sent with ``enrolment`` by every
  service that ends an enrolment, inside its transaction.

A learner who transferred goes on in another cohort: ``Exit.transferred_to_cohort_id`` says
which. A re-entry takes the exit back (the enrolment is active again), so read the exit when
you need it rather than keeping a copy.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from tremplin.core.models import User
from tremplin.training.models import Enrolment
from tremplin.training.selectors.access import cohort_filter


@dataclass(frozen=True)
class Exit:
    enrolment_id: int
    person_id: int
    cohort_id: int
    run_id: int
    programme_id: int
    site_id: int
    status: str  # Enrolment.Status: graduated, left_early or transferred
    left_on: dt.date
    reason: str  # an ExitReason code when they left early, else ""
    note: str
    transferred_to_cohort_id: int | None


def exits(
    *, user: User, since: dt.date | None = None, until: dt.date | None = None
) -> QuerySet[Enrolment]:
    """Enrolments that ended between ``since`` and ``until`` (both included), in the cohorts
    the user sees (a trainer: their own), newest first, with person and cohort."""
    ended = Enrolment.objects.filter(cohort_filter(user, field="cohort")).exclude(
        status=Enrolment.Status.ACTIVE
    )
    if since is not None:
        ended = ended.filter(left_on__gte=since)
    if until is not None:
        ended = ended.filter(left_on__lte=until)
    return ended.select_related(
        "person", "cohort", "cohort__run", "cohort__run__programme", "cohort__run__site"
    ).order_by("-left_on", "-pk")


def exit_of(enrolment: Enrolment) -> Exit:
    if enrolment.status == Enrolment.Status.ACTIVE or enrolment.left_on is None:
        raise ValueError("The learner is still in training.")
    transferred_to = enrolment.transferred_to
    return Exit(
        enrolment_id=enrolment.pk,
        person_id=enrolment.person_id,
        cohort_id=enrolment.cohort_id,
        run_id=enrolment.cohort.run_id,
        programme_id=enrolment.cohort.run.programme_id,
        site_id=enrolment.cohort.run.site_id,
        status=enrolment.status,
        left_on=enrolment.left_on,
        reason=enrolment.exit_reason,
        note=enrolment.exit_note,
        transferred_to_cohort_id=transferred_to.cohort_id if transferred_to else None,
    )


def enrolment_exit(*, enrolment_id: int) -> Exit:
    """One learner's exit (404 when there is no such enrolment or it is still active)."""
    enrolment = (
        Enrolment.objects.select_related("cohort", "cohort__run", "transferred_to")
        .filter(pk=enrolment_id)
        .exclude(status=Enrolment.Status.ACTIVE)
        .first()
    )
    if enrolment is None:
        raise Http404
    return exit_of(enrolment)
