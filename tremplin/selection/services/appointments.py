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
from tremplin.network.models import Role
from tremplin.selection import invitations
from tremplin.selection.appointment_selectors import appointment_staff
from tremplin.selection.models import (
    Application,
    Appointment,
    SocialInvestigation,
    Stage,
    StageKind,
)
from tremplin.selection.selectors import can_manage_call, staff_of_call
from tremplin.selection.services.guards import require
from tremplin.selection.services.investigations import investigation_assign


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
    base_url: str = "",
) -> Appointment:
    """Set an appointment and invite everyone on it: e-mail with the .ics, and SMS to the
    applicants who gave a phone (with a private link to the appointment when `base_url` is
    given)."""
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
        _visits_assign(actor=actor, appointment=appointment)
        invitations.invitations_send(appointment=appointment, base_url=base_url)
    return appointment


def _visits_assign(*, actor: User, appointment: Appointment) -> None:
    """A home visit scheduled with field investigators gives each of them the visit form of
    the families they go to (round robin when several go), unless the family already has an
    investigator; a family not yet at this stage waits for the usual assignment."""
    stage = appointment.stage
    if stage.kind != StageKind.SOCIAL_INVESTIGATION:
        return
    field = {u.pk for u in staff_of_call(call=stage.call, roles={Role.FIELD_INVESTIGATOR})}
    investigators = [u for u in appointment.staff.order_by("pk") if u.pk in field]
    if not investigators:
        return
    assigned = set(
        SocialInvestigation.objects.filter(
            stage=stage, application__in=appointment.applications.all()
        ).values_list("application_id", flat=True)
    )
    waiting = [a for a in appointment.applications.order_by("pk") if a.pk not in assigned]
    for index, application in enumerate(waiting):
        try:
            investigation_assign(
                actor=actor,
                application=application,
                stage=stage,
                investigator=investigators[index % len(investigators)],
            )
        except ValidationError:
            continue  # not at this stage yet: assigned from the stage's table later


def _when(appointment: Appointment) -> str:
    return (
        f"{appointment.date.isoformat()} {appointment.starts_at:%H:%M}–{appointment.ends_at:%H:%M}"
    )


def appointment_change(
    *,
    actor: User,
    appointment: Appointment,
    date: dt.date,
    starts_at: dt.time,
    ends_at: dt.time,
    applications: Sequence[Application],
    staff: Sequence[User] = (),
    place: str = "",
    video_link: str = "",
    note: str = "",
    base_url: str = "",
) -> Appointment:
    """Change an appointment's date, time, place or people, and tell them: those still (or
    newly) invited get the new details with a calendar file that replaces the old one (same
    UID, higher SEQUENCE), those no longer invited get its cancellation. Audited."""
    stage = appointment.stage
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
        appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
        before_applications = list(appointment.applications.select_related("person"))
        before_staff = list(appointment.staff.all())
        before = {
            "when": _when(appointment),
            "place": appointment.place,
            "video_link": appointment.video_link,
            "note": appointment.note,
        }
        kept_ids = {a.pk for a in applications}
        kept_staff_ids = {u.pk for u in staff}
        unchanged = (
            appointment.date == date
            and appointment.starts_at == starts_at
            and appointment.ends_at == ends_at
            and appointment.place == place.strip()
            and appointment.video_link == video_link.strip()
            and appointment.note == note.strip()
            and {a.pk for a in before_applications} == kept_ids
            and {u.pk for u in before_staff} == kept_staff_ids
        )
        if unchanged:
            return appointment  # nothing to tell anyone
        removed = [a for a in before_applications if a.pk not in kept_ids]
        removed_staff = [u for u in before_staff if u.pk not in kept_staff_ids]
        if removed or removed_staff:
            # the cancellation goes out with the event as those people knew it
            appointment.sequence += 1
            invitations.invitations_send(
                appointment=appointment,
                occasion=invitations.CANCELLED,
                applications=removed,
                staff=removed_staff,
            )
        appointment.date = date
        appointment.starts_at = starts_at
        appointment.ends_at = ends_at
        appointment.place = place.strip()
        appointment.video_link = video_link.strip()
        appointment.note = note.strip()
        appointment.sequence += 1
        appointment.full_clean()
        appointment.save()
        appointment.applications.set(applications)
        appointment.staff.set(staff)
        _visits_assign(actor=actor, appointment=appointment)
        after = {
            "when": _when(appointment),
            "place": appointment.place,
            "video_link": appointment.video_link,
            "note": appointment.note,
        }
        changes: dict[str, dict[str, object]] = {
            name: {"from": before[name], "to": after[name]}
            for name in before
            if before[name] != after[name]
        }
        before_ids = {a.pk for a in before_applications}
        before_staff_ids = {u.pk for u in before_staff}
        if before_ids != kept_ids:
            changes["applicants"] = {"from": len(before_ids), "to": len(kept_ids)}
        if before_staff_ids != kept_staff_ids:
            changes["staff"] = {"from": len(before_staff_ids), "to": len(kept_staff_ids)}
        audit_record(
            actor=actor,
            action=AuditAction.APPOINTMENT_CHANGED,
            subject=stage,
            changes=changes,
        )
        invitations.invitations_send(
            appointment=appointment,
            occasion=invitations.CHANGED,
            applications=[a for a in applications if a.pk in before_ids],
            staff=[u for u in staff if u.pk in before_staff_ids],
            base_url=base_url,
        )
        invitations.invitations_send(
            appointment=appointment,
            occasion=invitations.NEW,
            applications=[a for a in applications if a.pk not in before_ids],
            staff=[u for u in staff if u.pk not in before_staff_ids],
            base_url=base_url,
        )
    return appointment


def appointment_cancel(*, actor: User, appointment: Appointment) -> None:
    """Cancel an appointment: everyone invited is told (e-mail with a cancelling calendar
    file, SMS), then it is removed. Audited."""
    require(can_manage_call(actor, appointment.stage.call))
    with transaction.atomic():
        appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
        stage = appointment.stage
        when = f"{appointment.date.isoformat()} {appointment.starts_at:%H:%M}"
        appointment.sequence += 1
        invitations.invitations_send(appointment=appointment, occasion=invitations.CANCELLED)
        appointment.delete()
        audit_record(
            actor=actor,
            action=AuditAction.APPOINTMENT_CANCELLED,
            subject=stage,
            changes={"when": {"from": when, "to": None}},
        )
