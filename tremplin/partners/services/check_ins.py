"""The referent's check-ins during an internship: planned (a call, a visit, a video call on
a date), then recorded with notes once held. ``check_ins_plan_default`` plans the usual
three when an agreement is signed."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.core.audit import audit_record
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import User
from tremplin.partners.models import CheckIn, CheckInKind, Internship, InternshipStatus

PLANNABLE = (InternshipStatus.SIGNED, InternshipStatus.UNDER_WAY)


def _check_plannable(internship: Internship) -> None:
    if internship.status not in PLANNABLE:
        raise ValidationError(
            _("Check-ins are planned once the agreement is signed and until the internship ends.")
        )


@transaction.atomic
def check_in_plan(
    *, actor: User, internship: Internship, kind: CheckInKind | str, planned_on: dt.date
) -> CheckIn:
    _check_plannable(internship)
    if kind not in CheckInKind.values:
        raise ValidationError({"kind": _("Choose a call, a visit or a video call.")})
    check_in = CheckIn.objects.create(
        internship=internship, kind=kind, planned_on=planned_on, by=actor
    )
    audit_record(
        actor=actor,
        action=AuditAction.CHECK_IN_SAVED,
        subject=internship,
        changes={"check_in": check_in.pk, "kind": str(kind), "planned_on": planned_on.isoformat()},
    )
    return check_in


def default_dates(internship: Internship) -> list[tuple[CheckInKind, dt.date]]:
    """After one week (a call), mid-way (a visit) and one week before the end (a call), each
    within the internship's dates, once each."""
    start, end = internship.starts_on, internship.ends_on
    wanted = [
        (CheckInKind.CALL, start + dt.timedelta(days=7)),
        (CheckInKind.VISIT, start + (end - start) / 2),
        (CheckInKind.CALL, end - dt.timedelta(days=7)),
    ]
    plan: list[tuple[CheckInKind, dt.date]] = []
    for kind, day in wanted:
        if start <= day <= end and all(day != planned for _k, planned in plan):
            plan.append((kind, day))
    return plan


@transaction.atomic
def check_ins_plan_default(*, actor: User, internship: Internship) -> list[CheckIn]:
    """The usual check-ins, for an internship that has none planned yet (nothing is added
    when it already has some: calling it twice plans them once)."""
    internship = Internship.objects.select_for_update().get(pk=internship.pk)
    _check_plannable(internship)
    if internship.check_ins.exists():
        return []
    made = CheckIn.objects.bulk_create(
        CheckIn(internship=internship, kind=kind, planned_on=day, by=actor)
        for kind, day in default_dates(internship)
    )
    audit_record(
        actor=actor,
        action=AuditAction.CHECK_IN_SAVED,
        subject=internship,
        changes={"planned": [c.planned_on.isoformat() for c in made]},
        note="default plan",
    )
    return made


@transaction.atomic
def check_in_record(*, actor: User, check_in: CheckIn, held_on: dt.date, notes: str) -> CheckIn:
    """The check-in took place: when, and what was said (required)."""
    check_in = CheckIn.objects.select_for_update().get(pk=check_in.pk)
    errors: dict[str, str] = {}
    if held_on > timezone.localdate():
        errors["held_on"] = _("A check-in is recorded once held: the date cannot be in the future.")
    if not notes.strip():
        errors["notes"] = _("Write what was said.")
    if errors:
        raise ValidationError(errors)
    check_in.held_on = held_on
    check_in.notes = notes.strip()
    check_in.by = actor
    check_in.save(update_fields=["held_on", "notes", "by", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.CHECK_IN_SAVED,
        subject=check_in.internship,
        changes={"check_in": check_in.pk, "held_on": held_on.isoformat()},
    )
    return check_in
