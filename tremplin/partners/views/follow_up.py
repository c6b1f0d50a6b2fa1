"""The follow-up of an internship (partners/internships/<id>/follow-up/): the referent's
check-ins, the tutor's evaluation (ask, revoke, ask again, read), the learner's
self-assessments, incidents and the end, with whether a job was offered; and the check-ins
due across the internships the user follows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tremplin.core.forms import validation_error_to_form, validation_error_to_messages
from tremplin.core.listing import paginate_sorted
from tremplin.core.permissions import acting_user, user_passes
from tremplin.partners.forms.during import (
    CheckInPlanForm,
    CheckInRecordForm,
    CheckInsDueForm,
    IncidentForm,
    InternshipEndForm,
    JobOfferForm,
    job_offered_text,
    job_offered_value,
)
from tremplin.partners.models import Internship
from tremplin.partners.selectors import follow_up as selectors
from tremplin.partners.selectors.access import can_use_partners
from tremplin.partners.services import check_ins, incidents, internship_end, tutor_evaluations

use_partners = user_passes(can_use_partners)


def _page(
    request: HttpRequest,
    internship: Internship,
    *,
    status: int = 200,
    record_for: int | None = None,
    **bound: forms.Form,
) -> HttpResponse:
    """The follow-up page; a form posted with errors is shown with them (status 400)."""
    user = acting_user(request)
    now = timezone.now()
    programme = internship.enrolment.cohort.run.programme
    criteria = selectors.criteria_for(programme)
    ended = internship.status in selectors.ENDED
    check_in_list = list(internship.check_ins.select_related("by"))
    for check_in in check_in_list:
        # one form per check-in, each with its own field ids
        check_in.record_form = (  # type: ignore[attr-defined]
            bound["record_form"]
            if record_for == check_in.pk
            else CheckInRecordForm(prefix="held", auto_id=f"id_held{check_in.pk}_%s")
        )
    context: dict[str, Any] = {
        "internship": internship,
        "person": internship.enrolment.person,
        "running": internship.status in selectors.RUNNING,
        "ended": ended,
        "followed": internship.status in selectors.FOLLOWED,
        "check_ins": check_in_list,
        "evaluations": selectors.evaluations_shown(internship, now=now, criteria=criteria),
        "self_assessments": list(internship.self_assessments.all()),
        "incidents": list(internship.incidents.select_related("recorded_by")),
        "can_set_criteria": selectors.can_set_criteria(user),
        "programme": programme,
        "plan_form": bound.get("plan_form") or CheckInPlanForm(prefix="plan"),
        "incident_form": bound.get("incident_form") or IncidentForm(prefix="incident"),
        "end_form": bound.get("end_form") or InternshipEndForm(prefix="end"),
        "job_form": bound.get("job_form")
        or JobOfferForm(
            prefix="job",
            initial={
                "job_offered": job_offered_text(internship.job_offered),
                "job_offer_note": internship.job_offer_note,
            },
        ),
    }
    return render(request, "partners/during/follow_up.html", context, status=status)


def _internship(request: HttpRequest, internship_id: int) -> Internship:
    return selectors.internship_get(user=acting_user(request), internship_id=internship_id)


def _back(internship: Internship, anchor: str = "") -> HttpResponse:
    response = redirect("partners:internship-follow-up", internship_id=internship.pk)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


@use_partners
def internship_follow_up(request: HttpRequest, internship_id: int) -> HttpResponse:
    return _page(request, _internship(request, internship_id))


def _posted(
    request: HttpRequest,
    internship: Internship,
    form: forms.Form,
    *,
    form_name: str,
    save: Callable[[dict[str, Any]], object],
    done: str,
    anchor: str,
    record_for: int | None = None,
) -> HttpResponse:
    """A form of the follow-up page, posted: saved by ``save(cleaned_data)`` (a service), then
    back to the page at ``anchor`` saying ``done``; else the page again with the form's errors
    and the service's reasons on their fields (400)."""
    if form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as exc:
            validation_error_to_form(form, exc)
        else:
            messages.success(request, done)
            return _back(internship, anchor)
    return _page(request, internship, status=400, record_for=record_for, **{form_name: form})


@require_POST
@use_partners
def check_in_plan(request: HttpRequest, internship_id: int) -> HttpResponse:
    internship = _internship(request, internship_id)
    return _posted(
        request,
        internship,
        CheckInPlanForm(request.POST, prefix="plan"),
        form_name="plan_form",
        save=lambda data: check_ins.check_in_plan(
            actor=acting_user(request),
            internship=internship,
            kind=data["kind"],
            planned_on=data["planned_on"],
        ),
        done=_("The check-in is planned."),
        anchor="check-ins",
    )


