"""Writes for social investigations (home visits): the investigator asked, and their
answers (encrypted) with the need index worked out from them."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.core.audit import audit_record
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import User
from tremplin.selection.models import (
    Application,
    Decision,
    ReasonCode,
    SocialInvestigation,
    Stage,
    StageKind,
    StageResult,
)
from tremplin.selection.need_index import answers_clean, need_index
from tremplin.selection.services.guards import check_reachable, check_stage_access


def investigation_assign(
    *, actor: User, application: Application, stage: Stage, investigator: User
) -> SocialInvestigation:
    check_stage_access(actor, application, stage)
    if stage.kind != StageKind.SOCIAL_INVESTIGATION:
        raise ValidationError(_("This stage is not a social investigation."))
    with transaction.atomic():
        check_reachable(application, stage)
        investigation, created = SocialInvestigation.objects.get_or_create(
            application=application, stage=stage, defaults={"investigator": investigator}
        )
        if not created and investigation.submitted_at is None:
            investigation.investigator = investigator
            investigation.save(update_fields=["investigator", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.INVESTIGATION_ASSIGNED,
            subject=application,
            changes={"investigator": {"from": None, "to": investigator.email}},
        )
    return investigation


def investigation_submit(
    *,
    actor: User,
    investigation: SocialInvestigation,
    answers: Mapping[str, Any],
    visited_on: dt.date,
) -> SocialInvestigation:
    """The investigator's answers (encrypted) and the need index worked out from them. The
    stage result follows: pending, for the officer to decide with the index in view."""
    if investigation.investigator_id != actor.pk:
        raise PermissionDenied
    questions = investigation.stage.questionnaire
    clean = answers_clean(questions, dict(answers))
    with transaction.atomic():
        investigation.answers = json.dumps(clean, ensure_ascii=False)
        investigation.need_index = need_index(questions, clean)
        investigation.visited_on = visited_on
        investigation.submitted_at = timezone.now()
        investigation.save()
        StageResult.objects.update_or_create(
            application=investigation.application,
            stage=investigation.stage,
            defaults={"score": investigation.need_index},
            create_defaults={
                "score": investigation.need_index,
                "decision": Decision.PENDING,
                "reason": ReasonCode.NEED,
            },
        )
        audit_record(
            actor=actor,
            action=AuditAction.INVESTIGATION_SUBMITTED,
            subject=investigation.application,
            changes={
                "answers": {"from": "***", "to": "***"},
                "need_index": {"from": None, "to": str(investigation.need_index)},
            },
        )
    return investigation
