"""The committee's pages: proposals to validate, validated decisions to mail again or to
reverse."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from tremplin.core import params
from tremplin.core.forms import validation_error_to_messages
from tremplin.core.permissions import acting_user
from tremplin.messaging.models import Channel, Kind, Message
from tremplin.messaging.selectors import sent_channels_about
from tremplin.selection import mail, selectors
from tremplin.selection.forms import ReverseForm
from tremplin.selection.models import Application, FinalDecision
from tremplin.selection.services import decisions as decision_services
from tremplin.selection.views.access import run_selection


@run_selection
def committee(request: HttpRequest, call_id: int) -> HttpResponse:
    """The committee's page: proposals to validate, validated decisions to reverse."""
    user = acting_user(request)
    call = selectors.call_get(user=user, call_id=call_id)
    proposed = selectors.decisions_of_call(call=call, state=FinalDecision.State.PROPOSED)
    validated = selectors.decisions_of_call(call=call, state=FinalDecision.State.VALIDATED)
    _told_by(validated)
    seats = sum(cs.seats for cs in call.call_sites.all())
    # A selected learner who withdrew gave their seat back: counted apart, as in the funnel.
    withdrawn = sum(
        1
        for d in validated
        if d.outcome == Application.Outcome.SELECTED
        and d.application.status == Application.Status.WITHDRAWN
    )
    selected = sum(1 for d in validated if d.outcome == Application.Outcome.SELECTED) - withdrawn
    return render(
        request,
        "selection/committee.html",
        {
            "call": call,
            "proposed": proposed,
            "validated": validated,
            "seats": seats,
            "selected": selected,
            "withdrawn": withdrawn,
            "proposed_selected": sum(
                1 for d in proposed if d.outcome == Application.Outcome.SELECTED
            ),
            "can_decide": selectors.can_decide(user, call),
            "can_propose": selectors.can_manage_call(user, call),
            "stopped": selectors.applications_stopped(user=user, call=call),
            "unmailed": sum(1 for d in validated if d.mailed_at is None),
        },
    )


def _told_by(decisions: list[FinalDecision]) -> None:
    """Set `told_by` on each validated decision from the messages actually delivered about it
    (after its validation): "by e-mail", "by SMS" or both; empty when none was delivered."""
    sent = sent_channels_about(
        kind=Kind.DECISION,
        subject_type=Application._meta.label_lower,
        subject_ids=[d.application_id for d in decisions],
    )
    for decision in decisions:
        channels: set[str] = {
            channel
            for application_id, channel, created_at in sent
            if application_id == decision.application_id
            and (decision.validated_at is None or created_at >= decision.validated_at)
        }
        told: dict[frozenset[str], str] = {
            frozenset({Channel.EMAIL.value}): _("told by e-mail"),
            frozenset({Channel.SMS.value}): _("told by SMS"),
            frozenset({Channel.EMAIL.value, Channel.SMS.value}): _("told by e-mail and SMS"),
        }
        decision.told_by = told.get(frozenset(channels), "")  # type: ignore[attr-defined]


@require_POST
@run_selection
def committee_validate(request: HttpRequest, call_id: int) -> HttpResponse:
    user = acting_user(request)
    call = selectors.call_get(user=user, call_id=call_id)
    if not selectors.can_decide(user, call):
        raise PermissionDenied
    ids = params.id_list_param(request.POST, "decision")
    count = decision_services.decisions_validate(actor=user, call=call, decision_ids=ids)
    validated_say(request, count)
    return redirect("selection:committee", call_id=call.pk)


def validated_say(request: HttpRequest, count: int) -> None:
    """How many decisions were validated (and so told); with none, never that anyone was told."""
    if not count:
        messages.info(
            request,
            _("No decision was validated: none was chosen, or they were validated already."),
        )
        return
    messages.success(
        request,
        ngettext(
            "%(count)d decision validated; the applicant is told by e-mail or SMS.",
            "%(count)d decisions validated; the applicants are told by e-mail or SMS.",
            count,
        )
        % {"count": count},
    )


@require_POST
@run_selection
def committee_propose_stopped(request: HttpRequest, call_id: int) -> HttpResponse:
    """Propose "Not selected" for everyone stopped at a stage and not yet told."""
    user = acting_user(request)
    call = selectors.call_get(user=user, call_id=call_id)
    if not selectors.can_manage_call(user, call):
        raise PermissionDenied
    count = decision_services.decisions_propose_stopped(actor=user, call=call)
    messages.success(
        request,
        ngettext(
            "%(count)d decision proposed: not selected. The committee validates it below.",
            "%(count)d decisions proposed: not selected. The committee validates them below.",
            count,
        )
        % {"count": count},
    )
    return redirect("selection:committee", call_id=call.pk)


@require_POST
@run_selection
def committee_resend(request: HttpRequest, call_id: int) -> HttpResponse:
    user = acting_user(request)
    call = selectors.call_get(user=user, call_id=call_id)
    if not selectors.can_decide(user, call):
        raise PermissionDenied
    sent = mail.decisions_send(decision_ids=selectors.decisions_unmailed(call=call))
    delivered = sum(message.status == Message.Status.SENT for message in sent)
    messages.success(
        request,
        ngettext("%(count)d message sent.", "%(count)d messages sent.", delivered)
        % {"count": delivered},
    )
    if failed := len(sent) - delivered:
        messages.error(
            request,
            ngettext(
                "%(count)d message could not be sent: see the messages not delivered.",
                "%(count)d messages could not be sent: see the messages not delivered.",
                failed,
            )
            % {"count": failed},
        )
    return redirect("selection:committee", call_id=call.pk)


@require_POST
@run_selection
def decision_reverse(request: HttpRequest, decision_id: int) -> HttpResponse:
    user = acting_user(request)
    decision = selectors.decision_get(user=user, decision_id=decision_id)
    application = decision.application
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
            validation_error_to_messages(request, exc)
        else:
            messages.success(request, _("The decision is reversed; the application is open again."))
    return redirect("selection:application-detail", application_id=application.pk)
