"""A learner in a cohort: their page (what can be done to them), the actions (level group,
leaving early, transfer, coming back, graduating; the whole cohort graduating), their private
link, and the learner's own home page opened from it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from tremplin.core.audit import audit_events_for
from tremplin.core.forms import validation_error_to_form, validation_error_to_messages
from tremplin.core.permissions import acting_user, user_passes
from tremplin.core.registry import registry
from tremplin.network.languages import applicant_language_activate
from tremplin.training.forms.cohorts import GraduateForm, LeaveForm, LevelForm, TransferForm
from tremplin.training.models import Enrolment
from tremplin.training.selectors import cohorts as selectors
from tremplin.training.selectors import surveys as survey_selectors
from tremplin.training.selectors.access import (
    can_manage_cohort,
    can_use_training,
    sees_cohort_site_wide,
    teaches,
)
from tremplin.training.selectors.learners import enrolment_for_token
from tremplin.training.services import learner_links
from tremplin.training.services import learners as services

ACTIVE = Enrolment.Status.ACTIVE


def _levels(enrolment: Enrolment) -> list[str]:
    return [str(level) for level in enrolment.cohort.run.programme.levels or []]


def _page(
    request: HttpRequest, enrolment: Enrolment, *, bound: dict[str, forms.Form] | None = None
) -> HttpResponse:
    """The enrolment's page, with the form that was sent shown again with its errors."""
    user = acting_user(request)
    cohort = enrolment.cohort
    manages = can_manage_cohort(user, cohort)
    levels = _levels(enrolment)
    active = enrolment.status == ACTIVE
    chosen = bound or {}
    context: dict[str, Any] = {
        "enrolment": enrolment,
        "cohort": cohort,
        "manages": manages,
        "site_wide": sees_cohort_site_wide(user, cohort),
        "history": list(audit_events_for(enrolment).select_related("actor")[:50]),
    }
    if active and levels and teaches(user, cohort):
        context["level_form"] = chosen.get("level") or LevelForm(
            levels=levels, initial={"level": enrolment.level}
        )
    if active and manages:
        context["leave_form"] = chosen.get("leave") or LeaveForm()
        context["transfer_form"] = chosen.get("transfer") or TransferForm(
            targets=selectors.transfer_targets(user=user, enrolment=enrolment)
        )
        context["graduate_form"] = chosen.get("graduate") or GraduateForm(
            initial={"on": min(cohort.ends_on, timezone.localdate())}
        )
    return render(request, "training/enrolment_detail.html", context)


