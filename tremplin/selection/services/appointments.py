"""Writes for appointments: an interview, a home visit or a selection day set at a date, time
and place (or video link), with the applicants and staff invited. The invitations (with a
calendar file) leave after the transaction commits."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tremplin.core.audit import audit_record
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import User
from tremplin.selection import invitations
from tremplin.selection.models import Application, Appointment, Stage, StageKind
from tremplin.selection.selectors import appointment_staff, can_manage_call
from tremplin.selection.services.guards import require


def _problems(
    *,
    stage: Stage,
    starts_at: dt.time,
    ends_at: dt.time,
    place: str,
    video_link: str,
    applications: Sequence[Application],
    staff: Sequence[User],
) -> dict[str, str]:
    problems: dict[str, str] = {}
    if stage.kind == StageKind.INFORMATION_SESSION:
        problems["stage"] = _("Information sessions are scheduled in Outreach.")
    if ends_at <= starts_at:
        problems["ends_at"] = _("The end must come after the start.")
    if not place.strip() and not video_link.strip():
        problems["place"] = _("Give a place or a video link.")
    if not applications:
        problems["applications"] = _("Choose at least one applicant.")
    elif any(
        a.call_id != stage.call_id or a.status != Application.Status.SUBMITTED for a in applications
    ):
        problems["applications"] = _("Choose applicants of this call only.")
    allowed = {u.pk for u in appointment_staff(call=stage.call)}
    if any(u.pk not in allowed for u in staff):
        problems["staff"] = _("Choose staff of the call's sites only.")
    return problems


def appointment_schedule(
    *,
    actor: User,
    stage: Stage,
    date: dt.date,
    starts_at: dt.time,
    ends_at: dt.time,
    applications: Sequence[Application],
    staff: Sequence[User] = (),
    place: str = "",
    video_link: str = "",
    note: str = "",
) -> Appointment:
    """Set an appointment and invite everyone on it by e-mail, each with the .ics."""
    require(can_manage_call(actor, stage.call))
    problems = _problems(
        stage=stage,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        video_link=video_link,
        applications=applications,
        staff=staff,
    )
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        appointment = Appointment(
            stage=stage,
            date=date,
            starts_at=starts_at,
            ends_at=ends_at,
            place=place.strip(),
            video_link=video_link.strip(),
            note=note.strip(),
            uid=f"{uuid.uuid4()}@tremplin",
            created_by=actor,
        )
        appointment.full_clean()
        appointment.save()
        appointment.applications.set(applications)
        appointment.staff.set(staff)
        audit_record(
            actor=actor,
            action=AuditAction.APPOINTMENT_SCHEDULED,
            subject=stage,
            changes={
                "when": {"from": None, "to": f"{date.isoformat()} {starts_at:%H:%M}"},
                "applicants": {"from": None, "to": len(applications)},
                "staff": {"from": None, "to": len(staff)},
            },
        )
        pk = appointment.pk
        transaction.on_commit(lambda: invitations.invitations_send(appointment_id=pk))
    return appointment


def appointment_cancel(*, actor: User, appointment: Appointment) -> None:
    """Remove an appointment (those invited are not written to: tell them yourself)."""
    require(can_manage_call(actor, appointment.stage.call))
    with transaction.atomic():
        stage = appointment.stage
        when = f"{appointment.date.isoformat()} {appointment.starts_at:%H:%M}"
        appointment.delete()
        audit_record(
            actor=actor,
            action=AuditAction.APPOINTMENT_CANCELLED,
            subject=stage,
            changes={"when": {"from": when, "to": None}},
        )
