"""Reads for selection. Who sees what:

- site managers and selection officers: the calls of their sites and every application;
- network admins: every call of their organisation;
- interviewers: only the applications they are asked to interview;
- field investigators: only the applications they are asked to visit.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from tremplin.core.models import User
from tremplin.network.models import ProgrammeRun, Role
from tremplin.network.selectors import can_see_aggregates, scope_for
from tremplin.selection.models import (
    Application,
    Call,
    CallSite,
    InterviewAssignment,
    SocialInvestigation,
)

SELECTION_ROLES = frozenset({Role.SITE_MANAGER, Role.SELECTION_OFFICER})
RATER_ROLES = frozenset({Role.INTERVIEWER, Role.FIELD_INVESTIGATOR})


def can_use_selection(user: User) -> bool:
    scope = scope_for(user)
    return scope.superuser or bool(
        scope.admin_organisation_ids() or scope.site_ids(SELECTION_ROLES | RATER_ROLES)
    )


def can_run_selection(user: User) -> bool:
    """Officers, managers and network admins: they run calls (raters only rate)."""
    scope = scope_for(user)
    return scope.superuser or bool(
        scope.admin_organisation_ids() or scope.site_ids(SELECTION_ROLES)
    )


def _call_filter(user: User, roles: frozenset[str], prefix: str = "") -> Q:
    """Calls run at, or offering seats at, a site where the user holds one of `roles` (or of
    an organisation they administer)."""
    scope = scope_for(user)
    if scope.superuser:
        return Q()
    seats_here = Exists(
        CallSite.objects.filter(call_id=OuterRef(f"{prefix}pk"), site_id__in=scope.site_ids(roles))
    )
    return scope.site_filter(roles, field=f"{prefix}site") | Q(seats_here)


def runs_for_new_calls(*, user: User) -> QuerySet[ProgrammeRun]:
    """Programme runs the user may open a call for."""
    return ProgrammeRun.objects.filter(scope_for(user).site_filter(SELECTION_ROLES)).select_related(
        "programme", "site"
    )


def can_open_call(user: User, run: ProgrammeRun) -> bool:
    scope = scope_for(user)
    if scope.superuser or run.site.organisation_id in scope.admin_organisation_ids():
        return True
    return run.site_id in scope.site_ids(SELECTION_ROLES)


def calls_run(*, user: User) -> QuerySet[Call]:
    """Calls the user runs (officer, manager, network admin)."""
    return Call.objects.filter(_call_filter(user, SELECTION_ROLES)).select_related(
        "site", "run__programme"
    )


# --- Who sees which funnel ---------------------------------------------------------------


def can_see_funnel(user: User) -> bool:
    """Those who run calls, and funder viewers (aggregates only)."""
    return can_run_selection(user) or can_see_aggregates(user)


def funnel_calls(*, user: User) -> QuerySet[Call]:
    """Calls whose funnel the user may see: the calls they run and, for a funder viewer,
    every call of the organisations they fund (shown with small cells suppressed)."""
    scope = scope_for(user)
    run = calls_run(user=user)
    funded = scope.funder_organisation_ids()
    if scope.superuser or not funded:
        return run
    return Call.objects.filter(
        Q(pk__in=run.values("pk")) | Q(site__organisation_id__in=funded)
    ).select_related("site", "run__programme")


def calls_run_among(*, user: User, call_ids: list[int]) -> set[int]:
    """Which of the calls the user runs; small cells are hidden unless they run them all."""
    scope = scope_for(user)
    if scope.superuser or not scope.funder_organisation_ids():
        return set(call_ids)  # funnel_calls gave only calls the user runs
    return set(calls_run(user=user).filter(pk__in=call_ids).values_list("pk", flat=True))


def call_get(*, user: User, call_id: int) -> Call:
    """A call the user runs; 404 otherwise."""
    call = calls_run(user=user).filter(pk=call_id).first()
    if call is None:
        raise Http404
    return call


def call_managed_get(*, user: User, call_id: int) -> Call:
    """A call the user runs and may change: 404 outside their scope, 403 for a role that only
    looks."""
    call = call_get(user=user, call_id=call_id)
    if not can_manage_call(user, call):
        raise PermissionDenied
    return call


def can_decide(user: User, call: Call) -> bool:
    """The committee: validates decisions and is the only one who reverses them."""
    scope = scope_for(user)
    if scope.superuser or call.site.organisation_id in scope.admin_organisation_ids():
        return True
    return call.site_id in scope.site_ids({Role.SITE_MANAGER})


def can_manage_call(user: User, call: Call) -> bool:
    scope = scope_for(user)
    if scope.superuser or call.site.organisation_id in scope.admin_organisation_ids():
        return True
    return bool(
        {call.site_id, *call.call_sites.values_list("site_id", flat=True)}
        & scope.site_ids(SELECTION_ROLES)
    )


def applications_of_call(*, user: User, call: Call) -> QuerySet[Application]:
    """Submitted applications of a call the user runs."""
    return call.applications.filter(status=Application.Status.SUBMITTED).select_related(
        "person", "site", "region"
    )


def application_get(*, user: User, application_id: int) -> Application:
    """A submitted application of a call the user runs; 404 otherwise."""
    application = (
        Application.objects.filter(_call_filter(user, SELECTION_ROLES, prefix="call__"))
        .exclude(status=Application.Status.DRAFT)
        .select_related("call__site", "call__run__programme", "person", "site", "region")
        .filter(pk=application_id)
        .first()
    )
    if application is None:
        raise Http404
    return application


def interview_assignments_for(*, user: User) -> QuerySet[InterviewAssignment]:
    """The interviews a rater is asked to do, open ones first."""
    return (
        InterviewAssignment.objects.filter(rater=user)
        .exclude(application__status=Application.Status.WITHDRAWN)
        .select_related("application__person", "application__call", "stage")
        .order_by("submitted_at", "application__call__title", "pk")
    )


def interview_assignment_get(*, user: User, assignment_id: int) -> InterviewAssignment:
    """One of the rater's own interviews; anyone else's answers 404."""
    assignment = interview_assignments_for(user=user).filter(pk=assignment_id).first()
    if assignment is None:
        raise Http404
    return assignment


def investigations_for(*, user: User) -> QuerySet[SocialInvestigation]:
    return (
        SocialInvestigation.objects.filter(investigator=user)
        .exclude(application__status=Application.Status.WITHDRAWN)
        .select_related("application__person", "application__call", "stage")
        .order_by("submitted_at", "pk")
    )


def investigation_get(*, user: User, investigation_id: int) -> SocialInvestigation:
    investigation = investigations_for(user=user).filter(pk=investigation_id).first()
    if investigation is None:
        raise Http404
    return investigation


def public_call_get(*, slug: str) -> Call:
    """A published call, for the public form (open or not: the page says which)."""
    call = Call.objects.filter(slug=slug, published=True).select_related("site", "run").first()
    if call is None:
        raise Http404
    return call
