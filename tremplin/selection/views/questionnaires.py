"""The home-visit questionnaire's builder: questions, kinds, choices, points and order edited
as forms; the JSON file stays for import and export."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tremplin.core.permissions import acting_user
from tremplin.selection import selectors
from tremplin.selection.models import Stage, StageKind
from tremplin.selection.questionnaire_builder import (
    QuestionFormSet,
    QuestionnaireImportForm,
    error_summary,
    formset_initial,
    questions_from,
)
from tremplin.selection.services import stages as stage_services
from tremplin.selection.views.access import call_to_manage, run_selection

PREFIX = "q"


def _stage(request: HttpRequest, call_id: int, stage_id: int) -> Stage:
    call = call_to_manage(request, call_id)
    return selectors.stage_get(call=call, stage_id=stage_id, kind=StageKind.SOCIAL_INVESTIGATION)


def _import(request: HttpRequest, stage: Stage, form: QuestionnaireImportForm) -> bool:
    """Replace the questions by those of the uploaded JSON file; errors go on the form."""
    if not form.is_valid():
        return False
    try:
        questions = json.loads(form.cleaned_data["file"].read().decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        form.add_error("file", _("This file is not a questionnaire exported as JSON."))
        return False
    try:
        stage_services.stage_update(
            actor=acting_user(request), stage=stage, values={"questionnaire": questions}
        )
    except ValidationError as exc:
        form.add_error("file", exc)
        return False
    return True


@run_selection
def stage_questionnaire(request: HttpRequest, call_id: int, stage_id: int) -> HttpResponse:
    stage = _stage(request, call_id, stage_id)
    import_form = QuestionnaireImportForm()
    initial = formset_initial(stage.questionnaire)
    formset = QuestionFormSet(initial=initial, prefix=PREFIX)
    errors: list[str] = []
    if request.method == "POST" and "file" in request.FILES:
        import_form = QuestionnaireImportForm(request.POST, request.FILES)
        if _import(request, stage, import_form):
            messages.success(request, _("Questionnaire imported."))
            return redirect(request.path)
    elif request.method == "POST":
        formset = QuestionFormSet(request.POST, prefix=PREFIX)
        if formset.is_valid():
            try:
                stage_services.stage_update(
                    actor=acting_user(request),
                    stage=stage,
                    values={"questionnaire": questions_from(formset)},
                )
            except ValidationError as exc:
                errors = [str(m) for m in exc.messages]
            else:
                messages.success(request, _("Questionnaire saved."))
                return redirect(request.path)
        else:
            errors = error_summary(formset)
    return render(
        request,
        "selection/questionnaire.html",
        {
            "call": stage.call,
            "stage": stage,
            "formset": formset,
            "errors": errors,
            "import_form": import_form,
        },
    )


@run_selection
def stage_questionnaire_export(request: HttpRequest, call_id: int, stage_id: int) -> HttpResponse:
    stage = _stage(request, call_id, stage_id)
    response = HttpResponse(
        json.dumps(stage.questionnaire, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="questionnaire-{stage.pk}.json"'
    return response
