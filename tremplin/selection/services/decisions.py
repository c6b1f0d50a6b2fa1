"""Writes for decisions: an officer proposes, the committee validates (the applicants are
mailed), a manager reverses with a reason."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.core.audit import audit_record
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import User
from tremplin.selection import mail
from tremplin.selection.models import Application, Call, FinalDecision
from tremplin.selection.selectors import applications_stopped, can_decide, can_manage_call
from tremplin.selection.services.guards import require
from tremplin.selection.services.stage_results import last_stage_close


def decision_propose(
    *, actor: User, application: Application, outcome: str, reason: str, note: str = ""
) -> FinalDecision:
    """An officer proposes the outcome; a proposal not yet validated can be changed."""
    require(can_manage_call(actor, application.call))
    if application.status != Application.Status.SUBMITTED:
        raise ValidationError(_("Only submitted applications get a decision."))
    with transaction.atomic():
        standing = (
            FinalDecision.objects.select_for_update()
            .filter(application=application)
            .exclude(state=FinalDecision.State.REVERSED)
            .first()
        )
        if standing is not None and standing.state == FinalDecision.State.VALIDATED:
            raise ValidationError(
                _("The committee has validated a decision; only a manager can reverse it.")
            )
        decision = standing or FinalDecision(application=application)
        decision.outcome = outcome
        decision.reason = reason
        decision.note = note
        decision.proposed_by = actor
        decision.proposed_at = timezone.now()
        decision.full_clean()
        decision.save()
        audit_record(
            actor=actor,
            action=AuditAction.DECISION_PROPOSED,
            subject=application,
            changes={
                "outcome": {"from": None, "to": outcome},
                "reason": {"from": None, "to": reason},
            },
        )
    return decision


def decisions_propose_stopped(*, actor: User, call: Call) -> int:
    """Propose "Not selected" at once for every application stopped at a stage and not yet
    told (`selectors.applications_stopped`), with the stage's reason and the stage named in
    the note; the committee validates them as any proposal, which tells the applicants.
    Those already proposed or decided are left alone: a second run proposes nothing."""
    require(can_manage_call(actor, call))
    with transaction.atomic():
        # Lock the call's row so that two officers pressing at once do not both propose.
        Call.objects.select_for_update().filter(pk=call.pk).first()
        stopped = applications_stopped(user=actor, call=call)
        now = timezone.now()
        FinalDecision.objects.bulk_create(
            [
                FinalDecision(
                    application=result.application,
                    outcome=Application.Outcome.REJECTED,
                    reason=result.reason,
                    note=result.note,
                    proposed_by=actor,
                    proposed_at=now,
                )
                for result in stopped
            ],
            batch_size=500,
        )
        for result in stopped:
            audit_record(
                actor=actor,
                action=AuditAction.DECISION_PROPOSED,
                subject=result.application,
                changes={
                    "outcome": {"from": None, "to": Application.Outcome.REJECTED},
                    "reason": {"from": None, "to": result.reason},
                },
                note=result.stage.name,
            )
    return len(stopped)


def decisions_validate(*, actor: User, call: Call, decision_ids: Iterable[int]) -> int:
    """The committee validates proposals; each applicant is told by e-mail in their language."""
    require(can_decide(actor, call))
    ids = list(decision_ids)
    with transaction.atomic():
        decisions = list(
            FinalDecision.objects.select_for_update()
            .filter(pk__in=ids, application__call=call, state=FinalDecision.State.PROPOSED)
            .select_related("application")
        )
        now = timezone.now()
        for decision in decisions:
            decision.state = FinalDecision.State.VALIDATED
            decision.validated_by = actor
            decision.validated_at = now
            decision.save(update_fields=["state", "validated_by", "validated_at"])
            application = decision.application
            application.outcome = decision.outcome
            application.save(update_fields=["outcome", "updated_at"])
            audit_record(
                actor=actor,
                action=AuditAction.DECISION_VALIDATED,
                subject=application,
                changes={
                    "outcome": {"from": Application.Outcome.IN_PROGRESS, "to": decision.outcome}
                },
            )
        last_stage_close(actor=actor, applications=[d.application for d in decisions])
        decided = [d.pk for d in decisions]
        mail.decisions_send(decision_ids=decided)
    return len(decisions)


def decision_reverse(*, actor: User, decision: FinalDecision, reason: str) -> FinalDecision:
    """Only a manager (the committee) reverses a decision, and says why."""
    require(can_decide(actor, decision.application.call))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the decision is reversed.")})
    with transaction.atomic():
        decision = FinalDecision.objects.select_for_update().get(pk=decision.pk)
        if decision.state == FinalDecision.State.REVERSED:
            raise ValidationError(_("This decision is already reversed."))
        before = decision.state
        decision.state = FinalDecision.State.REVERSED
        decision.reversed_by = actor
        decision.reversed_at = timezone.now()
        decision.reversal_reason = reason.strip()
        decision.save()
        application = decision.application
        application.outcome = Application.Outcome.IN_PROGRESS
        application.save(update_fields=["outcome", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.DECISION_REVERSED,
            subject=application,
            changes={
                "outcome": {"from": decision.outcome, "to": Application.Outcome.IN_PROGRESS},
                "state": {"from": before, "to": FinalDecision.State.REVERSED},
            },
            note=decision.reversal_reason,
        )
    return decision
