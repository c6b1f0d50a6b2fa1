"""The end-of-course survey's pages: the learner's answer (a light page opened from their
private link), sending it for a cohort, and the results per cohort and per trainer."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_POST

from tremplin.core import params
from tremplin.core.forms import validation_error_to_form, validation_error_to_messages
from tremplin.core.listing import paginate_sorted
from tremplin.core.permissions import acting_user, user_passes
from tremplin.network.languages import applicant_language_activate
from tremplin.training.forms.surveys import (
    QUESTIONS,
    RECOMMEND,
    SATISFACTION,
    SHORT,
    SurveyAnswerForm,
)
from tremplin.training.selectors import surveys as selectors
from tremplin.training.selectors.learners import enrolment_for_token
from tremplin.training.services import surveys as services

see_results = user_passes(selectors.can_see_results)


def _shown(results: selectors.Results) -> list[dict[str, Any]]:
    """Each question with its average and its answers from 5 down to 1, in words."""
    shown = []
    for question in results.questions:
        words = dict(RECOMMEND if question.name == "recommend" else SATISFACTION)
        shown.append(
            {
                "short": SHORT[question.name],
                "text": QUESTIONS[question.name],
                "average": question.average,
                "rows": [(v, words[v], c, p) for v, c, p in reversed(question.distribution)],
            }
        )
    return shown


@see_results
def survey_results(request: HttpRequest) -> HttpResponse:
    """The overview (every cohort and trainer), or one group's results: ``?cohort=<id>`` or
    ``?trainer=<id>``."""
    user = acting_user(request)
    cohort_id = params.id_param(request.GET, "cohort")
    trainer_id = params.id_param(request.GET, "trainer")
    context: dict[str, Any] = {"short": SHORT, "questions": QUESTIONS}
    if cohort_id is not None:
        cohort = selectors.cohort_for_results(user=user, cohort_id=cohort_id)
        results = selectors.cohort_results(user=user, cohort=cohort)
        context |= {"cohort": cohort, "results": results, "shown": _shown(results)}
        return render(request, "training/surveys/results_group.html", context)
    if trainer_id is not None:
        trainer = selectors.trainer_for_results(user=user, trainer_id=trainer_id)
        results = selectors.trainer_results(user=user, trainer=trainer)
        context |= {"trainer": trainer, "results": results, "shown": _shown(results)}
        return render(request, "training/surveys/results_group.html", context)
    listing = paginate_sorted(
        request,
        selectors.cohorts_for_results(user=user),
        sorts={"starts": ("starts_on",), "title": ("title",), "site": ("run__site__name",)},
        default="-starts",
    )
    overview = selectors.cohort_overview(cohort_ids=[c.pk for c in listing.page])
    for cohort in listing.page:
        cohort.overview = overview.get(cohort.pk)
    context |= {
        "listing": listing,
        "trainers": selectors.trainer_overview(user=user),
        "threshold": selectors.threshold(),
    }
    return render(request, "training/surveys/results.html", context)


@require_POST
@see_results
def survey_send(request: HttpRequest, cohort_id: int) -> HttpResponse:
    user = acting_user(request)
    cohort = selectors.cohort_for_results(user=user, cohort_id=cohort_id)
    try:
        count = services.surveys_send_for_cohort(
            actor=user, cohort=cohort, base_url=request.build_absolute_uri("/")
        )
    except ValidationError as exc:
        validation_error_to_messages(request, exc)
    else:
        messages.success(
            request,
            translation.ngettext(
                "The survey is sent to %(count)d learner.",
                "The survey is sent to %(count)d learners.",
                count,
            )
            % {"count": count},
        )
    return redirect(reverse("training:survey-results") + f"?cohort={cohort.pk}")


# applicant-facing: start (docs/languages.md)
def survey_answer(request: HttpRequest, token: str) -> HttpResponse:
    """The learner's survey, on their phone, in their language."""
    enrolment = enrolment_for_token(token=token)
    application = enrolment.application
    language = applicant_language_activate(
        request,
        enrolment.cohort.run.site.organisation,
        preferred=application.language if application is not None else "",
    )
    context: dict[str, Any] = {"enrolment": enrolment, "state": "form"}
    if selectors.survey_answered(enrolment):
        context["state"] = "answered"
    elif not selectors.survey_is_open(enrolment):
        context["state"] = "closed"
    else:
        form = SurveyAnswerForm(request.POST or None)
        context["form"] = form
        if request.method == "POST" and form.is_valid():
            try:
                services.survey_answer(
                    enrolment=enrolment, answers=form.answers(), language=language
                )
            except ValidationError as exc:
                validation_error_to_form(form, exc)
            else:
                context["state"] = "thanks"
    status = 400 if context.get("form") is not None and context["form"].errors else 200
    return render(request, "training/surveys/answer.html", context, status=status)


# applicant-facing: end
