"""Reads for selection. Who sees what:

- site managers and selection officers: the calls of their sites and every application;
- network admins: every call of their organisation;
- interviewers: only the applications they are asked to interview;
- field investigators: only the applications they are asked to visit.
"""

from __future__ import annotations

from collections.abc import Collection

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404

from tremplin.core.encryption import encrypted_file_read
from tremplin.core.models import User
from tremplin.core.tokens import token_hash
from tremplin.messaging.models import Message
from tremplin.messaging.selectors import failed_about
from tremplin.network.models import ProgrammeRun, Role, RoleAssignment, Site
from tremplin.network.selectors import can_see_aggregates, scope_for
from tremplin.people.selectors import search_filter
from tremplin.selection.models import (
    Application,
    ApplicationDocument,
    ApplicationQuestion,
    Call,
    CallSite,
    Decision,
    FinalDecision,
    InterviewAssignment,
    Rating,
    SocialInvestigation,
    Stage,
    StageResult,
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


def has_rating_work(user: User) -> bool:
    """Interviewers and field investigators, and anyone asked to interview or visit."""
    if scope_for(user).site_ids(RATER_ROLES):
        return True
    return (
        InterviewAssignment.objects.filter(rater=user).exists()
        or SocialInvestigation.objects.filter(investigator=user).exists()
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


def funnel_calls(*, user: User, among: Collection[int] = ()) -> QuerySet[Call]:
    """Calls whose funnel the user may see: the calls they run and, for a funder viewer,
    every call of the organisations they fund (shown with small cells suppressed); only
    those `among` the ids given, when some are."""
    scope = scope_for(user)
    run = calls_run(user=user)
    funded = scope.funder_organisation_ids()
    if scope.superuser or not funded:
        calls = run
    else:
        calls = Call.objects.filter(
            Q(pk__in=run.values("pk")) | Q(site__organisation_id__in=funded)
        ).select_related("site", "run__programme")
    return calls.filter(pk__in=among) if among else calls


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


def calls_listed(*, user: User) -> QuerySet[Call]:
    """The calls the user runs, each with its number of submitted applications (`applied`)."""
    return calls_run(user=user).annotate(
        applied=Count("applications", filter=Q(applications__status="submitted"))
    )


def stages_reached(*, call: Call) -> dict[int, int]:
    """How many applications sent to the call passed each number of stages:
    {stages_passed: count}. Those withdrawn since count where they stopped, as in the funnel
    (funnel/counts.py), so both pages give the same figures."""
    submitted = call.applications.filter(
        status__in=(Application.Status.SUBMITTED, Application.Status.WITHDRAWN)
    )
    return dict(
        submitted.values_list("stages_passed")
        .annotate(n=Count("pk"))
        .values_list("stages_passed", "n")
    )


def drafts_count(*, call: Call) -> int:
    return call.applications.filter(status=Application.Status.DRAFT).count()


def messages_failed(*, call: Call) -> QuerySet[Message]:
    """Messages about the call's applications (drafts too) that were not delivered."""
    return failed_about(
        subject_type=Application._meta.label_lower,
        subject_ids=call.applications.values("pk"),
    ).order_by("-created_at", "-pk")[:50]


def help_request_get(*, call: Call, application_id: int) -> Application:
    """An application of this call (a draft too) holding a question; 404 otherwise. The
    caller has found the call in the user's scope."""
    application = (
        call.applications.exclude(help_requested="")
        .select_related("person", "call__site")
        .filter(pk=application_id)
        .first()
    )
    if application is None:
        raise Http404
    return application


def help_requests(*, call: Call) -> QuerySet[Application]:
    """The questions applicants asked the team: those waiting first, then the last handled;
    each with its history (`questions`, newest first, the latest being the one shown)."""
    return (
        call.applications.exclude(help_requested="")
        .select_related("person", "help_handled_by")
        .prefetch_related(
            Prefetch(
                "questions",
                queryset=ApplicationQuestion.objects.select_related("handled_by").order_by(
                    "-asked_at", "-pk"
                ),
            )
        )
        .order_by(F("help_handled_at").asc(nulls_first=True), "-help_requested_at")[:20]
    )


def sites_for_seats(*, call: Call) -> QuerySet[Site]:
    """The sites that may offer seats in a call: those of its organisation."""
    return Site.objects.filter(organisation_id=call.site.organisation_id)


def site_for_seats_get(*, call: Call, site_id: int | str) -> Site | None:
    return sites_for_seats(call=call).filter(pk=site_id).first()


def stage_get(*, call: Call, stage_id: int, kind: str | None = None) -> Stage:
    """A stage of the call (of that kind, when given); 404 otherwise."""
    stages = call.stages.filter(pk=stage_id)
    if kind is not None:
        stages = stages.filter(kind=kind)
    stage = stages.first()
    if stage is None:
        raise Http404
    return stage


def staff_of_call(*, call: Call, roles: Collection[str]) -> list[User]:
    """Active staff holding one of `roles` at a site of the call, by name."""
    site_ids = {call.site_id, *call.call_sites.values_list("site_id", flat=True)}
    user_ids = RoleAssignment.objects.filter(site_id__in=site_ids, role__in=roles).values("user_id")
    return list(
        User.objects.filter(pk__in=user_ids, is_active=True).order_by(
            "last_name", "first_name", "email"
        )
    )


def applications_of_call(*, user: User, call: Call) -> QuerySet[Application]:
    """Submitted applications of a call the user runs."""
    return call.applications.filter(status=Application.Status.SUBMITTED).select_related(
        "person", "site", "region"
    )


# The applications list's filter for those who withdrew (next to the outcomes).
WITHDRAWN_FILTER = "withdrawn"
# Its filter for those a stage stopped and the committee has not decided on yet (apart from
# "Not selected", which counts only the decisions validated, as the committee and funnel do).
STOPPED_FILTER = "stopped"


def applications_listed(
    *, user: User, call: Call, outcome: str = "", help_only: bool = False, query: str = ""
) -> QuerySet[Application]:
    """Applications of a call the user runs, sent and not withdrawn with that outcome, or
    withdrawn when `outcome` is "withdrawn", in progress and stopped at a stage when it is
    "stopped", or both when it is none of these; only those
    who asked a question, and matching the search, as asked."""
    if outcome == WITHDRAWN_FILTER:
        applications = call.applications.filter(status=Application.Status.WITHDRAWN)
    elif outcome == STOPPED_FILTER:
        applications = applications_of_call(user=user, call=call).filter(
            outcome=Application.Outcome.IN_PROGRESS,
            stage_results__decision=Decision.REJECT,
        )
        applications = applications.distinct()
    elif outcome in Application.Outcome.values:
        applications = applications_of_call(user=user, call=call).filter(outcome=outcome)
        if outcome == Application.Outcome.IN_PROGRESS:
            # Still running: those a stage stopped are under their own filter.
            applications = applications.exclude(stage_results__decision=Decision.REJECT)
    else:
        applications = call.applications.filter(
            status__in=(Application.Status.SUBMITTED, Application.Status.WITHDRAWN)
        )
    # The stage that stopped an application still in progress ("Stopped at …" until the
    # committee's decision), None for the others.
    stopped_at = (
        StageResult.objects.filter(application=OuterRef("pk"), decision=Decision.REJECT)
        .order_by("stage__position")
        .values("stage__name")[:1]
    )
    applications = applications.select_related("person", "site", "region").annotate(
        stopped_at=Subquery(stopped_at)
    )
    if help_only:
        applications = applications.exclude(help_requested="")
    if query:
        applications = applications.filter(search_filter(query, field="person__search_text"))
    return applications


def applications_at_stage(
    *, user: User, call: Call, stage: Stage, query: str = "", ids: Collection[int] | None = None
) -> QuerySet[Application]:
    """Submitted applications that reached `stage` (passed the stages before it), matching
    the search, or among `ids` when given."""
    applications = applications_of_call(user=user, call=call).filter(
        stages_passed__gte=stage.position - 1
    )
    if query:
        applications = applications.filter(search_filter(query, field="person__search_text"))
    if ids is not None:
        applications = applications.filter(pk__in=ids)
    return applications


def applications_for_scores(*, call: Call, ids: Collection[int]) -> dict[int, Application]:
    """Submitted applications of the call among `ids`, by id, with their person."""
    return {
        a.pk: a
        for a in call.applications.filter(
            status=Application.Status.SUBMITTED, pk__in=ids
        ).select_related("person")
    }


def stage_results_of(*, stage: Stage, application_ids: Collection[int]) -> dict[int, StageResult]:
    """The stage's results for these applications, by application id."""
    return {
        r.application_id: r
        for r in StageResult.objects.filter(stage=stage, application_id__in=application_ids)
    }


def raters_of(
    *, stage: Stage, application_ids: Collection[int]
) -> dict[int, list[InterviewAssignment]]:
    """The raters asked to interview these applications at the stage, by application id."""
    raters: dict[int, list[InterviewAssignment]] = {}
    for assignment in stage.assignments.filter(application_id__in=application_ids).select_related(
        "rater"
    ):
        raters.setdefault(assignment.application_id, []).append(assignment)
    return raters


def investigations_of(
    *, stage: Stage, application_ids: Collection[int]
) -> dict[int, SocialInvestigation]:
    """The home visits of these applications at the stage, by application id."""
    return {
        i.application_id: i
        for i in stage.investigations.filter(application_id__in=application_ids).select_related(
            "investigator"
        )
    }


def user_names(*, ids: Collection[int]) -> dict[int, str]:
    """Each user's name as staff read it (their e-mail when they gave no name)."""
    return {user.pk: user.display_name for user in User.objects.filter(pk__in=ids)}


def pending_scores_count(*, stage: Stage) -> int:
    """Scored results still waiting for a decision (what the pass mark would decide)."""
    return stage.results.filter(decision=Decision.PENDING, score__isnull=False).count()


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


def standing_decision(*, application: Application) -> FinalDecision | None:
    """The application's decision that is not reversed, if any."""
    return application.final_decisions.exclude(state=FinalDecision.State.REVERSED).first()


def decisions_of_call(*, call: Call, state: str) -> list[FinalDecision]:
    """The call's decisions in that state, by outcome, for the committee's page."""
    return list(
        FinalDecision.objects.filter(application__call=call, state=state)
        .select_related("application__person", "proposed_by", "validated_by")
        .order_by("outcome", "pk")
    )


def applications_stopped(*, user: User, call: Call) -> list[StageResult]:
    """The call's submitted applications stopped at a stage (a result "stops here") that
    have no proposed or validated decision yet, so were never told: for each, the result of
    the first stage that stopped it (its stage, reason and note, and the application with
    its person), by stage then name."""
    standing = FinalDecision.objects.filter(
        application=OuterRef("application"),
        state__in=(FinalDecision.State.PROPOSED, FinalDecision.State.VALIDATED),
    )
    results = (
        StageResult.objects.filter(
            application__in=applications_of_call(user=user, call=call).filter(
                outcome=Application.Outcome.IN_PROGRESS
            ),
            decision=Decision.REJECT,
        )
        .exclude(Exists(standing))
        .select_related("application__person", "stage")
        .order_by("application_id", "stage__position")
    )
    first: dict[int, StageResult] = {}
    for result in results:
        first.setdefault(result.application_id, result)
    return sorted(
        first.values(),
        key=lambda r: (r.stage.position, str(r.application.person or ""), r.application_id),
    )


def decisions_unmailed(*, call: Call) -> list[int]:
    """Ids of the call's validated decisions whose e-mail has not gone."""
    return list(
        FinalDecision.objects.filter(
            application__call=call, state=FinalDecision.State.VALIDATED, mailed_at__isnull=True
        ).values_list("pk", flat=True)
    )


def decision_get(*, user: User, decision_id: int) -> FinalDecision:
    """A decision on an application of a call the user runs; 404 otherwise."""
    decision = FinalDecision.objects.filter(pk=decision_id).first()
    if decision is None:
        raise Http404
    decision.application = application_get(user=user, application_id=decision.application_id)
    return decision


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


def interview_panel(
    *, user: User, assignment: InterviewAssignment
) -> list[tuple[InterviewAssignment, dict[int, int]]]:
    """Every rater of the same interview (the user's own assignment among them) with their
    marks by criterion id."""
    return [
        (
            other,
            dict(Rating.objects.filter(assignment=other).values_list("criterion_id", "value")),
        )
        for other in InterviewAssignment.objects.filter(
            application=assignment.application, stage=assignment.stage
        ).select_related("rater")
    ]


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


def application_document_content(*, document: ApplicationDocument) -> bytes:
    """The file as the applicant sent it (decrypted); the caller has checked the reader may
    see sensitive data at the call's site."""
    return encrypted_file_read(document.file)


def public_call_get(*, slug: str) -> Call:
    """A published call, for the public form (open or not: the page says which)."""
    call = (
        Call.objects.filter(slug=slug, published=True)
        .select_related("site__organisation", "run")
        .first()
    )
    if call is None:
        raise Http404
    return call


def draft_get(*, call: Call, application_id: int) -> Application | None:
    """The draft the browser session points to, while it is still a draft."""
    return call.applications.filter(pk=application_id, status=Application.Status.DRAFT).first()


def sent_application_by_token(*, call: Call, token: str) -> Application | None:
    """The application a resume link belonged to, once it is sent (no longer a draft)."""
    if not token:
        return None

    return (
        call.applications.filter(resume_token_hash=token_hash(token), submitted_at__isnull=False)
        .exclude(status=Application.Status.DRAFT)
        .first()
    )


def sent_application_get(*, call: Call, application_id: int) -> Application | None:
    """The application the browser session has just sent, with its person."""
    return call.applications.select_related("person").filter(pk=application_id).first()