@user_passes(can_use_training)
def enrolment_detail(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    enrolment = selectors.enrolment_get(user=acting_user(request), enrolment_id=enrolment_id)
    return _page(request, enrolment)


def _on_field(key: str) -> str:
    """The services name an exit's date ``left_on``; the transfer and graduation forms ``on``."""
    return "on" if key == "left_on" else key


def _done(request: HttpRequest, enrolment: Enrolment, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("training:enrolment-detail", enrolment_id=enrolment.pk)


@require_POST
@user_passes(can_use_training)
def enrolment_level(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    user = acting_user(request)
    enrolment = selectors.enrolment_get(user=user, enrolment_id=enrolment_id)
    if not teaches(user, enrolment.cohort):
        raise PermissionDenied
    form = LevelForm(request.POST, levels=_levels(enrolment))
    if form.is_valid():
        try:
            services.enrolment_level_change(
                actor=user,
                enrolment=enrolment,
                level=form.cleaned_data["level"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            validation_error_to_form(form, error)
        else:
            return _done(request, enrolment, _("The learner changed level group."))
    return _page(request, enrolment, bound={"level": form})


def _managed(request: HttpRequest, enrolment_id: int) -> Enrolment:
    user = acting_user(request)
    enrolment = selectors.enrolment_get(user=user, enrolment_id=enrolment_id)
    if not can_manage_cohort(user, enrolment.cohort):
        raise PermissionDenied
    return enrolment


@require_POST
@user_passes(can_use_training)
def enrolment_leave(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    enrolment = _managed(request, enrolment_id)
    form = LeaveForm(request.POST)
    if form.is_valid():
        try:
            services.enrolment_leave(
                actor=acting_user(request),
                enrolment=enrolment,
                reason=form.cleaned_data["reason"],
                left_on=form.cleaned_data["left_on"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            validation_error_to_form(form, error)
        else:
            return _done(request, enrolment, _("The learner's leaving is recorded."))
    return _page(request, enrolment, bound={"leave": form})


@require_POST
@user_passes(can_use_training)
def enrolment_transfer(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    user = acting_user(request)
    enrolment = _managed(request, enrolment_id)
    form = TransferForm(
        request.POST, targets=selectors.transfer_targets(user=user, enrolment=enrolment)
    )
    if form.is_valid():
        target = form.cleaned_data["cohort"]
        try:
            moved = services.enrolment_transfer(
                actor=user, enrolment=enrolment, target=target, on=form.cleaned_data["on"]
            )
        except ValidationError as error:
            validation_error_to_form(form, error, field_of=_on_field)
        else:
            messages.success(
                request,
                _("%(name)s moved to %(cohort)s.")
                % {"name": enrolment.person.display_name, "cohort": target.title},
            )
            return redirect("training:enrolment-detail", enrolment_id=moved.pk)
    return _page(request, enrolment, bound={"transfer": form})


@require_POST
@user_passes(can_use_training)
def enrolment_graduate(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    enrolment = _managed(request, enrolment_id)
    form = GraduateForm(request.POST)
    if form.is_valid():
        try:
            services.enrolment_graduate(
                actor=acting_user(request), enrolment=enrolment, on=form.cleaned_data["on"]
            )
        except ValidationError as error:
            validation_error_to_form(form, error, field_of=_on_field)
        else:
            return _done(request, enrolment, _("The learner graduated."))
    return _page(request, enrolment, bound={"graduate": form})


@require_POST
@user_passes(can_use_training)
def enrolment_reenter(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    enrolment = _managed(request, enrolment_id)
    try:
        services.enrolment_reenter(actor=acting_user(request), enrolment=enrolment)
    except ValidationError as error:
        validation_error_to_messages(request, error)
        return redirect("training:enrolment-detail", enrolment_id=enrolment.pk)
    return _done(request, enrolment, _("The learner is back in training."))


@require_POST
@user_passes(can_use_training)
def cohort_graduate(request: HttpRequest, cohort_id: int) -> HttpResponse:
    user = acting_user(request)
    cohort = selectors.cohort_get(user=user, cohort_id=cohort_id)
    if not can_manage_cohort(user, cohort):
        raise PermissionDenied
    form = GraduateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the date the learners graduated."))
        return redirect("training:cohort-detail", cohort_id=cohort.pk)
    try:
        count = services.cohort_graduate(actor=user, cohort=cohort, on=form.cleaned_data["on"])
    except ValidationError as error:
        validation_error_to_messages(request, error)
    else:
        messages.success(
            request,
            ngettext("%(count)s learner graduated.", "%(count)s learners graduated.", count)
            % {"count": count},
        )
    return redirect("training:cohort-detail", cohort_id=cohort.pk)


@require_POST
@user_passes(can_use_training)
def enrolment_link_send(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    """Send the learner a new private link; the page shows it once and where it went."""
    user = acting_user(request)
    enrolment = selectors.enrolment_get(user=user, enrolment_id=enrolment_id)
    if not sees_cohort_site_wide(user, enrolment.cohort):
        raise PermissionDenied
    try:
        sent = learner_links.learner_link_send(
            actor=user, enrolment=enrolment, base_url=request.build_absolute_uri("/")
        )
    except ValidationError as error:
        validation_error_to_messages(request, error)
        return redirect("training:enrolment-detail", enrolment_id=enrolment.pk)
    return render(request, "training/learner_link_sent.html", {"sent": sent})


# --- The learner's own page ----------------------------------------------------------------
# applicant-facing: start (docs/languages.md)


def learner_home(request: HttpRequest, token: str) -> HttpResponse:
    """The learner's home, opened from their private link on a phone: their cohort, its
    dates and their next sessions in the site's time zone, in their language (the one they
    chose on the page, else their application's, else the site's)."""
    enrolment = enrolment_for_token(token=token)
    site = enrolment.cohort.run.site
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    language = applicant_language_activate(
        request,
        site.organisation,
        preferred="" if chosen else learner_links.learner_language(enrolment),
    )
    response = render(
        request,
        "training/learner_home.html",
        {
            "enrolment": enrolment,
            "token": token,
            "cohort": enrolment.cohort,
            "site": site,
            "sessions": selectors.next_sessions(cohort=enrolment.cohort),
            "language": language,
            "survey_open": survey_selectors.survey_is_open(enrolment),
            "certificates": list(
                enrolment.certificates.filter(revoked_at__isnull=True).order_by("-issued_on")
            ),
            # what apps on the right add (partners: offers, the internship's self-assessment)
            "more_links": [
                built
                for link in registry.learner_links
                if (built := link.build(enrolment, token)) is not None
            ],
        },
    )
    response["Cache-Control"] = "private, no-store"
    # same-origin, not no-referrer: with no-referrer the browser sends "Origin: null" and
    # the language switcher's POST fails the CSRF check (403); other sites still get nothing.
    response["Referrer-Policy"] = "same-origin"
    return response


# applicant-facing: end
