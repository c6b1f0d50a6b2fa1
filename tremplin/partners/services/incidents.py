"""Incidents during an internship: what happened, when, and what was done."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.core.audit import audit_record
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import User
from tremplin.partners.models import Incident, IncidentKind, Internship, InternshipStatus


@transaction.atomic
def incident_record(
    *,
    actor: User,
    internship: Internship,
    kind: IncidentKind | str,
    happened_on: dt.date,
    description: str,
    action: str = "",
) -> Incident:
    errors: dict[str, str] = {}
    if internship.status in (InternshipStatus.DRAFT, InternshipStatus.CANCELLED):
        errors["__all__"] = _("Incidents are recorded once the agreement is signed.")
    if kind not in IncidentKind.values:
        errors["kind"] = _("Choose what kind of incident it is.")
    if happened_on > timezone.localdate():
        errors["happened_on"] = _("The date of an incident cannot be in the future.")
    elif happened_on < internship.starts_on:
        errors["happened_on"] = _("The date is before the internship started.")
    if not description.strip():
        errors["description"] = _("Write what happened.")
    if errors:
        raise ValidationError(errors)
    incident = Incident.objects.create(
        internship=internship,
        kind=kind,
        happened_on=happened_on,
        description=description.strip(),
        action=action.strip(),
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditAction.INCIDENT_RECORDED,
        subject=internship,
        changes={"incident": incident.pk, "kind": str(kind), "on": happened_on.isoformat()},
    )
    return incident
