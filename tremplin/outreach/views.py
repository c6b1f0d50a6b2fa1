from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tremplin.core import params, throttling
from tremplin.core.busy import RETRY_AFTER_SECONDS, database_busy
from tremplin.core.forms import form_errors_to_messages, validation_error_to_messages
from tremplin.core.listing import paginate_sorted
from tremplin.core.permissions import acting_user, user_passes
from tremplin.network.languages import applicant_language_activate
from tremplin.network.selectors import (
    applicant_recording_url,
    can_see_site_people,
    sites_for_people_records,
)
from tremplin.outreach import selectors, services
from tremplin.outreach.forms import PublicRegistrationForm, RegistrationForm, SessionForm
from tremplin.outreach.models import InformationSession, Registration


@user_passes(can_see_site_people)
def session_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    listing = paginate_sorted(
        request,
        selectors.sessions_visible(user=user),
        sorts={
            "date": ("starts_at",),
            "title": ("title",),
            "site": ("site__name", "starts_at"),
            "registered": ("registered",),
        },
        default="-date",
    )
    can_create = sites_for_people_records(user=user).exists()
    return render(
        request, "outreach/session_list.html", {"listing": listing, "can_create": can_create}
    )


@user_passes(can_see_site_people)
def session_create(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    sites = sites_for_people_records(user=user)
    if not sites.exists():
        raise PermissionDenied
    form = SessionForm(request.POST or None, sites=sites)
    # Times are typed in the site's own time zone.
    site_id = params.id_param(request.POST, "site")
    chosen = sites.filter(pk=site_id).first() if site_id else None
    with timezone.override(chosen.timezone if chosen else timezone.get_current_timezone_name()):
        valid = request.method == "POST" and form.is_valid()
    if valid:
        data = form.cleaned_data
        try:
            session = services.information_session_create(
                actor=user,
                site=data["site"],
                title=data["title"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                capacity=data["capacity"],
                mode=data["mode"],
                place=data["place"],
                online_link=data["online_link"],
                language=data["language"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The information session is scheduled."))
            return redirect("outreach:session-detail", session_id=session.pk)
    return render(request, "outreach/session_form.html", {"form": form})


@user_passes(can_see_site_people)
def session_detail(request: HttpRequest, session_id: int) -> HttpResponse:
    user = acting_user(request)
    session = selectors.session_get(user=user, session_id=session_id)
    registrations = list(
        session.registrations.exclude(status=Registration.Status.CANCELLED).order_by(
            "status", "family_name", "given_names"
        )
    )
    can_run = selectors.can_run_sessions_at(user=user, site=session.site)
    public_url = request.build_absolute_uri(
        reverse("outreach:public-register", kwargs={"key": session.public_key})
    )
    return render(
        request,
        "outreach/session_detail.html",
        {
            "session": session,
            "registrations": registrations,
            "can_run": can_run,
            "public_url": public_url,
            "walk_in_form": RegistrationForm(region=session.site.country.code),
        },
    )


def _session_to_run(request: HttpRequest, session_id: int) -> InformationSession:
    user = acting_user(request)
    session = selectors.session_get(user=user, session_id=session_id)
    if not selectors.can_run_sessions_at(user=user, site=session.site):
        raise PermissionDenied
    return session


@require_POST
@user_passes(can_see_site_people)
def session_check_in(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _session_to_run(request, session_id)
    ids = params.id_list_param(request.POST, "present")
    count = services.registrations_check_in(
        actor=acting_user(request), session=session, registration_ids=ids
    )
    messages.success(request, _("%(count)d people marked present.") % {"count": count})
    return redirect("outreach:session-detail", session_id=session.pk)


@require_POST
@user_passes(can_see_site_people)
def session_walk_in(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _session_to_run(request, session_id)
    form = RegistrationForm(request.POST, region=session.site.country.code)
    if form.is_valid():
        try:
            services.registration_create(session=session, walk_in=True, **form.registrant())
        except ValidationError as exc:
            validation_error_to_messages(request, exc)
        else:
            messages.success(request, _("Added and marked present."))
    else:
        form_errors_to_messages(request, form)
    return redirect("outreach:session-detail", session_id=session.pk)


@require_POST
@user_passes(can_see_site_people)
def registration_cancel(
    request: HttpRequest, session_id: int, registration_id: int
) -> HttpResponse:
    session = _session_to_run(request, session_id)
    registration = session.registrations.filter(pk=registration_id).first()
    if registration is None:
        raise Http404
    promoted = services.registration_cancel(registration=registration)
    if promoted is not None:
        messages.success(
            request,
            _("Cancelled. %(name)s moves from the waiting list to the session.")
            % {"name": promoted},
        )
    else:
        messages.success(request, _("Cancelled."))
    return redirect("outreach:session-detail", session_id=session.pk)


def public_register(request: HttpRequest, key: str) -> HttpResponse:
    """Public page: anyone registers for a session, on a phone, without an account."""
    session = selectors.public_session_get(key=key)
    language = applicant_language_activate(request, session.site.organisation)
    form = PublicRegistrationForm(request.POST or None, region=session.site.country.code)
    result = None
    busy = False
    open_for_registration = session.status == InformationSession.Status.SCHEDULED
    if request.method == "POST" and open_for_registration and form.is_valid():
        if not throttling.throttle_allows(request, action=throttling.SESSION_REGISTRATION):
            return throttling.too_many_requests(request)
        try:
            result = services.registration_create(
                session=session,
                language=translation.get_language() or "",
                **form.registrant(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)  # a per-field error lands on its field
        except OperationalError as exc:
            if not database_busy(exc):
                raise
            # The form stays bound to what was sent: the page shows it again, kept.
            busy = True
    response = render(
        request,
        "outreach/public_register.html",
        {
            "session": session,
            "form": form,
            "result": result,
            "open": open_for_registration,
            "busy": busy,
            "recording": applicant_recording_url(
                organisation=session.site.organisation, page="register", language=language
            ),
        },
        status=503 if busy else 200,
    )
    if busy:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
