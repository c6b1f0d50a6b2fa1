"""Staff pages for applications: the list of a call's applications, one application with
what each stage found, and the results, checks and proposals recorded from it."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tremplin.core.audit import audit_events_for
from tremplin.core.forms import validation_error_to_messages
from tremplin.core.listing import paginate_sorted
from tremplin.core.models import User
from tremplin.core.permissions import acting_user
from tremplin.messaging.models import Message
from tremplin.messaging.selectors import messages_about
from tremplin.network.selectors import can_see_sensitive_at
from tremplin.selection import selectors
from tremplin.selection.forms import LANGUAGE_LEVELS, ProposeForm, ResultForm, ReverseForm
from tremplin.selection.models import Application, ApplicationDocument, Decision
from tremplin.selection.services import administrative_checks as check_services
from tremplin.selection.services import decisions as decision_services
from tremplin.selection.services import stage_results as result_services
from tremplin.selection.views.access import run_selection


@run_selection
def application_list(request: HttpRequest, call_id: int) -> HttpResponse:
    user = acting_user(request)
    call = selectors.call_get(user=user, call_id=call_id)
    outcome = request.GET.get("outcome", "")
    query = request.GET.get("q", "").strip()
    applications = selectors.applications_listed(
        user=user,
        call=call,
        outcome=outcome,
        help_only=request.GET.get("help") == "1",
        query=query,
    )
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
            "outcomes": [
                *Application.Outcome.choices,
                (selectors.WITHDRAWN_FILTER, Application.Status.WITHDRAWN.label),
                (selectors.STOPPED_FILTER, _("Stopped at a stage, not yet told")),
            ],
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
                    stage=stage,
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
    standing = selectors.standing_decision(application=application)
    history = audit_events_for(application)[:50]
    sent_messages = list(messages_about(subject=application)[:50])
    level = application.answers.get("language_level", "")
    uploads = list(ApplicationDocument.objects.filter(application=application))
    declared = set(application.answers.get("documents", [])) | {d.name for d in uploads if d.name}
    received = {d for c in checks.values() for d in c.documents_received}
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
            "sent_messages": sent_messages,
            "failed_messages": sum(m.status == Message.Status.FAILED for m in sent_messages),
            "language_level": dict(LANGUAGE_LEVELS).get(level, level),
            "documents": [
                {"name": d, "declared": d in declared, "received": d in received}
                for d in call.required_documents
            ],
            "appointments": application.appointments.select_related("stage"),
            "uploads": uploads if sensitive else [],
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
        validation_error_to_messages(request, exc)
    else:
        messages.success(request, message)
    return redirect("selection:application-detail", application_id=application.pk)


@require_POST
@run_selection
def application_result(request: HttpRequest, application_id: int, stage_id: int) -> HttpResponse:
    def action(user: User, application: Application) -> str:
        stage = selectors.stage_get(call=application.call, stage_id=stage_id)
        form = ResultForm(request.POST, stage=stage, prefix=f"stage{stage.pk}")
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
        stage = selectors.stage_get(call=application.call, stage_id=stage_id)
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
def application_document(
    request: HttpRequest, application_id: int, document_id: int
) -> HttpResponse:
    """A file the applicant sent, for the staff who may see sensitive data at the call's site."""
    user = acting_user(request)
    application = selectors.application_get(user=user, application_id=application_id)
    if not can_see_sensitive_at(user, application.call.site):
        raise PermissionDenied
    document = ApplicationDocument.objects.filter(application=application, pk=document_id).first()
    if document is None:
        raise Http404
    content = selectors.application_document_content(document=document)
    response = HttpResponse(content, content_type=document.content_type)
    filename = f"{slugify(document.name) or 'document'}-{document.pk}.{document.extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