@require_POST
@use_partners
def check_ins_plan_default(request: HttpRequest, internship_id: int) -> HttpResponse:
    internship = _internship(request, internship_id)
    try:
        made = check_ins.check_ins_plan_default(actor=acting_user(request), internship=internship)
    except ValidationError as exc:
        validation_error_to_messages(request, exc)
    else:
        if made:
            messages.success(request, _("The usual check-ins are planned."))
        else:
            messages.info(request, _("Check-ins are already planned."))
    return _back(internship, "check-ins")


@require_POST
@use_partners
def check_in_record(request: HttpRequest, check_in_id: int) -> HttpResponse:
    user = acting_user(request)
    check_in = selectors.check_in_get(user=user, check_in_id=check_in_id)
    internship = selectors.internship_get(user=user, internship_id=check_in.internship_id)
    return _posted(
        request,
        internship,
        CheckInRecordForm(request.POST, prefix="held", auto_id=f"id_held{check_in.pk}_%s"),
        form_name="record_form",
        record_for=check_in.pk,
        save=lambda data: check_ins.check_in_record(
            actor=user, check_in=check_in, held_on=data["held_on"], notes=data["notes"]
        ),
        done=_("The check-in's notes are saved."),
        anchor="check-ins",
    )


@require_POST
@use_partners
def incident_record(request: HttpRequest, internship_id: int) -> HttpResponse:
    internship = _internship(request, internship_id)
    return _posted(
        request,
        internship,
        IncidentForm(request.POST, prefix="incident"),
        form_name="incident_form",
        save=lambda data: incidents.incident_record(
            actor=acting_user(request),
            internship=internship,
            kind=data["kind"],
            happened_on=data["happened_on"],
            description=data["description"],
            action=data["action"],
        ),
        done=_("The incident is recorded."),
        anchor="incidents",
    )


@require_POST
@use_partners
def internship_end_record(request: HttpRequest, internship_id: int) -> HttpResponse:
    internship = _internship(request, internship_id)
    return _posted(
        request,
        internship,
        InternshipEndForm(request.POST, prefix="end"),
        form_name="end_form",
        save=lambda data: internship_end.internship_end(
            actor=acting_user(request),
            internship=internship,
            ended_on=data["ended_on"],
            early=data["how"] == "early",
            reason=data["end_reason"],
            note=data["note"],
            job_offered=job_offered_value(data["job_offered"]),
            job_offer_note=data["job_offer_note"],
        ),
        done=_("The end of the internship is recorded."),
        anchor="end",
    )


@require_POST
@use_partners
def job_offer_record(request: HttpRequest, internship_id: int) -> HttpResponse:
    internship = _internship(request, internship_id)
    return _posted(
        request,
        internship,
        JobOfferForm(request.POST, prefix="job"),
        form_name="job_form",
        save=lambda data: internship_end.internship_job_offer_record(
            actor=acting_user(request),
            internship=internship,
            job_offered=job_offered_value(data["job_offered"]),
            note=data["job_offer_note"],
        ),
        done=_("Saved."),
        anchor="end",
    )


@require_POST
@use_partners
def evaluation_request(request: HttpRequest, internship_id: int) -> HttpResponse:
    internship = _internship(request, internship_id)
    try:
        sent = tutor_evaluations.tutor_evaluation_request(
            actor=acting_user(request),
            internship=internship,
            base_url=request.build_absolute_uri("/"),
        )
    except ValidationError as exc:
        validation_error_to_messages(request, exc)
    else:
        how = ", ".join(str(m.get_channel_display()) for m in sent.sent)
        messages.success(
            request,
            _("The evaluation is asked of %(name)s (%(how)s).")
            % {"name": internship.tutor, "how": how},
        )
    return _back(internship, "evaluation")


@require_POST
@use_partners
def evaluation_revoke(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    user = acting_user(request)
    evaluation = selectors.evaluation_get(user=user, evaluation_id=evaluation_id)
    try:
        tutor_evaluations.tutor_evaluation_revoke(actor=user, evaluation=evaluation)
    except ValidationError as exc:
        validation_error_to_messages(request, exc)
    else:
        messages.success(request, _("The tutor's link no longer works."))
    return _back(evaluation.internship, "evaluation")


@use_partners
def check_ins_due(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    form = CheckInsDueForm(request.GET or None)
    mine = bool(form.is_valid() and form.cleaned_data["mine"])
    listing = paginate_sorted(
        request,
        selectors.check_ins_due(user=user, today=timezone.localdate(), mine=mine),
        sorts={
            "planned": ("planned_on",),
            "learner": (
                "internship__enrolment__person__legal_family_name",
                "internship__enrolment__person__legal_given_names",
            ),
            "partner": ("internship__partner__name",),
        },
        default="planned",
    )
    return render(request, "partners/during/check_ins_due.html", {"listing": listing, "form": form})
