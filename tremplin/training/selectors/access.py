"""Who may do what in training: the one place the training pages and services ask.

- Network admins and site managers run training at their sites: structure, cohorts,
  enrolments, timetable.
- Job coaches see every cohort and learner of their site (attendance, alerts, progress).
- A trainer sees only the cohorts they teach, and only the learners of those cohorts.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from tremplin.core.models import User
from tremplin.network.models import Role, Site
from tremplin.network.selectors import can_manage_site, scope_for
from tremplin.training.models import Cohort

# Site roles that see every cohort of their site.
SITE_WIDE_ROLES = frozenset({Role.SITE_MANAGER, Role.JOB_COACH})
# Site roles that use the training pages at all.
TRAINING_ROLES = SITE_WIDE_ROLES | {Role.TRAINER}


def can_use_training(user: User) -> bool:
    scope = scope_for(user)
    return scope.superuser or bool(scope.admin_organisation_ids() or scope.site_ids(TRAINING_ROLES))


def can_manage_training(user: User) -> bool:
    """Sets up structure, cohorts and timetables somewhere."""
    scope = scope_for(user)
    return scope.superuser or bool(
        scope.admin_organisation_ids() or scope.site_ids({Role.SITE_MANAGER})
    )


def cohort_filter(user: User, *, field: str = "") -> Q:
    """Cohorts the user may see: `field` is the path to the cohort from the model filtered
    ("" for Cohort itself, "cohort" for Session or Enrolment)."""
    scope = scope_for(user)
    prefix = f"{field}__" if field else ""
    if scope.superuser:
        return Q()
    wide = scope.site_filter(SITE_WIDE_ROLES, field=f"{prefix}run__site")
    trainer_sites = scope.site_ids({Role.TRAINER})
    if not trainer_sites:
        return wide
    own = Q(**{f"{prefix}trainers": user, f"{prefix}run__site_id__in": trainer_sites})
    return wide | own


def cohorts_visible(*, user: User) -> QuerySet[Cohort]:
    """Scoped cohorts (a trainer: their own). Distinct: the trainer join can repeat a row."""
    ids = Cohort.objects.filter(cohort_filter(user)).values("pk")
    return Cohort.objects.filter(pk__in=ids).select_related(
        "run", "run__programme", "run__site", "run__site__organisation"
    )


def can_manage_cohort(user: User, cohort: Cohort) -> bool:
    return can_manage_site(user, cohort.run.site)


def can_manage_training_at(user: User, site: Site) -> bool:
    return can_manage_site(user, site)


def teaches(user: User, cohort: Cohort) -> bool:
    """The user may take roll call and record assessments for the cohort: one of its
    trainers, or someone who manages its site."""
    if can_manage_cohort(user, cohort):
        return True
    scope = scope_for(user)
    if cohort.run.site_id not in scope.site_ids({Role.TRAINER}):
        return False
    return cohort.trainers.filter(pk=user.pk).exists()


def sees_cohort_site_wide(user: User, cohort: Cohort) -> bool:
    """A site manager, job coach or admin of the cohort's site (not only a trainer)."""
    scope = scope_for(user)
    site = cohort.run.site
    return (
        scope.superuser
        or site.organisation_id in scope.admin_organisation_ids()
        or site.pk in scope.site_ids(SITE_WIDE_ROLES)
    )
