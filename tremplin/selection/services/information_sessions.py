"""The information-session stage follows the check-in at the door: whoever was checked in at a
session of a call's site has passed that stage, whether they applied before or after."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import Q

from tremplin.core.audit import audit_record
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import User
from tremplin.outreach.models import Registration
from tremplin.selection.models import Application, Decision, ReasonCode, StageKind, StageResult
from tremplin.selection.services.stage_results import stages_passed_refresh_one

CHECK_IN_NOTE = "information session check-in"


def information_session_passed(*, actor: User | None, application: Application) -> bool:
    """Mark the call's information-session stage as passed for this application, and the
    application as having attended. Idempotent: True when something changed. A result already
    decided otherwise than "did not come" (or still waiting) is left as staff decided it."""
    stage = application.call.stages.filter(kind=StageKind.INFORMATION_SESSION).first()
    with transaction.atomic():
        changed = False
        if not application.attended_information_session:
            application.attended_information_session = True
            application.save(update_fields=["attended_information_session", "updated_at"])
            changed = True
        if stage is None:
            return changed
        result = StageResult.objects.filter(application=application, stage=stage).first()
        if result is not None and not (
            result.decision == Decision.PENDING
            or (result.decision == Decision.REJECT and result.reason == ReasonCode.NO_SHOW)
        ):
            return changed
        before = {"decision": result.decision, "reason": result.reason} if result else {}
        result = result or StageResult(application=application, stage=stage)
        result.decision = Decision.ADVANCE
        result.reason = ReasonCode.PASSED
        result.recorded_by = actor if actor is not None and actor.pk else None
        result.save()
        stages_passed_refresh_one(application)
        after = {"decision": Decision.ADVANCE.value, "reason": ReasonCode.PASSED.value}
        audit_record(
            actor=actor,
            action=AuditAction.STAGE_RESULT_RECORDED,
            subject=application,
            changes={k: {"from": before.get(k), "to": v} for k, v in after.items()},
            note=f"{stage.name}: {CHECK_IN_NOTE}",
        )
    return True


def applications_of_registration(registration: Registration) -> list[Application]:
    """The submitted applications of the person checked in, to calls at the session's site."""
    contact = (
        Q(person__isnull=False, person=registration.person_id) if registration.person_id else Q()
    )
    if registration.email:
        contact |= Q(person__email__iexact=registration.email)
    if registration.phone:
        contact |= Q(person__phone=registration.phone)
    if not contact:
        return []
    site_id = registration.session.site_id
    return list(
        Application.objects.filter(contact, status=Application.Status.SUBMITTED)
        .filter(Q(call__site_id=site_id) | Q(call__call_sites__site_id=site_id))
        .select_related("call")
        .distinct()
    )


def checked_in_applications_pass(*, actor: User | None, registration_ids: Sequence[int]) -> int:
    """After a check-in: each checked-in person's applications pass their information-session
    stage. Returns how many applications changed."""
    changed = 0
    registrations = Registration.objects.filter(
        pk__in=registration_ids, checked_in_at__isnull=False
    ).select_related("session")
    with transaction.atomic():
        for registration in registrations:
            for application in applications_of_registration(registration):
                changed += information_session_passed(actor=actor, application=application)
    return changed


def on_people_checked_in(
    sender: Any, *, actor: User | None, registration_ids: Sequence[int], **kwargs: Any
) -> None:
    """Receiver of outreach's `people_checked_in` (connected in SelectionConfig.ready)."""
    checked_in_applications_pass(actor=actor, registration_ids=registration_ids)
