"""The pages people outside staff open from a private link, on a phone, without an account:
the company tutor's evaluation (partners/t/<token>/) and the learner's self-assessment of
their internship (partners/me/<token>/internship/). Each opens one thing only."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from tremplin.core.forms import validation_error_to_form
from tremplin.network.languages import applicant_language_activate
from tremplin.partners.forms.during import SelfAssessmentForm, TutorEvaluationForm
from tremplin.partners.selectors import follow_up as selectors
from tremplin.partners.services import self_assessments, tutor_evaluations
from tremplin.training.selectors.learners import enrolment_for_token
from tremplin.training.services.learner_links import learner_language

TUTOR_PAGE = "partners/during/tutor_evaluation.html"
LEARNER_PAGE = "partners/during/learner_internship.html"


def _private(
    request: HttpRequest, template: str, context: dict[str, Any], *, status: int = 200
) -> HttpResponse:
    response = render(request, template, context, status=status)
    response["Cache-Control"] = "private, no-store"
    # same-origin: the language switcher's POST keeps its Origin (see training's learner home)
    response["Referrer-Policy"] = "same-origin"
    return response


def tutor_evaluation(request: HttpRequest, token: str) -> HttpResponse:
    """The tutor's evaluation of one intern: the form while the link is open; once submitted,
    revoked or expired, a page that says so (410 Gone), and nothing else."""
    evaluation = selectors.evaluation_for_token(token=token)
    internship = evaluation.internship
    enrolment = internship.enrolment
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    applicant_language_activate(
        request,
        enrolment.cohort.run.site.organisation,
        preferred="" if chosen else evaluation.language,
    )
    context: dict[str, Any] = {
        "internship": internship,
        "person": enrolment.person,
        "programme": enrolment.cohort.run.programme,
        "state": selectors.evaluation_state(evaluation, now=timezone.now()),
    }
    if context["state"] != "open":
        context["closed"] = tutor_evaluations.closed_message(context["state"])
        return _private(request, TUTOR_PAGE, context, status=410)
    criteria = selectors.criteria_for(enrolment.cohort.run.programme)
    form = TutorEvaluationForm(request.POST or None, criteria=criteria)
    context["form"] = form
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                tutor_evaluations.tutor_evaluation_submit(
                    evaluation=evaluation,
                    criteria=criteria,
                    ratings=form.ratings(),
                    comment=form.cleaned_data["comment"],
                    would_hire=form.would_hire(),
                    evaluator_name=form.cleaned_data["evaluator_name"],
                )
            except ValidationError as exc:
                if exc.code in ("submitted", "revoked", "expired"):
                    context |= {"state": exc.code, "closed": exc.messages[0]}
                    return _private(request, TUTOR_PAGE, context, status=410)
                validation_error_to_form(form, exc)
            else:
                context["state"] = "thanks"
        if form.errors:
            status = 400
    return _private(request, TUTOR_PAGE, context, status=status)


def learner_internship(request: HttpRequest, token: str) -> HttpResponse:
    """The learner's self-assessment of their current or last internship, from their link."""
    enrolment = enrolment_for_token(token=token)
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    applicant_language_activate(
        request,
        enrolment.cohort.run.site.organisation,
        preferred="" if chosen else learner_language(enrolment),
    )
    internship = selectors.learner_internship(enrolment)
    context: dict[str, Any] = {"enrolment": enrolment, "token": token, "internship": internship}
    status = 200
    if internship is not None:
        form = SelfAssessmentForm(request.POST or None)
        context["form"] = form
        if request.method == "POST":
            if form.is_valid():
                try:
                    self_assessments.self_assessment_submit(
                        internship=internship,
                        went_well=form.cleaned_data["went_well"],
                        to_improve=form.cleaned_data["to_improve"],
                        satisfaction=form.cleaned_data["satisfaction"],
                    )
                except ValidationError as exc:
                    validation_error_to_form(form, exc)
                else:
                    context["thanks"] = True
                    context["form"] = SelfAssessmentForm()
            if form.errors:
                status = 400
        context["sent"] = internship.self_assessments.count()
    return _private(request, LEARNER_PAGE, context, status=status)
