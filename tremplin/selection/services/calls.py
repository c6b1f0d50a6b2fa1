"""Writes for calls for applications: opening a call with the stages of a reference
process, changing its rules, and the seats it offers at each site."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tremplin.core.audit import audit_record
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import User
from tremplin.network.models import ProgrammeRun, Site
from tremplin.selection.models import Call, CallSite, Stage
from tremplin.selection.processes import PROCESSES
from tremplin.selection.selectors import can_manage_call, can_open_call
from tremplin.selection.services.guards import require
from tremplin.selection.services.stages import criteria_copy


def call_create(
    *,
    actor: User,
    run: ProgrammeRun,
    slug: str,
    title: str,
    opens_on: dt.date,
    closes_on: dt.date,
    process: str,
    introduction: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    required_documents: Sequence[str] = (),
    administrative_checks: Sequence[str] = (),
) -> Call:
    """Open a call for a programme run, with the stages of a reference process and the
    programme's eligibility rules; the run's site offers the run's seats."""
    require(can_open_call(actor, run))
    if process not in PROCESSES:
        raise ValidationError({"process": _("Choose one of the selection processes.")})
    programme = run.programme
    with transaction.atomic():
        call = Call(
            run=run,
            site=run.site,
            slug=slug,
            title=title,
            introduction=introduction,
            opens_on=opens_on,
            closes_on=closes_on,
            age_reference_date=run.starts_on,
            min_age=programme.min_age,
            max_age=programme.max_age,
            required_language=programme.required_language,
            required_language_level=programme.required_language_level,
            required_documents=[d for d in required_documents if d.strip()],
            administrative_checks=[c for c in administrative_checks if c.strip()],
            contact_email=contact_email,
            contact_phone=contact_phone,
        )
        call.full_clean()
        call.save()
        CallSite.objects.create(call=call, site=run.site, seats=run.seats)
        for position, template in enumerate(PROCESSES[process].stages, start=1):
            stage = Stage.objects.create(
                call=call,
                position=position,
                kind=template.kind,
                name=_(template.name),
                max_score=template.max_score,
                pass_mark=template.pass_mark,
                raters_per_application=template.raters,
                placement_test=template.placement_test,
                questionnaire=[dict(q) for q in template.questionnaire],
            )
            criteria_copy(stage, template)
        audit_record(
            actor=actor,
            action=AuditAction.CALL_CREATED,
            subject=call,
            changes={"process": {"from": None, "to": process}},
        )
    return call


CALL_FIELDS = (
    "title",
    "introduction",
    "opens_on",
    "closes_on",
    "published",
    "age_reference_date",
    "min_age",
    "max_age",
    "required_language",
    "required_language_level",
    "required_documents",
    "administrative_checks",
    "contact_email",
    "contact_phone",
)


def call_update(*, actor: User, call: Call, values: Mapping[str, Any]) -> Call:
    require(can_manage_call(actor, call))
    unknown = set(values) - set(CALL_FIELDS)
    if unknown:
        raise ValueError(f"not call fields: {sorted(unknown)}")
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        changes = {}
        for name, value in values.items():
            old = getattr(call, name)
            if old != value:
                changes[name] = {"from": str(old), "to": str(value)}
                setattr(call, name, value)
        call.full_clean()
        call.save()
        if changes:
            audit_record(
                actor=actor, action=AuditAction.CALL_UPDATED, subject=call, changes=changes
            )
    return call


def call_seats_set(*, actor: User, call: Call, site: Site, seats: int) -> None:
    """Offer seats at a site of the call's organisation (0 removes the site)."""
    require(can_manage_call(actor, call))
    if site.organisation_id != call.site.organisation_id:
        raise ValidationError({"site": _("Choose a site of the same organisation.")})
    with transaction.atomic():
        if seats <= 0:
            if site.pk == call.site_id:
                raise ValidationError({"seats": _("The site running the call keeps its seats.")})
            CallSite.objects.filter(call=call, site=site).delete()
        else:
            CallSite.objects.update_or_create(call=call, site=site, defaults={"seats": seats})
        audit_record(
            actor=actor,
            action=AuditAction.CALL_SEATS_SET,
            subject=call,
            changes={"seats": {"from": None, "to": f"{site.name}: {seats}"}},
        )
