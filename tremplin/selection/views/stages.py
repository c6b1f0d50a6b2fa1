"""Staff pages for a call's stages: adding, changing, reordering and removing them, and the
table of the applications at a stage (scores, decisions, raters, the pass mark)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from tremplin.core import params
from tremplin.core.forms import form_errors_to_messages, validation_error_to_messages
from tremplin.core.listing import paginate_sorted
from tremplin.core.permissions import acting_user
from tremplin.network.models import Role
from tremplin.network.selectors import can_manage_staff
from tremplin.selection import selectors
from tremplin.selection.forms import BulkReasonForm, StageAddForm, StageEditForm
from tremplin.selection.models import Decision, ReasonCode, Stage, StageKind
from tremplin.selection.models.applications import MAX_SCORE
from tremplin.selection.scorecards import severity_report
from tremplin.selection.services import interviews as interview_services
from tremplin.selection.services import investigations as investigation_services
from tremplin.selection.services import stage_results as result_services
from tremplin.selection.services import stages as stage_services
from tremplin.selection.views.access import call_to_manage, run_selection

# What a criterion's weight column holds (5 digits, 2 of them decimals).
MAX_WEIGHT = Decimal("999.99")

# Who may interview, and who may visit, the applicants of a call.
INTERVIEW_STAFF = frozenset({Role.INTERVIEWER, Role.SELECTION_OFFICER, Role.SITE_MANAGER})
VISIT_STAFF = frozenset({Role.FIELD_INVESTIGATOR, Role.SELECTION_OFFICER})


@require_POST
@run_selection
def stage_add(request: HttpRequest, call_id: int) -> HttpResponse:
    call = call_to_manage(request, call_id)
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
            validation_error_to_messages(request, exc)
        else:
            messages.success(request, _("Stage added."))
    else:
        form_errors_to_messages(request, form)
    return redirect("selection:call-detail", call_id=call.pk)


@require_POST
@run_selection
def stage_move(request: HttpRequest, call_id: int, stage_id: int) -> HttpResponse:
    call = call_to_manage(request, call_id)
    stage = selectors.stage_get(call=call, stage_id=stage_id)
    try:
        stage_services.stage_move(
            actor=acting_user(request), stage=stage, up=request.POST.get("direction") == "up"
        )
    except ValidationError as exc:
        validation_error_to_messages(request, exc)
    return redirect("selection:call-detail", call_id=call.pk)


@require_POST
@run_selection
def stage_remove(request: HttpRequest, call_id: int, stage_id: int) -> HttpResponse:
    call = call_to_manage(request, call_id)
    stage = selectors.stage_get(call=call, stage_id=stage_id)
    try:
        stage_services.stage_remove(actor=acting_user(request), stage=stage)
    except ValidationError as exc:
        validation_error_to_messages(request, exc)
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
        value = params.decimal_parse(weight, decimal_places=2, max_value=MAX_WEIGHT)
        if value is None:
            raise ValidationError(
                _("Criterion %(number)d: the weight must be a number up to %(max)s.")
                % {"number": index + 1, "max": MAX_WEIGHT}
            )
        if value <= 0:
            raise ValidationError(
                _("Criterion %(number)d: the weight must be above 0.") % {"number": index + 1}
            )
        anchors = [request.POST.get(f"anchor_{index}_{mark}", "").strip() for mark in range(1, 6)]
        criteria.append((name.strip(), value, anchors))
    return criteria


@run_selection
def stage_edit(request: HttpRequest, call_id: int, stage_id: int) -> HttpResponse:
    call = call_to_manage(request, call_id)
    stage = selectors.stage_get(call=call, stage_id=stage_id)
    user = acting_user(request)
    form = StageEditForm(
        request.POST or None,
        initial={
            "name": stage.name,
            "max_score": stage.max_score,
            "pass_mark": stage.pass_mark,
            "raters_per_application": stage.raters_per_application,
            "standardise_raters": stage.standardise_raters,
            "placement_test": stage.placement_test,
        },
        kind=stage.kind,
    )
    if request.method == "POST" and form.is_valid():
        # Only the settings this kind of stage shows; the others keep their value.
        values: dict[str, Any] = {
            name: form.cleaned_data[name]
            for name in ("name", "max_score", "pass_mark", "standardise_raters", "placement_test")
            if name in form.fields
        }
        if form.cleaned_data.get("raters_per_application"):
            values["raters_per_application"] = form.cleaned_data["raters_per_application"]
        try:
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
        },
    )


@run_selection
def stage_detail(request: HttpRequest, call_id: int, stage_id: int) -> HttpResponse:
    """The applications at a stage: results, raters and the pass mark, in one table."""
    user = acting_user(request)
    call = selectors.call_get(user=user, call_id=call_id)
    stage = selectors.stage_get(call=call, stage_id=stage_id)
    query = request.GET.get("q", "").strip()
    applications = selectors.applications_at_stage(user=user, call=call, stage=stage, query=query)
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
    results = selectors.stage_results_of(stage=stage, application_ids=page_ids)
    raters = selectors.raters_of(stage=stage, application_ids=page_ids)
    investigations = selectors.investigations_of(stage=stage, application_ids=page_ids)
    # What was typed in rows that could not be saved comes back as typed (issue 12).
    posted = request.session.pop(_posted_key(stage), None) or {}
    posted_rows = posted.get("rows", {})
    rows = [
        {
            "application": a,
            "result": results.get(a.pk),
            "shown": posted_rows.get(str(a.pk)) or _shown(results.get(a.pk)),
            "raters": raters.get(a.pk, []),
            "investigation": investigations.get(a.pk),
        }
        for a in listing.page.object_list
    ]
    severity = []
    if stage.kind == StageKind.INTERVIEW:
        report = severity_report(interview_services.interview_marks(stage))
        names = selectors.user_names(ids=[r.rater_id for r in report])
        severity = [{"rater": names.get(r.rater_id, "?"), "report": r} for r in report]
    pending = selectors.pending_scores_count(stage=stage)
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
            "interviewers": selectors.staff_of_call(call=call, roles=INTERVIEW_STAFF)
            if stage.kind == StageKind.INTERVIEW
            else [],
            "investigators": selectors.staff_of_call(call=call, roles=VISIT_STAFF)
            if stage.kind == StageKind.SOCIAL_INVESTIGATION
            else [],
            "decisions": [(d.value, d.label) for d in Decision if d != Decision.PENDING],
            "reasons": ReasonCode.choices,
            "can_invite": can_manage_staff(user),
            "bulk_reason": BulkReasonForm(),
            "bulk_posted": {"reason": posted.get("reason", ""), "note": posted.get("note", "")},
        },
    )


def _posted_key(stage: Stage) -> str:
    return f"stage-scores-posted-{stage.pk}"


def _shown(result: Any) -> dict[str, str]:
    """A row of the table as stored: score, decision and the reason of a decided result."""
    if result is None:
        return {"score": "", "decision": "", "reason": ""}
    decided = result.decision != Decision.PENDING
    return {
        "score": "" if result.score is None else str(result.score),
        "decision": result.decision,
        "reason": result.reason if decided else "",
    }


def _next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next", "")
    return target if target.startswith("/selection/") else default


@require_POST
@run_selection
def stage_scores_save(request: HttpRequest, call_id: int, stage_id: int) -> HttpResponse:
    """Scores typed in the stage table, several at once: each becomes a pending result."""
    call = call_to_manage(request, call_id)
    stage = selectors.stage_get(call=call, stage_id=stage_id)
    user = acting_user(request)
    saved = 0
    problems = []
    refused: dict[str, dict[str, str]] = {}
    applications = selectors.applications_for_scores(
        call=call,
        ids=[
            number
            for k in request.POST
            if k.startswith("score_") and (number := params.id_parse(k.removeprefix("score_")))
        ],
    )
    existing = {
        application_id: (r.score, r.decision, r.reason)
        for application_id, r in selectors.stage_results_of(
            stage=stage, application_ids=list(applications)
        ).items()
    }
    common = BulkReasonForm(request.POST)
    common.is_valid()  # a field that does not validate is left out, and named below
    for field, errors in common.errors.items():
        problems.append(f"{common.fields[field].label}: {' '.join(str(e) for e in errors)}")
    common_reason = common.cleaned_data.get("reason", "")
    note = common.cleaned_data.get("note", "")
    for application_id, application in applications.items():
        raw = request.POST.get(f"score_{application_id}", "").strip()
        decision = request.POST.get(f"decision_{application_id}", "") or Decision.PENDING
        if not raw and decision == Decision.PENDING:
            continue
        typed = {
            "score": raw[:50],
            "decision": decision if decision in Decision.values else "",
            "reason": request.POST.get(f"reason_{application_id}", "")[:50],
        }
        refused[str(application_id)] = typed  # removed below once saved
        score = params.decimal_parse(raw, min_value=0, max_value=MAX_SCORE, decimal_places=2)
        if raw and score is None:
            problems.append(
                f"{application.person}: "
                + _("Enter a number from 0 to %(max)s, with at most 2 decimals.")
                % {"max": MAX_SCORE}
            )
            continue
        own = request.POST.get(f"reason_{application_id}", "")
        chosen = own if own in ReasonCode.values else common_reason
        try:
            reason = chosen or _default_reason(stage, score, decision)
            if existing.get(application_id) == (score, decision, reason):
                del refused[str(application_id)]
                continue
            if decision == Decision.REJECT and reason == ReasonCode.OTHER and not note:
                problems.append(
                    f"{application.person}: "
                    + _(
                        "Say why this applicant stops here: choose a reason for the row, or "
                        "one for every decision below the table, or write the note."
                    )
                )
                continue
            result_services.stage_result_record(
                actor=user,
                application=application,
                stage=stage,
                score=score,
                decision=decision,
                reason=reason,
                note=note,
            )
            saved += 1
            del refused[str(application_id)]
        except ValidationError as exc:
            problems.append(f"{application.person}: {' '.join(exc.messages)}")
    if saved:
        messages.success(
            request,
            ngettext("%(count)d result saved.", "%(count)d results saved.", saved)
            % {"count": saved},
        )
    for problem in problems:
        messages.error(request, problem)
    default = reverse("selection:stage-detail", kwargs={"call_id": call.pk, "stage_id": stage.pk})
    target = _next(request, default)
    if problems and target.split("?")[0] == default:
        # Nothing typed is lost: the refused rows and the common reason come back as typed
        # on the stage's table (only there, and once).
        request.session[_posted_key(stage)] = {
            "rows": refused,
            "reason": request.POST.get("reason", "")[:50],
            "note": request.POST.get("note", "")[:2000],
        }
    return redirect(target)


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
    call = call_to_manage(request, call_id)
    stage = selectors.stage_get(call=call, stage_id=stage_id)
    try:
        count = result_services.pass_mark_apply(actor=acting_user(request), stage=stage)
    except ValidationError as exc:
        validation_error_to_messages(request, exc)
    else:
        messages.success(
            request,
            ngettext(
                "%(count)d result decided by the pass mark.",
                "%(count)d results decided by the pass mark.",
                count,
            )
            % {"count": count},
        )
    return redirect("selection:stage-detail", call_id=call.pk, stage_id=stage.pk)


@require_POST
@run_selection
def stage_assign(request: HttpRequest, call_id: int, stage_id: int) -> HttpResponse:
    """Give raters (interview) or an investigator (home visit) to the chosen applications;
    with "share out", every applicant without enough raters gets them in turn."""
    call = call_to_manage(request, call_id)
    stage = selectors.stage_get(call=call, stage_id=stage_id)
    user = acting_user(request)
    if stage.kind == StageKind.INTERVIEW:
        pool = selectors.staff_of_call(call=call, roles=INTERVIEW_STAFF)
    elif stage.kind == StageKind.SOCIAL_INVESTIGATION:
        pool = selectors.staff_of_call(call=call, roles=VISIT_STAFF)
    else:
        raise Http404
    chosen = [u for u in pool if str(u.pk) in request.POST.getlist("staff")]
    if not chosen:
        messages.error(request, _("Choose at least one person."))
        return redirect("selection:stage-detail", call_id=call.pk, stage_id=stage.pk)
    ids = params.id_list_param(request.POST, "application")
    applications = list(selectors.applications_at_stage(user=user, call=call, stage=stage, ids=ids))
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
        validation_error_to_messages(request, exc)
    messages.success(
        request,
        ngettext("%(count)d assignment made.", "%(count)d assignments made.", count)
        % {"count": count},
    )
    return redirect("selection:stage-detail", call_id=call.pk, stage_id=stage.pk)
