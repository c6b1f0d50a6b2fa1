"""Reads of cohorts and their learners, scoped to the acting user (training/selectors/access.py):
the cohort list and page, the choices of the cohort form, the people a trainer may see, and a
person's enrolments for their page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from tremplin.core.models import User
from tremplin.network.models import ProgrammeRun, Role, Site
from tremplin.network.selectors import scope_for, sites_managed, trainer_site_ids
from tremplin.people.models import Person
from tremplin.training.models import Cohort, Enrolment, Session
from tremplin.training.selectors.access import cohort_filter, cohorts_visible

# The cohort list's filter on dates (today, in the server's date: a day's difference at most).
RUNNING, PLANNED, FINISHED = "running", "planned", "finished"

ACTIVE = Enrolment.Status.ACTIVE


def cohorts_listed(
    *, user: User, site_id: int | None = None, programme_id: int | None = None, state: str = ""
) -> QuerySet[Cohort]:
    """The cohorts the user sees (a trainer: their own), with their learners counted."""
    cohorts = cohorts_visible(user=user)
    if site_id is not None:
        cohorts = cohorts.filter(run__site_id=site_id)
    if programme_id is not None:
        cohorts = cohorts.filter(run__programme_id=programme_id)
    today = timezone.localdate()
    if state == RUNNING:
        cohorts = cohorts.filter(starts_on__lte=today, ends_on__gte=today)
    elif state == PLANNED:
        cohorts = cohorts.filter(starts_on__gt=today)
    elif state == FINISHED:
        cohorts = cohorts.filter(ends_on__lt=today)
    return cohorts.annotate(
        in_training=Count("enrolments", filter=Q(enrolments__status=ACTIVE)),
    )


def cohort_get(*, user: User, cohort_id: int) -> Cohort:
    cohort = cohorts_visible(user=user).select_related("call", "coach").filter(pk=cohort_id).first()
    if cohort is None:
        raise Http404
    return cohort


@dataclass(frozen=True)
class Counts:
    """A cohort's learners by status; ``total`` is their sum, so the figures always agree."""

    active: int
    graduated: int
    left_early: int
    transferred: int

    @property
    def total(self) -> int:
        return self.active + self.graduated + self.left_early + self.transferred


def cohort_counts(*, cohort: Cohort) -> Counts:
    rows = dict(cohort.enrolments.values_list("status").annotate(n=Count("pk")).order_by())
    status = Enrolment.Status
    return Counts(
        active=rows.get(status.ACTIVE, 0),
        graduated=rows.get(status.GRADUATED, 0),
        left_early=rows.get(status.LEFT_EARLY, 0),
        transferred=rows.get(status.TRANSFERRED, 0),
    )


def cohort_enrolments(*, cohort: Cohort) -> QuerySet[Enrolment]:
    """The cohort's learners, in training first, then by name."""
    return (
        cohort.enrolments.select_related("person", "transferred_to", "transferred_to__cohort")
        .annotate(still=Q(status=ACTIVE))
        .order_by("-still", "person__legal_family_name", "person__legal_given_names", "pk")
    )


def enrolment_get(*, user: User, enrolment_id: int) -> Enrolment:
    """An enrolment of a cohort the user sees (a trainer: their own cohorts'), else 404."""
    enrolment = (
        Enrolment.objects.filter(cohort_filter(user, field="cohort"), pk=enrolment_id)
        .select_related(
            "person",
            "person__site",
            "application",
            "cohort",
            "cohort__run",
            "cohort__run__programme",
            "cohort__run__site",
            "cohort__run__site__organisation",
            "transferred_to__cohort",
        )
        .first()
    )
    if enrolment is None:
        raise Http404
    return enrolment


def seats_taken(*, cohort: Cohort) -> int:
    """Places used: the learners in training."""
    return cohort.enrolments.filter(status=ACTIVE).count()


# --- The cohort form's choices --------------------------------------------------------------


def runs_for_cohorts(*, user: User) -> QuerySet[ProgrammeRun]:
    """Runs of the sites the user manages, where they may set up cohorts."""
    return (
        ProgrammeRun.objects.filter(site__in=sites_managed(user=user))
        .select_related("programme", "site")
        .order_by("-starts_on", "title")
    )


def staff_at(*, site: Site, role: str) -> QuerySet[User]:
    """Users holding ``role`` at the site (a network admin holds every role, but is only
    offered where they hold it themselves: a cohort's trainers are people who teach)."""
    return (
        User.objects.filter(
            role_assignments__site=site, role_assignments__role=role, is_active=True
        )
        .distinct()
        .order_by("first_name", "last_name", "email")
    )


def staff_at_sites(*, sites: QuerySet[Site], role: str) -> QuerySet[User]:
    return (
        User.objects.filter(
            role_assignments__site__in=sites, role_assignments__role=role, is_active=True
        )
        .distinct()
        .order_by("first_name", "last_name", "email")
    )


def trainers_at(*, site: Site) -> QuerySet[User]:
    return staff_at(site=site, role=Role.TRAINER)


def coaches_at(*, site: Site) -> QuerySet[User]:
    return staff_at(site=site, role=Role.JOB_COACH)


def transfer_targets(*, user: User, enrolment: Enrolment) -> QuerySet[Cohort]:
    """Cohorts a learner may move to: the same organisation and programme, not ended, that
    the user manages; fullness is checked when moving (the message names the cohort)."""
    cohort = enrolment.cohort
    return (
        Cohort.objects.filter(
            run__programme_id=cohort.run.programme_id,
            run__site__in=sites_managed(user=user),
            ends_on__gte=timezone.localdate(),
        )
        .exclude(pk=cohort.pk)
        .select_related("run", "run__site")
        .order_by("starts_on", "title")
    )


# --- Who a trainer may see (core.registry's person scope) ------------------------------------


def trainer_people(user: User) -> Q:
    """The people a trainer sees at the sites where they only train: the learners, in training
    or gone, of the cohorts they teach there (registered with core.registry.add_person_scope;
    people.selectors.person_filter reads it)."""
    sites = trainer_site_ids(user)
    if not sites:
        return Q(pk__in=[])
    learners = Enrolment.objects.filter(
        cohort__trainers=user, cohort__run__site_id__in=sites
    ).values("person_id")
    return Q(pk__in=learners)


# --- A person's page ----------------------------------------------------------------------


def person_enrolments(*, user: User, person: Person) -> list[Enrolment]:
    """The person's enrolments in cohorts the user sees, newest first."""
    scope = scope_for(user)
    if not scope.is_staff_member:
        return []
    return list(
        Enrolment.objects.filter(cohort_filter(user, field="cohort"), person=person)
        .select_related("cohort", "cohort__run", "cohort__run__programme", "cohort__run__site")
        .order_by("-joined_on", "-pk")
    )


# --- The learner's home ----------------------------------------------------------------------


def next_sessions(*, cohort: Cohort, limit: int = 5) -> list[Session]:
    """The cohort's coming sessions (from now), with their room."""
    return list(
        Session.objects.filter(cohort=cohort, ends_at__gte=timezone.now())
        .select_related("room", "module")
        .order_by("starts_at", "pk")[:limit]
    )


def cohort_is_over(cohort: Cohort, *, today: dt.date | None = None) -> bool:
    return cohort.ends_on < (today or timezone.localdate())
