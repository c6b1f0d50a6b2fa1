"""Appointments: those who run a call set interviews, home visits and selection days; those
invited open the appointment's page and its calendar file."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tremplin.core.forms import validation_error_to_form
from tremplin.core.models import User
from tremplin.core.permissions import acting_user, user_passes
from tremplin.network.languages import applicant_language_activate
from tremplin.network.selectors import can_see_sensitive_at
from tremplin.selection import appointment_selectors, invitations, selectors
from tremplin.selection.appointment_forms import AppointmentForm
from tremplin.selection.models import Application, Appointment, StageKind
from tremplin.selection.services import appointments as appointment_services
from tremplin.selection.views.access import call_to_manage, run_selection

use_selection = user_passes(selectors.can_use_selection)


@run_selection
def appointment_list(request: HttpRequest, call_id: int, stage_id: int) -> HttpResponse:
    """A stage's appointments, and the form that sets a new one."""
    call = call_to_manage(request, call_id)
    stage = selectors.stage_get(call=call, stage_id=stage_id)
    if stage.kind == StageKind.INFORMATION_SESSION:
        raise Http404
    user = acting_user(request)
    staff_ids = [u.pk for u in appointment_selectors.appointment_staff(call=call)]
    form = AppointmentForm(
        request.POST or None,
        applications=selectors.applications_at_stage(user=user, call=call, stage=stage).order_by(
            "person__legal_family_name", "person__legal_given_names", "pk"
        ),
        staff=User.objects.filter(pk__in=staff_ids).order_by("email"),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            appointment = appointment_services.appointment_schedule(
                actor=user,
                stage=stage,
                date=data["date"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                place=data["place"],
                video_link=data["video_link"],
                note=data["note"],
                applications=list(data["applications"]),
                staff=list(data["staff"]),
                base_url=request.build_absolute_uri("/"),
            )
        except ValidationError as exc:
            validation_error_to_form(form, exc)
        else:
            messages.success(
                request, _("Appointment set: the invitations are sent by e-mail or SMS.")
            )
            return redirect("selection:appointment-detail", appointment_id=appointment.pk)
    return render(
        request,
        "selection/appointment_list.html",
        {
            "call": call,
            "stage": stage,
            "form": form,
            "appointments": appointment_selectors.appointments_of_stage(stage=stage),
        },
    )


@run_selection
def appointment_edit(request: HttpRequest, appointment_id: int) -> HttpResponse:
    """Change the date, time, place or people of an appointment; those invited are told."""
    user = acting_user(request)
    appointment = appointment_selectors.appointment_get(user=user, appointment_id=appointment_id)
    stage = appointment.stage
    call = stage.call
    if not selectors.can_manage_call(user, call):
        raise Http404
    staff_ids = [u.pk for u in appointment_selectors.appointment_staff(call=call)]
    at_stage = selectors.applications_at_stage(user=user, call=call, stage=stage)
    choices = (
        Application.objects.filter(Q(pk__in=at_stage.values("pk")) | Q(appointments=appointment))
        .distinct()
        .select_related("person")
        .order_by("person__legal_family_name", "person__legal_given_names", "pk")
    )
    initial = {
        "date": appointment.date,
        "starts_at": appointment.starts_at,
        "ends_at": appointment.ends_at,
        "place": appointment.place,
        "video_link": appointment.video_link,
        "note": appointment.note,
        "applications": list(appointment.applications.values_list("pk", flat=True)),
        "staff": list(appointment.staff.values_list("pk", flat=True)),
    }
    form = AppointmentForm(
        request.POST or None,
        initial=initial,
        applications=choices,
        staff=User.objects.filter(pk__in=staff_ids).order_by("email"),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            appointment_services.appointment_change(
                actor=user,
                appointment=appointment,
                date=data["date"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                place=data["place"],
                video_link=data["video_link"],
                note=data["note"],
                applications=list(data["applications"]),
                staff=list(data["staff"]),
                base_url=request.build_absolute_uri("/"),
            )
        except ValidationError as exc:
            validation_error_to_form(form, exc)
        else:
            messages.success(request, _("Appointment changed: those invited are told."))
            return redirect("selection:appointment-detail", appointment_id=appointment.pk)
    return render(
        request,
        "selection/appointment_edit.html",
        {"appointment": appointment, "call": call, "stage": stage, "form": form},
    )


def appointment_public(request: HttpRequest, token: str) -> HttpResponse:
    """The applicant's page of their appointment, opened from the private link of an SMS: when,
    where, and the calendar file. No account; an unknown or old link is not found."""
    link = appointment_selectors.appointment_link_get(token=token)
    if link is None:
        raise Http404
    appointment = link.appointment
    applicant_language_activate(
        request, appointment.stage.call.site.organisation, preferred=link.application.language
    )
    return render(
        request,
        "selection/apply_appointment.html",
        {
            "appointment": appointment,
            "call": appointment.stage.call,
            "stage": appointment.stage,
            "token": token,
        },
    )


def appointment_public_calendar(request: HttpRequest, token: str) -> HttpResponse:
    """The calendar file of the appointment, from the applicant's private link."""
    link = appointment_selectors.appointment_link_get(token=token)
    if link is None:
        raise Http404
    return _calendar_response(link.appointment)


def _calendar_response(appointment: Appointment) -> HttpResponse:
    response = HttpResponse(
        invitations.appointment_calendar(appointment), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="appointment-{appointment.pk}.ics"'
    return response


@use_selection
def appointment_detail(request: HttpRequest, appointment_id: int) -> HttpResponse:
    """The appointment for those who run the call and those invited: when, where, who. A home
    visit shows the family's address, village and phone to them; the sensitive fields stay
    masked for anyone who may not see them."""
    user = acting_user(request)
    appointment = appointment_selectors.appointment_get(user=user, appointment_id=appointment_id)
    call = appointment.stage.call
    return render(
        request,
        "selection/appointment_detail.html",
        {
            "appointment": appointment,
            "call": call,
            "stage": appointment.stage,
            "applications": appointment.applications.select_related("person__region"),
            "staff": appointment.staff.order_by("email"),
            "contact": appointment_selectors.can_see_contact_details(user, appointment),
            "sensitive": can_see_sensitive_at(user, call.site),
            "can_manage": selectors.can_manage_call(user, call),
            "home_visit": appointment.stage.kind == StageKind.SOCIAL_INVESTIGATION,
        },
    )


@use_selection
def appointment_calendar(request: HttpRequest, appointment_id: int) -> HttpResponse:
    """The calendar file (.ics) of the appointment, to download."""
    appointment = appointment_selectors.appointment_get(
        user=acting_user(request), appointment_id=appointment_id
    )
    return _calendar_response(appointment)


@require_POST
@run_selection
def appointment_cancel(request: HttpRequest, appointment_id: int) -> HttpResponse:
    user = acting_user(request)
    appointment = appointment_selectors.appointment_get(user=user, appointment_id=appointment_id)
    stage = appointment.stage
    if not selectors.can_manage_call(user, stage.call):
        raise Http404
    appointment_services.appointment_cancel(actor=user, appointment=appointment)
    messages.success(request, _("Appointment cancelled: those invited are told."))
    return redirect("selection:appointment-list", call_id=stage.call_id, stage_id=stage.pk)
