"""Pages for interviewers and field investigators: only what they are asked to do."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.core import params
from tremplin.core.forms import validation_error_by_field
from tremplin.core.permissions import acting_user, user_passes
from tremplin.selection import appointment_selectors, selectors
from tremplin.selection.scorecards import weighted_mark
from tremplin.selection.services import interviews as interview_services
from tremplin.selection.services import investigations as investigation_services

use_selection = user_passes(selectors.can_use_selection)


@use_selection
def my_work(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    return render(
        request,
        "selection/my_work.html",
        {
            "interviews": list(selectors.interview_assignments_for(user=user)),
            "investigations": list(selectors.investigations_for(user=user)),
            "appointments": list(appointment_selectors.upcoming_appointments_for(user=user)),
        },
    )


@use_selection
def interview_mark(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """The scorecard: one mark per criterion with what each mark means. The other raters'
    marks appear only once this rater has sent theirs."""
    user = acting_user(request)
    assignment = selectors.interview_assignment_get(user=user, assignment_id=assignment_id)
    criteria = list(assignment.stage.criteria.all())
    errors: dict[str, str] = {}
    if request.method == "POST" and assignment.submitted_at is None:
        marks = {}
        for criterion in criteria:
            mark = params.int_param(
                request.POST, f"criterion_{criterion.pk}", min_value=0, max_value=1000
            )
            if mark is not None:
                marks[criterion.pk] = mark
        try:
            interview_services.interview_submit(
                actor=user,
                assignment=assignment,
                marks=marks,
                comment=request.POST.get("comment", ""),
            )
        except ValidationError as exc:
            errors = {k: " ".join(v) for k, v in validation_error_by_field(exc).items()}
        else:
            messages.success(request, _("Your marks are sent."))
            return redirect("selection:interview-mark", assignment_id=assignment.pk)
    others: list[dict[str, Any]] = []
    mine: dict[int, int] = {}
    if assignment.submitted_at is not None:
        weights = {c.pk: float(c.weight) for c in criteria}
        mine = dict(assignment.ratings.values_list("criterion_id", "value"))
        for other, marks in selectors.interview_panel(user=user, assignment=assignment):
            others.append(
                {
                    "rater": other.rater,
                    "mine": other.pk == assignment.pk,
                    "submitted": other.submitted_at is not None,
                    "marks": [marks.get(c.pk) for c in criteria],
                    "total": round(weighted_mark(marks, weights), 2)
                    if set(marks) == set(weights)
                    else None,
                    "comment": other.comment,
                }
            )
    rows = [
        {
            "criterion": c,
            "anchors": list(enumerate(c.anchors, start=1)),
            "error": errors.get(f"criterion_{c.pk}"),
            "value": request.POST.get(f"criterion_{c.pk}", "") or str(mine.get(c.pk, "")),
        }
        for c in criteria
    ]
    return render(
        request,
        "selection/interview_mark.html",
        {
            "assignment": assignment,
            "application": assignment.application,
            "rows": rows,
            "others": others,
            "criteria": criteria,
            "error": errors.get("__all__"),
        },
    )


@use_selection
def investigation_fill(request: HttpRequest, investigation_id: int) -> HttpResponse:
    """The home-visit questionnaire, on a phone, in the field."""
    user = acting_user(request)
    investigation = selectors.investigation_get(user=user, investigation_id=investigation_id)
    questions = investigation.stage.questionnaire
    errors: dict[str, str] = {}
    values: dict[str, Any] = json.loads(investigation.answers) if investigation.answers else {}
    visited_on = request.POST.get("visited_on", "") or (
        investigation.visited_on.isoformat()
        if investigation.visited_on
        else timezone.localdate().isoformat()
    )
    if request.method == "POST" and investigation.submitted_at is None:
        values = {q["key"]: request.POST.get(q["key"], "") for q in questions}
        try:
            visit = dt.date.fromisoformat(visited_on)
        except ValueError:
            errors["visited_on"] = _("Enter the date of the visit.")
        else:
            try:
                investigation_services.investigation_submit(
                    actor=user, investigation=investigation, answers=values, visited_on=visit
                )
            except ValidationError as exc:
                errors = {k: " ".join(v) for k, v in validation_error_by_field(exc).items()}
            else:
                messages.success(request, _("The visit is recorded."))
                return redirect("selection:investigation-fill", investigation_id=investigation.pk)
    rows = [
        {
            "question": q,
            "value": values.get(q["key"], ""),
            "error": errors.get(q["key"]),
        }
        for q in questions
    ]
    return render(
        request,
        "selection/investigation_fill.html",
        {
            "investigation": investigation,
            "application": investigation.application,
            "rows": rows,
            "visited_on": visited_on,
            "visited_on_error": errors.get("visited_on"),
            "appointments": [
                (appointment, appointment.staff.filter(pk=user.pk).exists())
                for appointment in investigation.application.appointments.filter(
                    stage=investigation.stage
                )
            ],
        },
    )
