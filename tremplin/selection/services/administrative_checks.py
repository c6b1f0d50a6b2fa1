"""Writes for administrative checks: the documents received and the checks passed."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tremplin.core.audit import audit_record
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import User
from tremplin.selection.models import AdministrativeCheck, Application, Stage, StageKind
from tremplin.selection.services.guards import check_reachable, check_stage_access


def administrative_check_record(
    *,
    actor: User,
    application: Application,
    stage: Stage,
    documents_received: Sequence[str],
    checks_passed: Sequence[str],
    findings: str,
) -> AdministrativeCheck:
    check_stage_access(actor, application, stage)
    if stage.kind != StageKind.ADMINISTRATIVE_CHECK:
        raise ValidationError(_("This stage is not an administrative check."))
    call = application.call
    unknown = set(documents_received) - set(call.required_documents)
    unknown |= set(checks_passed) - set(call.administrative_checks)
    if unknown:
        raise ValidationError(
            _("Unknown document or check: %(names)s") % {"names": ", ".join(sorted(unknown))}
        )
    with transaction.atomic():
        check_reachable(application, stage)
        check, _created = AdministrativeCheck.objects.get_or_create(
            application=application, stage=stage
        )
        check.documents_received = list(documents_received)
        check.checks_passed = list(checks_passed)
        check.findings = findings
        check.checked_by = actor
        check.save()
        audit_record(
            actor=actor,
            action=AuditAction.ADMINISTRATIVE_CHECK_RECORDED,
            subject=application,
            changes={
                "documents": {"from": None, "to": len(documents_received)},
                "checks": {"from": None, "to": len(checks_passed)},
                "findings": {"from": "***", "to": "***"},
            },
        )
    return check
