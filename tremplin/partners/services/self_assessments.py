"""The learner's short self-assessment of their internship, from their private link."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tremplin.core.audit import audit_record
from tremplin.core.audit_actions import AuditAction
from tremplin.partners.models import Internship, SelfAssessment


@transaction.atomic
def self_assessment_submit(
    *, internship: Internship, went_well: str, to_improve: str, satisfaction: int
) -> SelfAssessment:
    errors: dict[str, str] = {}
    if not went_well.strip():
        errors["went_well"] = _("Write what went well.")  # applicant-facing
    if satisfaction not in (1, 2, 3, 4):
        errors["satisfaction"] = _("Choose from 1 to 4.")  # applicant-facing
    if errors:
        raise ValidationError(errors)
    assessment = SelfAssessment.objects.create(
        internship=internship,
        went_well=went_well.strip(),
        to_improve=to_improve.strip(),
        satisfaction=satisfaction,
    )
    audit_record(
        actor=None,
        action=AuditAction.SELF_ASSESSMENT_SUBMITTED,
        subject=internship,
        changes={"self_assessment": assessment.pk, "satisfaction": satisfaction},
    )
    return assessment
