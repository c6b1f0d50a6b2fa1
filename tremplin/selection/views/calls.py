"""Staff pages for calls, stages, applications and decisions."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tremplin.core.audit import audit_events_for
from tremplin.core.forms import form_errors_to_messages
from tremplin.core.listing import paginate_sorted
from tremplin.core.models import User
from tremplin.core.permissions import acting_user, user_passes
from tremplin.network.models import Role, RoleAssignment, Site
from tremplin.network.selectors import can_see_sensitive_at
from tremplin.people.selectors import search_filter
from tremplin.selection import mail, selectors
from tremplin.selection.forms import (
    CallCreateForm,
    CallEditForm,
    ProposeForm,
    ResultForm,
    ReverseForm,
    StageAddForm,
    StageEditForm,
)
from tremplin.selection.models import (
    Application,
    Call,
    Decision,
    FinalDecision,
    ReasonCode,
    Stage,
    StageKind,
    StageResult,
)
from tremplin.selection.scorecards import severity_report
from tremplin.selection.services import administrative_checks as check_services
from tremplin.selection.services import calls as call_services
from tremplin.selection.services import decisions as decision_services
from tremplin.selection.services import interviews as interview_services
from tremplin.selection.services import investigations as investigation_services
from tremplin.selection.services import stage_results as result_services
from tremplin.selection.services import stages as stage_services

run_selection = user_passes(selectors.can_run_selection)


def _call_to_manage(request: HttpRequest, call_id: int) -> Call:
    return selectors.call_managed_get(user=acting_user(request), call_id=call_id)


def _stage_of(call: Call, stage_id: int) -> Stage:
    stage = call.stages.filter(pk=stage_id).first()
    if stage is None:
        raise Http404
    return stage


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@run_selection
def call_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    listing = paginate_sorted(
        request,
        selectors.calls_run(user=user).annotate(
            applied=Count("applications", filter=Q(applications__status="submitted"))
        ),
        sorts={
            "opens": ("opens_on",),
            "title": ("title",),
            "site": ("site__name", "title"),
            "applied": ("applied",),
        },
        default="-opens",
    )
    return render(
        request,
        "selection/call_list.html",
        {"listing": listing, "can_create": selectors.runs_for_new_calls(user=user).exists()},
    )


@run_selection
def call_create(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    runs = selectors.runs_for_new_calls(user=user)
    if not runs.exists():
        raise PermissionDenied
    form = CallCreateForm(request.POST or None, runs=runs)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            call = call_services.call_create(
                actor=user,
                run=data["run"],
                slug=data["slug"],
                title=data["title"],
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
                process=data["process"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The call is created. Check its rules, then publish it."))
            return redirect("selection:call-detail", call_id=call.pk)
    return render(request, "selection/call_form.html", {"form": form, "creating": True})


@run_selection
def call_detail(request: HttpRequest, call_id: int) -> HttpResponse:
    user = acting_user(request)
    call = selectors.call_get(user=user, call_id=call_id)
    stages = list(call.stages.all())
    submitted = call.applications.filter(status=Application.Status.SUBMITTED)
    reached = dict(
        submitted.values_list("stages_passed")
        .annotate(n=Count("pk"))
        .values_list("stages_passed", "n")
    )
    total = sum(reached.values())
    rows = []
    for stage in stages:
        at_or_past = sum(n for passed, n in reached.items() if passed >= stage.position - 1)
        passed = sum(n for passed, n in reached.items() if passed >= stage.position)
        rows.append({"stage": stage, "reached": at_or_past, "passed": passed})
    public_url = request.build_absolute_uri(
        reverse("selection:apply-start", kwargs={"slug": call.slug})
    )
    same_org_sites = Site.objects.filter(organisation_id=call.site.organisation_id)
    return render(
        request,
        "selection/call_detail.html",
        {
            "call": call,
            "rows": rows,
            "total": total,
            "drafts": call.applications.filter(status=Application.Status.DRAFT).count(),
            "help_requests": call.applications.exclude(help_requested="").order_by(
                "-help_requested_at"
            )[:20],
            "call_sites": call.call_sites.select_related("site"),
            "other_sites": same_org_sites,
            "public_url": public_url,
            "can_manage": selectors.can_manage_call(user, call),
            "can_decide": selectors.can_decide(user, call),
            "stage_form": StageAddForm(),
            "kinds": StageKind,
        },
    )


@run_selection
def call_edit(request: HttpRequest, call_id: int) -> HttpResponse:
    call = _call_to_manage(request, call_id)
    form = CallEditForm(request.POST or None, instance=call)
    if request.method == "POST" and form.is_valid():
        try:
            call_services.call_update(
                actor=acting_user(request),
                call=Call.objects.get(pk=call.pk),
                values={name: form.cleaned_data[name] for name in form.Meta.fields},
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("selection:call-detail", call_id=call.pk)
    return render(request, "selection/call_form.html", {"form": form, "call": call})


@require_POST
@run_selection
def call_seats(request: HttpRequest, call_id: int) -> HttpResponse:
    call = _call_to_manage(request, call_id)
    site = Site.objects.filter(
        pk=request.POST.get("site") or 0, organisation_id=call.site.organisation_id
    ).first()
    try:
        seats = int(request.POST.get("seats", ""))
    except ValueError:
        seats = -1
    if site is None or seats < 0:
        messages.error(request, _("Choose a site and a number of seats (0 removes the site)."))
    else:
        try:
            call_services.call_seats_set(
                actor=acting_user(request), call=call, site=site, seats=seats
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Seats saved."))
    return redirect("selection:call-detail", call_id=call.pk)


@require_POST
@run_selection
def stage_add(request: HttpRequest, call_id: int) -> HttpResponse:
    call = _call_to_manage(request, call_id)
    form = StageAddForm(request.POST)
    if form.is_valid():
        try:
            stage_services.stage_add(
                actor=acting_user(request),
                call=call,
                kind=form.cleaned_data["kind"],
                name=form.cleaned_data["name"],
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Stage added."))
    else:
        form_errors_to_messages(request, form)
    return redirect("selection:call-detail", call_id=call.pk)


@require_POST
@run_selection
def stage_move(request: HttpRequest, call_id: int, stage_id: int) -> HttpResponse:
    call = _call_to_manage(request, call_id)
    stage = _stage_of(call, stage_id)
    try:
        stage_services.stage_move(
            actor=acting_user(request), stage=stage, up=request.POST.get("direction") == "up"
        )
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("selection:call-detail", call_id=call.pk)


@require_POST
@run_selection
def stage_remove(request: HttpRequest, call_id: int, stage_id: int) -> HttpResponse:
    call = _call_to_manage(request, call_id)
    stage = _stage_of(call, stage_id)
    try:
        stage_services.stage_remove(actor=acting_user(request), stage=stage)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Stage removed."))
    return redirect("selection:call-detail", call_id=call.pk)


def _criteria_from_post(request: HttpRequest) -> list[tuple[str, Decimal, list[str]]]:
    criteria = []
    names = request.POST.getlist("criterion_name")
    weights = request.POST.getlist("criterion_weight")
    for index, (name, weight) in enumerate(zip(names, weights, strict=False)):
        if not name.strip():
            continue
        try:
            value = Decimal(weight.replace(",", "."))
        except InvalidOperation:
            raise ValidationError(
                _("Criterion %(number)d: the weight must be a number.") % {"number": index + 1}
            ) from None
        if value <= 0:
            raise ValidationError(
                _("Criterion %(number)d: the weight must be above 0.") % {"number": index + 1}
            )
        anchors = [request.POST.get(f"anchor_{index}_{mark}", "").strip() for mark in range(1, 6)]
        criteria.append((name.strip(), value, anchors))
    return criteria


@run_selection
def stage_edit(request: HttpRequest, call_id: int, stage_id: int) -> HttpResponse:
    call = _call_to_manage(request, call_id)
    stage = _stage_of(call, stage_id)
    user = acting_user(request)
    form = StageEditForm(
        request.POST or None,
        initial={
            "name": stage.name,
            "max_score": stage.max_score,
            "pass_mark": stage.pass_mark,
            "raters_per_application": stage.raters_per_application,
            "standardise_raters": stage.standardise_raters,
        },
    )
    questionnaire_text = json.dumps(stage.questionnaire, ensure_ascii=False, indent=2)
    if request.method == "POST" and form.is_valid():
        values: dict[str, Any] = {
            "name": form.cleaned_data["name"],
            "max_score": form.cleaned_data["max_score"],
            "pass_mark": form.cleaned_data["pass_mark"],
            "standardise_raters": form.cleaned_data["standardise_raters"],
        }
        if form.cleaned_data["raters_per_application"]:
            values["raters_per_application"] = form.cleaned_data["raters_per_application"]
        try:
            if stage.kind == StageKind.SOCIAL_INVESTIGATION:
                questionnaire_text = request.POST.get("questionnaire", "")
                try:
                    values["questionnaire"] = json.loads(questionnaire_text or "[]")
                except json.JSONDecodeError as exc:
                    raise ValidationError(
                        _("The questionnaire is not valid JSON (line %(line)d).")
                        % {"line": exc.lineno}
                    ) from None
            stage_services.stage_update(actor=user, stage=stage, values=values)
            if stage.kind == StageKind.INTERVIEW and "criterion_name" in request.POST:
                stage_services.criteria_save(
                    actor=user, stage=stage, criteria=_criteria_from_post(request)
                )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Stage saved."))
            return redirect("selection:call-detail", call_id=call.pk)
    criteria = list(stage.criteria.all())
    return render(
        request,
        "selection/stage_form.html",
        {
            "call": call,
            "stage": stage,
            "form": form,
            "criteria": criteria,
            "blank_criteria": range(len(criteria), len(criteria) + 2),
            "marks": range(1, 6),
            "questionnaire_text": questionnaire_text,
        },
    )


def _staff_for(call: Call, roles: set[str]) -> list[User]:
    site_ids = {call.site_id, *call.call_sites.values_list("site_id", flat=True)}
    user_ids = RoleAssignment.objects.filter(site_id__in=site_ids, role__in=roles).values("user_id")
    return list(User.objects.filter(pk__in=user_ids, is_active=True).order_by("email"))


@run_selection
def stage_detail(request: HttpRequest, call_id: int, stage_id: int) -> HttpResponse:
    """The applications at a stage: results, raters and the pass mark, in one table."""
    user = acting_user(request)
    call = selectors.call_get(user=user, call_id=call_id)
    stage = _stage_of(call, stage_id)
    applications = selectors.applications_of_call(user=user, call=call).filter(
        stages_passed__gte=stage.position - 1
    )
    query = request.GET.get("q", "").strip()
    if query:
        applications = applications.filter(search_filter(query, field="person__search_text"))
    listing = paginate_sorted(
        request,
        applications,
        sorts={
            "name": ("person__legal_family_name", "person__legal_given_names"),
            "submitted": ("submitted_at",),
        },
        default="name",
        per_page=50,
    )
    page_ids = [a.pk for a in listing.page.object_list]
    results = {
        r.application_id: r
        for r in StageResult.objects.filter(stage=stage, application_id__in=page_ids)
    }
    raters: dict[int, list[Any]] = {}
    for assignment in stage.assignments.filter(application_id__in=page_ids).select_related("rater"):
        raters.setdefault(assignment.application_id, []).append(assignment)
    investigations = {
        i.application_id: i
        for i in stage.investigations.filter(application_id__in=page_ids).select_related(
            "investigator"
        )
    }
    rows = [
        {
            "application": a,
            "result": results.get(a.pk),
            "raters": raters.get(a.pk, []),
            "investigation": investigations.get(a.pk),
        }
        for a in listing.page.object_list
    ]
    severity = []
    if stage.kind == StageKind.INTERVIEW:
        report = severity_report(interview_services.interview_marks(stage))
        emails = dict(
            User.objects.filter(pk__in=[r.rater_id for r in report]).values_list("pk", "email")
        )
        severity = [{"rater": emails.get(r.rater_id, "?"), "report": r} for r in report]
    pending = stage.results.filter(decision=Decision.PENDING, score__isnull=False).count()
    return render(
        request,
        "selection/stage_detail.html",
        {
            "call": call,
            "stage": stage,
            "listing": listing,
            "rows": rows,
            "query": query,
            "severity": severity,
            "pending": pending,
            "can_manage": selectors.can_manage_call(user, call),
            "interviewers": _staff_for(
                call, {Role.INTERVIEWER, Role.SELECTION_OFFICER, Role.SITE_MANAGER}
            )
            if stage.kind == StageKind.INTERVIEW
            else [],
            "investigators": _staff_for(call, {Role.FIELD_INVESTIGATOR, Role.SELECTION_OFFICER})
            if stage.kind == StageKind.SOCIAL_INVESTIGATION
            else [],
            "decisions": [(d.value, d.label) for d in Decision if d != Decision.PENDING],
        },
    )


def _next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next", "")
    return target if target.startswith("/selection/") else default


@require_POST
@run_selection
def stage_scores_save(request: HttpRequest, call_id: int, stage_id: int) -> HttpResponse:
    """Scores typed in the stage table, several at once: each becomes a pending result."""
    call = _call_to_manage(request, call_id)
    stage = _stage_of(call, stage_id)
    user = acting_user(request)
    saved = 0
    problems = []
    applications = {
        a.pk: a
        for a in call.applications.filter(
            status=Application.Status.SUBMITTED,
            pk__in=[
                int(k.removeprefix("score_"))
                for k in request.POST
                if k.startswith("score_") and k.removeprefix("score_").isdigit()
            ],
        ).select_related("person")
    }
    existing = {
        r.application_id: (r.score, r.decision)
        for r in StageResult.objects.filter(stage=stage, application_id__in=list(applications))
    }
    for application_id, application in applications.items():
        raw = request.POST.get(f"score_{application_id}", "").strip().replace(",", ".")
        decision = request.POST.get(f"decision_{application_id}", "") or Decision.PENDING
        if not raw and decision == Decision.PENDING:
            continue
        try:
            score = Decimal(raw) if raw else None
            if existing.get(application_id) == (score, decision):
                continue
            result_services.stage_result_record(
                actor=user,
                application=application,
                stage=stage,
                score=score,
                decision=decision,
                reason=_default_reason(stage, score, decision),
            )
            saved += 1
        except InvalidOperation:
            problems.append(f"{application.person}: {_('Enter a number.')}")
        except ValidationError as exc:
            problems.append(f"{application.person}: {' '.join(exc.messages)}")
    if saved:
        messages.success(request, _("%(count)d results saved.") % {"count": saved})
    for problem in problems:
        messages.error(request, problem)
    default = reverse("selection:stage-detail", kwargs={"call_id": call.pk, "stage_id": stage.pk})
    return redirect(_next(request, default))


def _default_reason(stage: Stage, score: Decimal | None, decision: str) -> str:
    if decision == Decision.ADVANCE:
        return ReasonCode.PASSED
    if (
        decision == Decision.REJECT
        and stage.pass_mark is not None
        and score is not None
        and score < stage.pass_mark
    ):
        return ReasonCode.BELOW_PASS_MARK
    return ReasonCode.OTHER


@require_POST
@run_selection
def stage_pass_mark(request: HttpRequest, call_id: int, stage_id: int) -> HttpResponse:
    call = _call_to_manage(request, call_id)
    stage = _stage_of(call, stage_id)
    try:
        count = result_services.pass_mark_apply(actor=acting_user(request), stage=stage)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(
            request, _("%(count)d results decided by the pass mark.") % {"count": count}
        )
    return redirect("selection:stage-detail", call_id=call.pk, stage_id=stage.pk)


@require_POST
@run_selection
def stage_assign(request: HttpRequest, call_id: int, stage_id: int) -> HttpResponse:
    """Give raters (interview) or an investigator (home visit) to the chosen applications;
    with "share out", every applicant without enough raters gets them in turn."""
    call = _call_to_manage(request, call_id)
    stage = _stage_of(call, stage_id)
    user = acting_user(request)
    if stage.kind == StageKind.INTERVIEW:
        pool = _staff_for(call, {Role.INTERVIEWER, Role.SELECTION_OFFICER, Role.SITE_MANAGER})
    elif stage.kind == StageKind.SOCIAL_INVESTIGATION:
        pool = _staff_for(call, {Role.FIELD_INVESTIGATOR, Role.SELECTION_OFFICER})
    else:
        raise Http404
    chosen = [u for u in pool if str(u.pk) in request.POST.getlist("staff")]
    if not chosen:
        messages.error(request, _("Choose at least one person."))
        return redirect("selection:stage-detail", call_id=call.pk, stage_id=stage.pk)
    ids = [int(v) for v in request.POST.getlist("application") if v.isdigit()]
    applications = list(
        selectors.applications_of_call(user=user, call=call)
        .filter(stages_passed__gte=stage.position - 1)
        .filter(pk__in=ids)
    )
    count = 0
    try:
        for index, application in enumerate(applications):
            if stage.kind == StageKind.INTERVIEW:
                needed = stage.raters_per_application
                raters = [chosen[(index * needed + k) % len(chosen)] for k in range(needed)]
                raters = list(dict.fromkeys(raters))
                count += len(
                    interview_services.interview_assign(
                        actor=user, application=application, stage=stage, raters=raters
                    )
                )
            else:
                investigation_services.investigation_assign(
                    actor=user,
                    application=application,
                    stage=stage,
                    investigator=chosen[index % len(chosen)],
                )
                count += 1
    except ValidationError as exc:
        _errors(request, exc)
    messages.success(request, _("%(count)d assignments made.") % {"count": count})
    return redirect("selection:stage-detail", call_id=call.pk, stage_id=stage.pk)


@run_selection
def application_list(request: HttpRequest, call_id: int) -> HttpResponse:
    user = acting_user(request)
    call = selectors.call_get(user=user, call_id=call_id)
    applications = selectors.applications_of_call(user=user, call=call)
    outcome = request.GET.get("outcome", "")
    if outcome in Application.Outcome.values:
        applications = applications.filter(outcome=outcome)
    if request.GET.get("help") == "1":
        applications = applications.exclude(help_requested="")
    query = request.GET.get("q", "").strip()
    if query:
        applications = applications.filter(search_filter(query, field="person__search_text"))
    listing = paginate_sorted(
        request,
        applications,
        sorts={
            "name": ("person__legal_family_name", "person__legal_given_names"),
            "submitted": ("submitted_at",),
            "stage": ("stages_passed",),
        },
        default="name",
        per_page=50,
    )
    stages = {s.position: s for s in call.stages.all()}
    return render(
        request,
        "selection/application_list.html",
        {
            "call": call,
            "listing": listing,
            "stages": stages,
            "query": query,
            "outcome": outcome,
            "outcomes": Application.Outcome.choices,
        },
    )


@run_selection
def application_detail(request: HttpRequest, application_id: int) -> HttpResponse:
    user = acting_user(request)
    application = selectors.application_get(user=user, application_id=application_id)
    call = application.call
    stages = list(call.stages.prefetch_related("criteria"))
    results = {r.stage_id: r for r in application.stage_results.select_related("recorded_by")}
    sensitive = can_see_sensitive_at(user, call.site)
    assignments: dict[int, list[Any]] = {}
    for assignment in application.interview_assignments.select_related("rater").prefetch_related(
        "ratings__criterion"
    ):
        assignments.setdefault(assignment.stage_id, []).append(assignment)
    investigations = {i.stage_id: i for i in application.social_investigations.all()}
    checks = {c.stage_id: c for c in application.administrative_checks.all()}
    stage_rows = []
    for stage in stages:
        investigation = investigations.get(stage.pk)
        answers = {}
        if investigation and investigation.answers and sensitive:
            answers = json.loads(investigation.answers)
        stage_rows.append(
            {
                "stage": stage,
                "result": results.get(stage.pk),
                "reachable": stage.position <= application.stages_passed + 1,
                "assignments": assignments.get(stage.pk, []),
                "investigation": investigation,
                "investigation_answers": [
                    (q.get("label", q["key"]), answers.get(q["key"]))
                    for q in stage.questionnaire
                    if q["key"] in answers
                ],
                "check": checks.get(stage.pk),
                "form": ResultForm(
                    prefix=f"stage{stage.pk}",
                    initial={
                        "score": results[stage.pk].score if stage.pk in results else None,
                        "decision": results[stage.pk].decision
                        if stage.pk in results
                        else Decision.ADVANCE,
                        "reason": results[stage.pk].reason if stage.pk in results else "passed",
                        "note": results[stage.pk].note if stage.pk in results else "",
                    },
                ),
            }
        )
    standing = application.final_decisions.exclude(state=FinalDecision.State.REVERSED).first()
    history = audit_events_for(application)[:50]
    return render(
        request,
        "selection/application_detail.html",
        {
            "application": application,
            "call": call,
            "person": application.person,
            "stage_rows": stage_rows,
            "sensitive": sensitive,
            "can_manage": selectors.can_manage_call(user, call),
            "can_decide": selectors.can_decide(user, call),
            "standing": standing,
            "decisions": application.final_decisions.select_related(
                "proposed_by", "validated_by", "reversed_by"
            ),
            "propose_form": ProposeForm(),
            "reverse_form": ReverseForm(),
            "history": history,
        },
    )


def _application_to_manage(request: HttpRequest, application_id: int) -> Application:
    user = acting_user(request)
    application = selectors.application_get(user=user, application_id=application_id)
    if not selectors.can_manage_call(user, application.call):
        raise PermissionDenied
    return application


def _posted(
    request: HttpRequest,
    application_id: int,
    action: Callable[[User, Application], str],
) -> HttpResponse:
    application = _application_to_manage(request, application_id)
    try:
        message = action(acting_user(request), application)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, message)
    return redirect("selection:application-detail", application_id=application.pk)


@require_POST
@run_selection
def application_result(request: HttpRequest, application_id: int, stage_id: int) -> HttpResponse:
    def action(user: User, application: Application) -> str:
        stage = _stage_of(application.call, stage_id)
        form = ResultForm(request.POST, prefix=f"stage{stage.pk}")
        if not form.is_valid():
            raise ValidationError(
                [
                    f"{form.fields[k].label}: {' '.join(str(m) for m in v)}"
                    for k, v in form.errors.items()
                ]
            )
        result_services.stage_result_record(
            actor=user, application=application, stage=stage, **form.cleaned_data
        )
        return _("Result saved.")

    return _posted(request, application_id, action)


@require_POST
@run_selection
def application_check(request: HttpRequest, application_id: int, stage_id: int) -> HttpResponse:
    def action(user: User, application: Application) -> str:
        stage = _stage_of(application.call, stage_id)
        if not can_see_sensitive_at(user, application.call.site):
            raise PermissionDenied
        check_services.administrative_check_record(
            actor=user,
            application=application,
            stage=stage,
            documents_received=request.POST.getlist("documents"),
            checks_passed=request.POST.getlist("checks"),
            findings=request.POST.get("findings", ""),
        )
        return _("Administrative check saved.")

    return _posted(request, application_id, action)


@require_POST
@run_selection
def application_propose(request: HttpRequest, application_id: int) -> HttpResponse:
    def action(user: User, application: Application) -> str:
        form = ProposeForm(request.POST)
        if not form.is_valid():
            raise ValidationError(_("Choose an outcome and a reason."))
        decision_services.decision_propose(actor=user, application=application, **form.cleaned_data)
        return _("Decision proposed to the committee.")

    return _posted(request, application_id, action)


@run_selection
def committee(request: HttpRequest, call_id: int) -> HttpResponse:
    """The committee's page: proposals to validate, validated decisions to reverse."""
    user = acting_user(request)
    call = selectors.call_get(user=user, call_id=call_id)
    decisions = FinalDecision.objects.filter(application__call=call).select_related(
        "application__person", "proposed_by", "validated_by"
    )
    proposed = list(decisions.filter(state=FinalDecision.State.PROPOSED).order_by("outcome", "pk"))
    validated = list(
        decisions.filter(state=FinalDecision.State.VALIDATED).order_by("outcome", "pk")
    )
    seats = sum(cs.seats for cs in call.call_sites.all())
    selected = sum(1 for d in validated if d.outcome == Application.Outcome.SELECTED)
    return render(
        request,
        "selection/committee.html",
        {
            "call": call,
            "proposed": proposed,
            "validated": validated,
            "seats": seats,
            "selected": selected,
            "proposed_selected": sum(
                1 for d in proposed if d.outcome == Application.Outcome.SELECTED
            ),
            "can_decide": selectors.can_decide(user, call),
            "unmailed": sum(1 for d in validated if d.mailed_at is None),
        },
    )


