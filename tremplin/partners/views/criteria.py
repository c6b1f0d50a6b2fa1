"""A programme's evaluation criteria: what company tutors rate (managers)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tremplin.core.forms import validation_error_to_form
from tremplin.core.permissions import acting_user, user_passes
from tremplin.network.models import Programme
from tremplin.partners.forms.during import SKILL_LANGUAGES, EvaluationCriteriaForm
from tremplin.partners.models import CriterionKind
from tremplin.partners.selectors import follow_up as selectors
from tremplin.partners.services.evaluation_criteria import evaluation_criteria_save


def _initial(programme: Programme) -> dict[str, object]:
    saved = selectors.programme_criteria(programme)
    soft = [c for c in saved if c.kind == CriterionKind.SOFT_SKILL]
    initial: dict[str, object] = {
        "competences": [c.competence_id for c in saved if c.kind == CriterionKind.COMPETENCE]
    }
    for code, _label in SKILL_LANGUAGES:
        initial[f"soft_{code}"] = "\n".join(str(c.label.get(code, "")) for c in soft).strip()
    return initial


@user_passes(selectors.can_set_criteria)
def evaluation_criteria(request: HttpRequest, programme_id: int) -> HttpResponse:
    user = acting_user(request)
    programme = selectors.programme_for_criteria(user=user, programme_id=programme_id)
    competences = selectors.programme_competences(programme)
    form = EvaluationCriteriaForm(
        request.POST or None, competences=competences, initial=_initial(programme)
    )
    if request.method == "POST" and form.is_valid():
        try:
            evaluation_criteria_save(
                actor=user,
                programme=programme,
                competence_ids=[c.pk for c in form.cleaned_data["competences"]],
                soft_skills=form.soft_skills(),
            )
        except ValidationError as exc:
            validation_error_to_form(form, exc)
        else:
            messages.success(request, _("The evaluation criteria are saved."))
            return redirect("partners:evaluation-criteria", programme_id=programme.pk)
    return render(
        request,
        "partners/during/criteria.html",
        {
            "programme": programme,
            "form": form,
            "criteria": selectors.criteria_for(programme),
            "defaults": selectors.DEFAULT_SOFT_SKILLS,
        },
        status=400 if request.method == "POST" else 200,
    )
