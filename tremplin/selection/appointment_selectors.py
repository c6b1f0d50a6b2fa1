"""Reads for appointments: interviews, home visits and selection days at a date and place,
who may be invited, who may open one, and the applicant's private link to it."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from tremplin.core.models import User
from tremplin.core.tokens import token_hash
from tremplin.selection.models import Appointment, AppointmentLink, Call, Stage
from tremplin.selection.selectors import (
    RATER_ROLES,
    SELECTION_ROLES,
    calls_run,
    can_manage_call,
    staff_of_call,
)


def appointment_staff(*, call: Call) -> list[User]:
    """Who may be invited as staff: those who run calls or rate at a site of the call."""
    return staff_of_call(call=call, roles=SELECTION_ROLES | RATER_ROLES)


def appointments_of_stage(*, stage: Stage) -> QuerySet[Appointment]:
    return stage.appointments.prefetch_related("applications__person", "staff")


def appointments_for(*, user: User) -> QuerySet[Appointment]:
    """The appointments the user may open: those of the calls they run, and those they are
    invited to as staff."""
    mine = Q(staff=user)
    return (
        Appointment.objects.filter(mine | Q(stage__call__in=calls_run(user=user)))
        .distinct()
        .select_related("stage__call__site")
    )


def appointment_get(*, user: User, appointment_id: int) -> Appointment:
    appointment = appointments_for(user=user).filter(pk=appointment_id).first()
    if appointment is None:
        raise Http404
    return appointment


def upcoming_appointments_for(*, user: User) -> QuerySet[Appointment]:
    """The appointments the user is invited to as staff, from today on."""
    return (
        Appointment.objects.filter(staff=user, date__gte=timezone.localdate())
        .select_related("stage__call")
        .prefetch_related("applications__person")
    )


# How long after the appointment its private link still opens it.
APPOINTMENT_LINK_DAYS = 30


def appointment_link_get(*, token: str) -> AppointmentLink | None:
    """The applicant's link to an appointment, by its token; None when it is unknown or the
    appointment is more than APPOINTMENT_LINK_DAYS past (a cancelled one is gone)."""
    if not token or len(token) > 100:
        return None
    since = timezone.localdate() - dt.timedelta(days=APPOINTMENT_LINK_DAYS)
    return (
        AppointmentLink.objects.select_related(
            "appointment__stage__call__site__organisation", "application"
        )
        .filter(token_hash=token_hash(token), appointment__date__gte=since)
        .first()
    )


def can_see_contact_details(user: User, appointment: Appointment) -> bool:
    """The address, village and phone of those invited: for those who run the call and for
    the staff invited (a field investigator needs them to find the family)."""
    call = appointment.stage.call
    return can_manage_call(user, call) or appointment.staff.filter(pk=user.pk).exists()
