"""Signing attendance: on the trainer's phone, one learner after another; the room code the
trainer shows; and the learner's own page, opened from their private link, where they type
the code and sign on their own phone."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tremplin.core import params, throttling
from tremplin.core.forms import validation_error_to_form, validation_error_to_messages
from tremplin.core.permissions import acting_user, user_passes
from tremplin.network.languages import applicant_language_activate
from tremplin.training.forms.signatures import LearnerSignatureForm, TrainerSignatureForm
from tremplin.training.models import HalfDay, Session
from tremplin.training.selectors import signatures as signing
from tremplin.training.selectors.access import can_use_training
from tremplin.training.selectors.learners import enrolment_for_token
from tremplin.training.services import signatures as signature_services

use_training = user_passes(can_use_training)

# The action the learner's code is counted against (TREMPLIN_RATE_LIMITS, per address and
# per private link): 6 digits cannot be guessed at this pace.
LEARNER_SIGN = "attendance_sign"


def _session_to_collect(request: HttpRequest, session_id: int) -> Session:
    user = acting_user(request)
    session = signing.session_for_signing(user=user, session_id=session_id)
    if not signing.may_collect(user, session):
        raise PermissionDenied
    return session


def _half_day(request: HttpRequest, session: Session) -> str:
    halves = signing.half_days_of(session)
    asked = request.POST.get("half_day") or request.GET.get("half", "")
    return asked if asked in halves else signing.half_day_now(session)


@use_training
@require_http_methods(["GET", "POST"])
def session_signatures(request: HttpRequest, session_id: int) -> HttpResponse:
    """The trainer's phone goes round the room: the next learner signs, and so on."""
    user = acting_user(request)
    session = _session_to_collect(request, session_id)
    half_day = _half_day(request, session)
    roster = signing.signing_roster(session=session, half_day=half_day)
    signable = [(line.enrolment.pk, line.enrolment.person.display_name) for line in roster]
    form = TrainerSignatureForm(request.POST or None, learners=signable)
    if request.method == "POST" and form.is_valid():
        line = next(line for line in roster if line.enrolment.pk == form.cleaned_data["enrolment"])
        try:
            signature_services.signature_collect(
                actor=user,
                session=session,
                enrolment=line.enrolment,
                half_day=form.cleaned_data["half_day"],
                png=form.cleaned_data["image"],
            )
        except ValidationError as exc:
            validation_error_to_messages(request, exc)
        else:
            messages.success(
                request,
                _("%(name)s signed.") % {"name": line.enrolment.person.display_name},
            )
        url = reverse("training:session-signatures", kwargs={"session_id": session.pk})
        return redirect(f"{url}?half={half_day}")
    wanted = params.id_param(request.GET, "learner")
    current = next(
        (line for line in roster if line.may_sign and line.enrolment.pk == wanted),
        next((line for line in roster if line.may_sign), None),
    )
    context: dict[str, Any] = {
        "session": session,
        "cohort": session.cohort,
        "half_day": half_day,
        "half_day_label": HalfDay(half_day).label,
        "halves": [(h, HalfDay(h).label) for h in signing.half_days_of(session)],
        "roster": roster,
        "current": current,
        "form": form,
        "signed_count": sum(1 for line in roster if line.signed),
        "zone": signing.site_zone(session),
    }
    return render(
        request, "training/session_signatures.html", context, status=400 if form.errors else 200
    )


@use_training
@require_http_methods(["GET", "POST"])
def session_code(request: HttpRequest, session_id: int) -> HttpResponse:
    """The room code, big enough to read from the back of the room."""
    user = acting_user(request)
    session = _session_to_collect(request, session_id)
    if request.method == "POST":
        try:
            signature_services.room_code_issue(
                actor=user, session=session, renew=request.POST.get("renew") == "1"
            )
        except ValidationError as exc:
            validation_error_to_messages(request, exc)
        return redirect("training:session-code", session_id=session.pk)
    room_code = signing.room_code_of(session)
    now = timezone.now()
    valid_from, valid_until = signing.code_window(session)
    return render(
        request,
        "training/session_code.html",
        {
            "session": session,
            "cohort": session.cohort,
            "room_code": room_code,
            "digits": (room_code.code[:3], room_code.code[3:]) if room_code else None,
            "not_yet": now < valid_from,
            "over": now >= valid_until,
            "valid_from": valid_from,
            "valid_until": valid_until,
            "zone": signing.site_zone(session),
        },
    )


@require_http_methods(["GET", "POST"])
def learner_sign(request: HttpRequest, token: str) -> HttpResponse:
    """The learner's own phone: type the room code, sign, done. No account: the private
    link is the key."""
    enrolment = enrolment_for_token(token=token)
    organisation = enrolment.cohort.run.site.organisation
    applicant_language_activate(request, organisation)
    form = LearnerSignatureForm(request.POST or None)
    signature = None
    if request.method == "POST":
        if not throttling.throttle_allows(request, action=LEARNER_SIGN, key=enrolment.token_hash):
            return throttling.too_many_requests(request)
        if form.is_valid():
            try:
                signature = signature_services.signature_give(
                    enrolment=enrolment,
                    code=form.cleaned_data["code"],
                    png=form.cleaned_data["image"],
                )
            except ValidationError as exc:
                validation_error_to_form(form, exc)
    return render(
        request,
        "training/learner_sign.html",
        {
            "enrolment": enrolment,
            "form": form,
            "signature": signature,
            "half_day_label": HalfDay(signature.half_day).label if signature else "",
        },
        status=400 if form.errors else 200,
    )
