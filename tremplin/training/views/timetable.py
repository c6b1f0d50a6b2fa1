"""The timetable's pages: a session (create, change, remove, read), a weekly pattern with its
preview, rooms and holidays. Those who manage the cohort's site change the timetable; its
trainers and the site's job coaches read it."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from tremplin.core.forms import validation_error_to_form, validation_error_to_messages
from tremplin.core.models import User
from tremplin.core.permissions import acting_user, user_passes
from tremplin.network.selectors import sites_managed
from tremplin.training.forms.timetable import (
    HolidayForm,
    PatternForm,
    RoomForm,
    SessionForm,
    session_initial,
)
from tremplin.training.models import Cohort, Session
from tremplin.training.selectors import timetable as selectors
from tremplin.training.selectors.access import (
    can_manage_cohort,
    can_manage_training,
    can_use_training,
    teaches,
)
from tremplin.training.services import patterns as pattern_services
from tremplin.training.services import timetable as services


def _cohort_to_manage(request: HttpRequest, cohort_id: int) -> tuple[User, Cohort]:
    user = acting_user(request)
    cohort = selectors.cohort_get(user=user, cohort_id=cohort_id)
    if not can_manage_cohort(user, cohort):
        raise PermissionDenied
    return user, cohort


def _session_to_manage(request: HttpRequest, session_id: int) -> tuple[User, Session]:
    user = acting_user(request)
    session = selectors.session_get(user=user, session_id=session_id)
    if not can_manage_cohort(user, session.cohort):
        raise PermissionDenied
    return user, session


def _week_url(cohort: Cohort, session: Session | None = None) -> str:
    url = reverse("training:week-cohort", kwargs={"cohort_id": cohort.pk})
    if session is not None:
        zone = cohort.run.site.timezone
        url += f"?week={session.starts_at.astimezone(ZoneInfo(zone)).date().isoformat()}"
    return url


def _session_page(
    request: HttpRequest, *, user: User, cohort: Cohort, session: Session | None
) -> HttpResponse:
    """The session form, new (``session`` None) or to change; the service checks it all."""
    initial = session_initial(session, cohort.run.site.timezone) if session else None
    form = SessionForm(request.POST or None, cohort=cohort, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.session_save(
                actor=user, cohort=cohort, data=form.session_data(), session=session
            )
        except ValidationError as exc:
            validation_error_to_form(form, exc)
        else:
            done = _("The session is saved.") if session else _("The session is in the timetable.")
            messages.success(request, done)
            return redirect("training:session-detail", session_id=saved.pk)
    return render(
        request,
        "training/session_form.html",
        {"form": form, "cohort": cohort, "session": session, "week_url": _week_url(cohort)},
    )


@require_http_methods(["GET", "POST"])
@user_passes(can_manage_training)
def session_create(request: HttpRequest, cohort_id: int) -> HttpResponse:
    user, cohort = _cohort_to_manage(request, cohort_id)
    return _session_page(request, user=user, cohort=cohort, session=None)


@require_http_methods(["GET", "POST"])
@user_passes(can_manage_training)
def session_edit(request: HttpRequest, session_id: int) -> HttpResponse:
    user, session = _session_to_manage(request, session_id)
    return _session_page(request, user=user, cohort=session.cohort, session=session)


@require_http_methods(["GET", "POST"])
@user_passes(can_manage_training)
def session_delete(request: HttpRequest, session_id: int) -> HttpResponse:
    user, session = _session_to_manage(request, session_id)
    cohort = session.cohort
    if request.method == "POST":
        week_url = _week_url(cohort, session)
        try:
            services.session_delete(actor=user, session=session)
        except ValidationError as exc:
            validation_error_to_messages(request, exc)
            return redirect("training:session-detail", session_id=session.pk)
        messages.success(request, _("The session is removed from the timetable."))
        return redirect(week_url)
    return render(request, "training/session_delete.html", {"session": session, "cohort": cohort})


@user_passes(can_use_training)
def session_detail(request: HttpRequest, session_id: int) -> HttpResponse:
    user = acting_user(request)
    session = selectors.session_get(user=user, session_id=session_id)
    cohort = session.cohort
    return render(
        request,
        "training/session_detail.html",
        {
            "session": session,
            "cohort": cohort,
            "zone": cohort.run.site.timezone,
            "trainers": list(session.trainers.all()),
            "volunteers": list(session.volunteers.all()),
            "can_manage": can_manage_cohort(user, cohort),
            "teaches": teaches(user, cohort),
            "week_url": _week_url(cohort, session),
        },
    )


@require_http_methods(["GET", "POST"])
@user_passes(can_manage_training)
def pattern_create(request: HttpRequest, cohort_id: int) -> HttpResponse:
    """POST "preview": what would be generated (nothing saved). POST "generate": all of it,
    or nothing when a date clashes (unless the user chose to leave those dates out)."""
    user, cohort = _cohort_to_manage(request, cohort_id)
    form = PatternForm(request.POST or None, cohort=cohort)
    plan = None
    if request.method == "POST" and form.is_valid():
        data = form.pattern_data()
        skip = form.cleaned_data["skip_clashes"]
        try:
            if request.POST.get("action") == "generate":
                pattern, plan = pattern_services.pattern_generate(
                    actor=user, cohort=cohort, data=data, skip_clashes=skip
                )
                messages.success(request, _generated_message(plan))
                return redirect(f"{_week_url(cohort)}?week={pattern.starts_on.isoformat()}")
            plan = pattern_services.pattern_plan(
                actor=user, cohort=cohort, data=data, skip_clashes=skip
            )
        except ValidationError as exc:
            validation_error_to_form(form, exc)
            if not hasattr(exc, "error_dict"):
                plan = pattern_services.pattern_plan(
                    actor=user, cohort=cohort, data=data, skip_clashes=skip
                )
    return render(
        request,
        "training/pattern_form.html",
        {"form": form, "cohort": cohort, "plan": plan, "week_url": _week_url(cohort)},
    )


def _generated_message(plan: pattern_services.PatternPlan) -> str:
    text = ngettext(
        "%(count)d session generated.", "%(count)d sessions generated.", len(plan.dates)
    ) % {"count": len(plan.dates)}
    if plan.holidays:
        text += " " + ngettext(
            "%(count)d date skipped for a holiday.",
            "%(count)d dates skipped for holidays.",
            len(plan.holidays),
        ) % {"count": len(plan.holidays)}
    if plan.left_out:
        text += " " + ngettext(
            "%(count)d clashing date left out.",
            "%(count)d clashing dates left out.",
            len(plan.left_out),
        ) % {"count": len(plan.left_out)}
    return text


# --- Rooms and holidays ------------------------------------------------------------------


@user_passes(can_manage_training)
def room_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    rooms = selectors.rooms_managed(user=user).order_by("site__name", "name")
    return render(request, "training/room_list.html", {"rooms": rooms})


@require_http_methods(["GET", "POST"])
@user_passes(can_manage_training)
def room_create(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    sites = sites_managed(user=user)
    form = RoomForm(request.POST or None, sites=sites)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.room_save(actor=user, site=d["site"], name=d["name"], capacity=d["capacity"])
        except ValidationError as exc:
            validation_error_to_form(form, exc)
        else:
            messages.success(request, _("The room is saved."))
            return redirect("training:room-list")
    return render(request, "training/room_form.html", {"form": form, "room": None})


@require_http_methods(["GET", "POST"])
@user_passes(can_manage_training)
def room_edit(request: HttpRequest, room_id: int) -> HttpResponse:
    user = acting_user(request)
    room = selectors.room_managed_get(user=user, room_id=room_id)
    sites = sites_managed(user=user).filter(pk=room.site_id)
    initial = {"site": room.site_id, "name": room.name, "capacity": room.capacity}
    form = RoomForm(request.POST or None, sites=sites, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.room_save(
                actor=user, site=room.site, name=d["name"], capacity=d["capacity"], room=room
            )
        except ValidationError as exc:
            validation_error_to_form(form, exc)
        else:
            messages.success(request, _("The room is saved."))
            return redirect("training:room-list")
    return render(request, "training/room_form.html", {"form": form, "room": room})


@user_passes(can_manage_training)
def holiday_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    holidays = selectors.holidays_visible(user=user).order_by("-starts_on", "name")
    return render(request, "training/holiday_list.html", {"holidays": holidays})


@require_http_methods(["GET", "POST"])
@user_passes(can_manage_training)
def holiday_create(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    form = HolidayForm(
        request.POST or None,
        sites=sites_managed(user=user),
        organisations=selectors.organisations_for_holidays(user=user),
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        site = d["site"]
        try:
            services.holiday_create(
                actor=user,
                organisation=site.organisation if site else d["organisation"],
                site=site,
                name=d["name"],
                starts_on=d["starts_on"],
                ends_on=d["ends_on"],
            )
        except ValidationError as exc:
            validation_error_to_form(form, exc)
        else:
            messages.success(request, _("The holiday is saved."))
            return redirect("training:holiday-list")
    return render(request, "training/holiday_form.html", {"form": form})
