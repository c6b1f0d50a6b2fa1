"""Progress pages: a trainer's assessment grid for a cohort, the cohort's heat map, a
learner's profile (and removing a wrong piece of evidence), and the learner's own page on
their private link."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tremplin.core.forms import validation_error_to_form
from tremplin.core.permissions import acting_user, user_passes
from tremplin.network.languages import applicant_language_activate
from tremplin.training.forms.progress import (
    AssessmentForm,
    EvidenceRemoveForm,
    cell_name,
    grid_levels,
)
from tremplin.training.selectors import progress as selectors
from tremplin.training.selectors.access import can_use_training, teaches
from tremplin.training.selectors.learners import enrolment_for_token
from tremplin.training.services import evidence as services

use_training = user_passes(can_use_training)


def _grid_rows(
    targets: list[selectors.Target],
    learners: list[Any],
    chosen: dict[str, str],
    latest: dict[tuple[int, int], int],
) -> list[dict[str, Any]]:
    levels = selectors.frameworks_levels(targets)
    rows = []
    for target in targets:
        cells = []
        for learner in learners:
            name = cell_name(learner.pk, target.competence.pk)
            cells.append(
                {
                    "name": name,
                    "learner": learner,
                    "value": chosen.get(name, ""),
                    "latest": latest.get((learner.pk, target.competence.pk)),
                }
            )
        rows.append(
            {"target": target, "levels": levels[target.competence.framework_id], "cells": cells}
        )
    return rows


@require_http_methods(["GET", "POST"])
@use_training
def cohort_assess(request: HttpRequest, cohort_id: int) -> HttpResponse:
    user = acting_user(request)
    cohort = selectors.cohort_get(user=user, cohort_id=cohort_id)
    if not teaches(user, cohort):
        raise PermissionDenied
    targets, learners, latest = selectors.assessment_grid(cohort=cohort)
    form = AssessmentForm(request.POST or None)
    chosen: dict[str, str] = {}
    problems: list[str] = []
    if request.method == "POST":
        chosen = {k: str(v) for k, v in request.POST.items() if k.startswith("level-")}
        levels, problems = grid_levels(request.POST, learners=learners, targets=targets)
        if form.is_valid() and not problems:
            try:
                count = services.assessment_save(
                    actor=user,
                    cohort=cohort,
                    levels=levels,
                    assessed_on=form.cleaned_data["assessed_on"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    validation_error_to_form(form, error)
                else:
                    problems = list(error.messages)
            else:
                messages.success(
                    request,
                    ngettext("%(count)s level recorded.", "%(count)s levels recorded.", count)
                    % {"count": count},
                )
                return redirect("training:cohort-heatmap", cohort_id=cohort.pk)
    return render(
        request,
        "training/progress_assess.html",
        {
            "cohort": cohort,
            "form": form,
            "learners": learners,
            "rows": _grid_rows(targets, learners, chosen, latest),
            "problems": problems,
            "may_assess": True,
        },
    )


@require_GET
@use_training
def cohort_heatmap(request: HttpRequest, cohort_id: int) -> HttpResponse:
    user = acting_user(request)
    cohort = selectors.cohort_get(user=user, cohort_id=cohort_id)
    heatmap = selectors.cohort_heatmap(cohort=cohort)
    return render(
        request,
        "training/progress_heatmap.html",
        {"cohort": cohort, "heatmap": heatmap, "may_assess": teaches(user, cohort)},
    )


@require_GET
@use_training
def enrolment_progress(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    user = acting_user(request)
    enrolment = selectors.enrolment_get(user=user, enrolment_id=enrolment_id)
    return render(
        request,
        "training/progress_profile.html",
        {
            "enrolment": enrolment,
            "cohort": enrolment.cohort,
            "rows": selectors.learner_profile(enrolment=enrolment),
            "may_assess": teaches(user, enrolment.cohort),
            "remove_form": EvidenceRemoveForm(),
        },
    )


@require_POST
@use_training
def evidence_remove(request: HttpRequest, evidence_id: int) -> HttpResponse:
    user = acting_user(request)
    evidence = selectors.evidence_get(user=user, evidence_id=evidence_id)
    enrolment_id = evidence.enrolment_id
    form = EvidenceRemoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why this evidence is wrong: nothing was removed."))
        return redirect("training:enrolment-progress", enrolment_id=enrolment_id)
    try:
        services.evidence_remove(actor=user, evidence=evidence, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The evidence was removed."))
    return redirect("training:enrolment-progress", enrolment_id=enrolment_id)


# applicant-facing: start (docs/languages.md)
@require_GET
def learner_progress(request: HttpRequest, token: str) -> HttpResponse:
    """The learner's own progress, on their phone, from their private link (no account)."""
    enrolment = enrolment_for_token(token=token)
    application = enrolment.application
    preferred = application.language if application is not None else ""
    applicant_language_activate(
        request, enrolment.cohort.run.programme.organisation, preferred=preferred or ""
    )
    rows = selectors.learner_profile(enrolment=enrolment)
    return render(
        request,
        "training/learner_progress.html",
        {
            "enrolment": enrolment,
            "rows": rows,
            "reached": sum(1 for row in rows if row.reached),
        },
    )


# applicant-facing: end
