"""Project pages: a cohort's projects, a new project or a change to one (with its rubric),
a project's page (assign it to a learner or a group), and evaluating an assignment."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tremplin.core import params
from tremplin.core.forms import validation_error_to_form
from tremplin.core.permissions import acting_user, user_passes
from tremplin.training.forms.projects import (
    CRITERION_ROWS,
    AssignForm,
    CriterionForm,
    EvaluationDateForm,
    ProjectForm,
)
from tremplin.training.models import Cohort, Project
from tremplin.training.selectors import progress as progress_selectors
from tremplin.training.selectors import projects as selectors
from tremplin.training.selectors.access import can_use_training, teaches
from tremplin.training.services import projects as services

use_training = user_passes(can_use_training)


@require_GET
@use_training
def project_list(request: HttpRequest, cohort_id: int) -> HttpResponse:
    user = acting_user(request)
    cohort = progress_selectors.cohort_get(user=user, cohort_id=cohort_id)
    return render(
        request,
        "training/project_list.html",
        {
            "cohort": cohort,
            "projects": selectors.cohort_projects(cohort=cohort),
            "may_edit": teaches(user, cohort),
        },
    )


def _criterion_forms(
    request: HttpRequest, targets: list[progress_selectors.Target], project: Project | None
) -> list[CriterionForm]:
    if request.method == "POST":
        return [
            CriterionForm(request.POST, prefix=f"c{n}", targets=targets)
            for n in range(CRITERION_ROWS)
        ]
    initial: list[dict[str, Any]] = []
    if project is not None:
        for criterion in selectors.project_criteria(project=project):
            lines = sorted(criterion.descriptors.items(), key=lambda kv: int(kv[0]))
            initial.append(
                {
                    "competence": criterion.competence_id,
                    "weight": criterion.weight,
                    "descriptors": "\n".join(f"{k}: {v}" for k, v in lines),
                }
            )
    rows = max(CRITERION_ROWS, len(initial))
    return [
        CriterionForm(
            prefix=f"c{n}", targets=targets, initial=initial[n] if n < len(initial) else None
        )
        for n in range(rows)
    ]


def _project_form(
    request: HttpRequest, user: Any, cohort: Cohort, project: Project | None
) -> HttpResponse:
    if not teaches(user, cohort):
        raise PermissionDenied
    targets = progress_selectors.programme_targets(programme_id=cohort.run.programme_id)
    initial = None
    if project is not None:
        initial = {f: getattr(project, f) for f in ProjectForm.base_fields}
    form = ProjectForm(request.POST or None, initial=initial)
    rows = _criterion_forms(request, targets, project)
    if request.method == "POST":
        rows_valid = all([row.is_valid() for row in rows])
        if form.is_valid() and rows_valid:
            criteria = [
                services.CriterionData(
                    competence=row.cleaned_data["competence"],
                    weight=row.cleaned_data.get("weight") or 1,
                    descriptors=row.cleaned_data["descriptors"],
                )
                for row in rows
                if row.cleaned_data.get("competence") is not None
            ]
            try:
                saved = services.project_save(
                    actor=user,
                    cohort=cohort,
                    project=project,
                    data=services.ProjectData(**form.cleaned_data),
                    criteria=criteria,
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    validation_error_to_form(form, error)
                else:
                    form.add_error(None, error)
            else:
                messages.success(request, _("The project was saved."))
                return redirect("training:project-detail", project_id=saved.pk)
    return render(
        request,
        "training/project_form.html",
        {"cohort": cohort, "project": project, "form": form, "rows": rows, "targets": targets},
    )


@require_http_methods(["GET", "POST"])
@use_training
def project_new(request: HttpRequest, cohort_id: int) -> HttpResponse:
    user = acting_user(request)
    cohort = progress_selectors.cohort_get(user=user, cohort_id=cohort_id)
    return _project_form(request, user, cohort, None)


@require_http_methods(["GET", "POST"])
@use_training
def project_edit(request: HttpRequest, project_id: int) -> HttpResponse:
    user = acting_user(request)
    project = selectors.project_get(user=user, project_id=project_id)
    return _project_form(request, user, project.cohort, project)


@require_http_methods(["GET", "POST"])
@use_training
def project_detail(request: HttpRequest, project_id: int) -> HttpResponse:
    """The project, its rubric and assignments; a POST gives it to learners."""
    user = acting_user(request)
    project = selectors.project_get(user=user, project_id=project_id)
    may_edit = teaches(user, project.cohort)
    learners = [
        e
        for e in progress_selectors.cohort_enrolments(cohort=project.cohort)
        if e.status == e.Status.ACTIVE
    ]
    form = AssignForm(request.POST or None, learners=learners)
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.project_assign(
                    actor=user,
                    project=project,
                    enrolment_ids=[e.pk for e in form.cleaned_data["learners"]],
                    group_name=form.cleaned_data["group_name"],
                )
            except ValidationError as error:
                validation_error_to_form(form, error)
            else:
                messages.success(request, _("The project was given."))
                return redirect("training:project-detail", project_id=project.pk)
    criteria = selectors.project_criteria(project=project)
    return render(
        request,
        "training/project_detail.html",
        {
            "project": project,
            "cohort": project.cohort,
            "criteria": criteria,
            "assignments": selectors.project_assignments(project=project, criteria=criteria),
            "form": form,
            "may_edit": may_edit,
        },
    )


def _level_choices(criterion: Any) -> list[tuple[str, str]]:
    levels = progress_selectors.framework_levels(criterion.competence.framework)
    return [("", "—")] + [(str(lv.number), f"{lv.number} · {lv.name}") for lv in levels]


@require_http_methods(["GET", "POST"])
@use_training
def assignment_evaluate(request: HttpRequest, assignment_id: int) -> HttpResponse:
    user = acting_user(request)
    assignment = selectors.assignment_get(user=user, assignment_id=assignment_id)
    project = assignment.project
    if not teaches(user, project.cohort):
        raise PermissionDenied
    criteria = selectors.project_criteria(project=project)
    held = {e.criterion_id: e for e in assignment.evaluations.all()}
    form = EvaluationDateForm(request.POST or None)
    rows, problems = [], []
    results = []
    for criterion in criteria:
        before = held.get(criterion.pk)
        level_name, comment_name = f"level-{criterion.pk}", f"comment-{criterion.pk}"
        raw = (
            request.POST.get(level_name, "")
            if request.method == "POST"
            else (str(before.level) if before else "")
        )
        comment = (
            request.POST.get(comment_name, "")
            if request.method == "POST"
            else (before.comment if before else "")
        )
        if request.method == "POST" and raw.strip():
            level = params.int_parse(raw, min_value=1, max_value=8)
            if level is None:
                problems.append(
                    _("%(code)s: choose a level from the list.")
                    % {"code": criterion.competence.code}
                )
            else:
                results.append(services.Result(criterion, level, comment.strip()[:4000]))
        descriptors = sorted(criterion.descriptors.items(), key=lambda kv: int(kv[0]))
        rows.append(
            {
                "criterion": criterion,
                "level_name": level_name,
                "comment_name": comment_name,
                "value": raw,
                "comment": comment,
                "choices": _level_choices(criterion),
                "descriptors": descriptors,
            }
        )
    if request.method == "POST" and form.is_valid() and not problems:
        try:
            services.assignment_evaluate(
                actor=user,
                assignment=assignment,
                results=results,
                evaluated_on=form.cleaned_data["evaluated_on"],
            )
        except ValidationError as error:
            problems = list(error.messages)
        else:
            messages.success(request, _("The evaluation was saved."))
            return redirect("training:project-detail", project_id=project.pk)
    return render(
        request,
        "training/project_evaluate.html",
        {
            "assignment": assignment,
            "project": project,
            "cohort": project.cohort,
            "members": list(assignment.members.select_related("person")),
            "rows": rows,
            "form": form,
            "problems": problems,
        },
    )