@require_POST
@run_selection
def committee_validate(request: HttpRequest, call_id: int) -> HttpResponse:
    user = acting_user(request)
    call = selectors.call_get(user=user, call_id=call_id)
    if not selectors.can_decide(user, call):
        raise PermissionDenied
    ids = [int(v) for v in request.POST.getlist("decision") if v.isdigit()]
    count = decision_services.decisions_validate(actor=user, call=call, decision_ids=ids)
    messages.success(
        request,
        _("%(count)d decisions validated; the applicants are told by e-mail.") % {"count": count},
    )
    return redirect("selection:committee", call_id=call.pk)


@require_POST
@run_selection
def committee_resend(request: HttpRequest, call_id: int) -> HttpResponse:
    user = acting_user(request)
    call = selectors.call_get(user=user, call_id=call_id)
    if not selectors.can_decide(user, call):
        raise PermissionDenied
    ids = FinalDecision.objects.filter(
        application__call=call, state=FinalDecision.State.VALIDATED, mailed_at__isnull=True
    ).values_list("pk", flat=True)
    sent = mail.decisions_send(decision_ids=list(ids))
    messages.success(request, _("%(count)d e-mails sent.") % {"count": sent})
    return redirect("selection:committee", call_id=call.pk)


@require_POST
@run_selection
def decision_reverse(request: HttpRequest, decision_id: int) -> HttpResponse:
    user = acting_user(request)
    decision = FinalDecision.objects.select_related("application").filter(pk=decision_id).first()
    if decision is None:
        raise Http404
    application = selectors.application_get(user=user, application_id=decision.application_id)
    if not selectors.can_decide(user, application.call):
        raise PermissionDenied
    form = ReverseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the decision is reversed."))
    else:
        try:
            decision_services.decision_reverse(
                actor=user, decision=decision, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("The decision is reversed; the application is open again."))
    return redirect("selection:application-detail", application_id=application.pk)
