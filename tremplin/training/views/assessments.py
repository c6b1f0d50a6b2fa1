"""Assessments: set up with the programme's structure; results entered per cohort as one
grid by the cohort's trainers (or who manages its site)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from tremplin.core.forms import validation_error_to_form, validation_error_to_messages
from tremplin.core.listing import paginate_sorted
from tremplin.core.permissions import acting_user, user_passes
from tremplin.network.models import Programme
from tremplin.training.forms.assessments import AssessmentForm, ResultsForm
from tremplin.training.models import Assessment
from tremplin.training.selectors import access, transcripts
from tremplin.training.selectors import structure as structure_selectors
from tremplin.training.services import assessments as services


def _assessment_page(
    request: HttpRequest, programme: Programme, assessment: Assessment | None
) -> HttpResponse:
    user = acting_user(request)
    periods = list(programme.periods.order_by("position"))
    modules = list(programme.modules.order_by("position", "pk"))
    form = AssessmentForm(
        request.POST or None,
        periods=periods,
        modules=modules,
        initial=AssessmentForm.initial_for(assessment),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        period, module = form.chosen()
        try:
            saved = services.assessment_save(
                actor=user,
                programme=programme,
                title=data["title"],
                kind=data["kind"],
                period=period,
                module=module,
                max_score=data["max_score"],
                pass_mark=data["pass_mark"],
                weight=data["weight"],
                assessment=assessment,
            )
        except ValidationError as error:
            validation_error_to_form(form, error)
        else:
            messages.success(request, _("The assessment is saved."))
            url = reverse("training:programme-structure", kwargs={"programme_id": programme.pk})
            return redirect(f"{url}#assessment-{saved.pk}")
    return render(
        request,
        "training/assessment_form.html",
        {"programme": programme, "form": form, "assessment": assessment},
    )


@require_http_methods(["GET", "POST"])
@user_passes(access.can_manage_training)
def assessment_create(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = structure_selectors.structure_programme_get(
        user=acting_user(request), programme_id=programme_id, edit=True
    )
    return _assessment_page(request, programme, None)


@require_http_methods(["GET", "POST"])
@user_passes(access.can_manage_training)
def assessment_edit(request: HttpRequest, assessment_id: int) -> HttpResponse:
    assessment = structure_selectors.assessment_get(
        user=acting_user(request), assessment_id=assessment_id
    )
    return _assessment_page(request, assessment.programme, assessment)


@require_POST
@user_passes(access.can_manage_training)
def assessment_remove(request: HttpRequest, assessment_id: int) -> HttpResponse:
    user = acting_user(request)
    assessment = structure_selectors.assessment_get(user=user, assessment_id=assessment_id)
    try:
        services.assessment_remove(actor=user, assessment=assessment)
    except ValidationError as error:
        validation_error_to_messages(request, error)
    else:
        messages.success(request, _("The assessment is removed."))
    return redirect("training:programme-structure", programme_id=assessment.programme_id)


@user_passes(access.can_use_training)
def assessment_cohorts(request: HttpRequest) -> HttpResponse:
    """The cohorts the user sees, to pick one and enter or read its results."""
    listing = paginate_sorted(
        request,
        transcripts.cohorts_with_assessments(user=acting_user(request)),
        sorts={
            "dates": ("starts_on", "title"),
            "title": ("title",),
            "programme": ("run__programme__title", "title"),
            "site": ("run__site__name", "title"),
        },
        default="-dates",
    )
    return render(request, "training/assessment_cohorts.html", {"listing": listing})


@user_passes(access.can_use_training)
def cohort_assessments(request: HttpRequest, cohort_id: int) -> HttpResponse:
    """A cohort's assessments (with how many results are in) and its learners' transcripts."""
    user = acting_user(request)
    cohort = transcripts.cohort_get(user=user, cohort_id=cohort_id)
    return render(
        request,
        "training/cohort_assessments.html",
        {
            "cohort": cohort,
            "assessments": transcripts.cohort_assessments(cohort=cohort),
            "learners": transcripts.result_rows_enrolments(cohort=cohort),
            "may_enter": access.teaches(user, cohort),
        },
    )


@require_http_methods(["GET", "POST"])
@user_passes(access.can_use_training)
def assessment_results(request: HttpRequest, cohort_id: int, assessment_id: int) -> HttpResponse:
    """The results grid: one row per learner; saved all together or not at all."""
    user = acting_user(request)
    cohort = transcripts.cohort_get(user=user, cohort_id=cohort_id)
    assessment = transcripts.cohort_assessment_get(cohort=cohort, assessment_id=assessment_id)
    may_enter = access.teaches(user, cohort)
    if request.method == "POST" and not may_enter:
        raise PermissionDenied
    rows = transcripts.results_grid(cohort=cohort, assessment=assessment)
    data = request.POST if request.method == "POST" else None  # all empty: still a save
    form = ResultsForm(data, assessment=assessment, rows=rows)
    if request.method == "POST":
        if form.is_valid():
            try:
                changed = services.assessment_results_record(
                    actor=user, cohort=cohort, assessment=assessment, scores=form.scores()
                )
            except ValidationError as error:
                validation_error_to_form(form, error)
            else:
                messages.success(
                    request,
                    ngettext("%(count)s result saved.", "%(count)s results saved.", changed)
                    % {"count": changed}
                    if changed
                    else _("Nothing changed."),
                )
                return redirect("training:cohort-assessments", cohort_id=cohort.pk)
        if form.errors:
            form.add_error(
                None,
                ngettext(
                    "Nothing was saved: %(count)s row needs correcting.",
                    "Nothing was saved: %(count)s rows need correcting.",
                    len(form.errors),
                )
                % {"count": len(form.errors)},
            )
    return render(
        request,
        "training/assessment_results.html",
        {
            "cohort": cohort,
            "assessment": assessment,
            "form": form,
            "rows": form.bound_rows(),
            "may_enter": may_enter,
        },
    )
