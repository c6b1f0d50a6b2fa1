"""A programme's structure: the list of programmes, the structure page, and the pages that
add, change, remove and reorder its periods and modules (and a module's competences)."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tremplin.core import params
from tremplin.core.forms import (
    form_errors_to_messages,
    validation_error_to_form,
    validation_error_to_messages,
)
from tremplin.core.permissions import acting_user, user_passes
from tremplin.network.models import Programme
from tremplin.training.forms.structure import ModuleForm, ModuleTargetForm, PeriodForm
from tremplin.training.models import Period
from tremplin.training.selectors import structure as selectors
from tremplin.training.selectors.access import can_manage_training, can_use_training
from tremplin.training.services import structure as services
from tremplin.training.services.structure import Direction


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down")])


def _back(programme_id: int, anchor: str = "") -> HttpResponse:
    url = reverse("training:programme-structure", kwargs={"programme_id": programme_id})
    return redirect(f"{url}#{anchor}" if anchor else url)


def _removed(
    request: HttpRequest, remove: Callable[[], object], *, programme_id: int, anchor: str, done: str
) -> HttpResponse:
    """Run a removal: its refusal is shown at the record, its success at the top."""
    try:
        remove()
    except ValidationError as error:
        validation_error_to_messages(request, error)
        return _back(programme_id, anchor)
    messages.success(request, done)
    return _back(programme_id)


def _moved(
    request: HttpRequest, move: Callable[[Direction], bool], *, programme_id: int, anchor: str
) -> HttpResponse:
    form = MoveForm(request.POST)
    if form.is_valid():
        move(form.cleaned_data["direction"])
    else:
        form_errors_to_messages(request, form)
    return _back(programme_id, anchor)


@user_passes(can_use_training)
def structure_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    programmes = list(selectors.structure_programmes(user=user))
    return render(request, "training/structure_list.html", {"programmes": programmes})


@user_passes(can_use_training)
def programme_structure(request: HttpRequest, programme_id: int) -> HttpResponse:
    user = acting_user(request)
    programme = selectors.structure_programme_get(user=user, programme_id=programme_id)
    return render(
        request,
        "training/programme_structure.html",
        {
            "programme": programme,
            "structure": selectors.programme_structure(programme=programme),
            "can_edit": selectors.can_edit_structure(user, programme),
        },
    )


# --- periods ------------------------------------------------------------------------------


def _period_page(
    request: HttpRequest, programme: Programme, form: PeriodForm, period: Period | None
) -> HttpResponse:
    return render(
        request,
        "training/period_form.html",
        {"programme": programme, "form": form, "period": period},
    )


@require_http_methods(["GET", "POST"])
@user_passes(can_manage_training)
def period_create(request: HttpRequest, programme_id: int) -> HttpResponse:
    user = acting_user(request)
    programme = selectors.structure_programme_get(user=user, programme_id=programme_id, edit=True)
    form = PeriodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            period = services.period_create(
                actor=user,
                programme=programme,
                title=data["title"],
                kind=data["kind"],
                weeks=data["weeks"],
            )
        except ValidationError as error:
            validation_error_to_form(form, error)
        else:
            messages.success(request, _("The period is added."))
            return _back(programme.pk, f"period-{period.pk}")
    return _period_page(request, programme, form, None)


@require_http_methods(["GET", "POST"])
@user_passes(can_manage_training)
def period_edit(request: HttpRequest, period_id: int) -> HttpResponse:
    user = acting_user(request)
    period = selectors.period_get(user=user, period_id=period_id)
    form = PeriodForm(request.POST or None, initial=PeriodForm.initial_for(period))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.period_update(
                actor=user,
                period=period,
                title=data["title"],
                kind=data["kind"],
                weeks=data["weeks"],
            )
        except ValidationError as error:
            validation_error_to_form(form, error)
        else:
            messages.success(request, _("The period is saved."))
            return _back(period.programme_id, f"period-{period.pk}")
    return _period_page(request, period.programme, form, period)


@require_POST
@user_passes(can_manage_training)
def period_remove(request: HttpRequest, period_id: int) -> HttpResponse:
    user = acting_user(request)
    period = selectors.period_get(user=user, period_id=period_id)
    return _removed(
        request,
        lambda: services.period_remove(actor=user, period=period),
        programme_id=period.programme_id,
        anchor=f"period-{period.pk}",
        done=_("The period is removed; its modules are now in no period."),
    )


@require_POST
@user_passes(can_manage_training)
def period_move(request: HttpRequest, period_id: int) -> HttpResponse:
    user = acting_user(request)
    period = selectors.period_get(user=user, period_id=period_id)
    return _moved(
        request,
        lambda direction: services.period_move(actor=user, period=period, direction=direction),
        programme_id=period.programme_id,
        anchor=f"period-{period.pk}",
    )


# --- modules ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@user_passes(can_manage_training)
def module_create(request: HttpRequest, programme_id: int) -> HttpResponse:
    user = acting_user(request)
    programme = selectors.structure_programme_get(user=user, programme_id=programme_id, edit=True)
    periods = list(programme.periods.order_by("position"))
    period_id = params.id_param(request.GET, "period")  # "add a module" from a period
    initial = {"period": period_id} if period_id else {}
    form = ModuleForm(request.POST or None, periods=periods, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            module = services.module_create(
                actor=user,
                programme=programme,
                title=data["title"],
                kind=data["kind"],
                hours=data["hours"],
                period=form.chosen_period(),
                summary=data["summary"],
            )
        except ValidationError as error:
            validation_error_to_form(form, error)
        else:
            messages.success(request, _("The module is added."))
            return redirect("training:module-targets", module_id=module.pk)
    return render(
        request,
        "training/module_form.html",
        {"programme": programme, "form": form, "module": None},
    )


@require_http_methods(["GET", "POST"])
@user_passes(can_manage_training)
def module_edit(request: HttpRequest, module_id: int) -> HttpResponse:
    user = acting_user(request)
    module = selectors.module_get(user=user, module_id=module_id)
    periods = list(module.programme.periods.order_by("position"))
    form = ModuleForm(request.POST or None, periods=periods, initial=ModuleForm.initial_for(module))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.module_update(
                actor=user,
                module=module,
                title=data["title"],
                kind=data["kind"],
                hours=data["hours"],
                period=form.chosen_period(),
                summary=data["summary"],
            )
        except ValidationError as error:
            validation_error_to_form(form, error)
        else:
            messages.success(request, _("The module is saved."))
            return _back(module.programme_id, f"module-{module.pk}")
    return render(
        request,
        "training/module_form.html",
        {"programme": module.programme, "form": form, "module": module},
    )


@require_POST
@user_passes(can_manage_training)
def module_remove(request: HttpRequest, module_id: int) -> HttpResponse:
    user = acting_user(request)
    module = selectors.module_get(user=user, module_id=module_id)
    return _removed(
        request,
        lambda: services.module_remove(actor=user, module=module),
        programme_id=module.programme_id,
        anchor=f"module-{module.pk}",
        done=_("The module is removed."),
    )


@require_POST
@user_passes(can_manage_training)
def module_move(request: HttpRequest, module_id: int) -> HttpResponse:
    user = acting_user(request)
    module = selectors.module_get(user=user, module_id=module_id)
    return _moved(
        request,
        lambda direction: services.module_move(actor=user, module=module, direction=direction),
        programme_id=module.programme_id,
        anchor=f"module-{module.pk}",
    )


class TargetRemoveForm(forms.Form):
    target = forms.IntegerField(min_value=1)


@require_http_methods(["GET", "POST"])
@user_passes(can_manage_training)
def module_targets(request: HttpRequest, module_id: int) -> HttpResponse:
    """The competences a module aims at: add one (or change its level), remove one."""
    user = acting_user(request)
    module = selectors.module_get(user=user, module_id=module_id)
    frameworks = selectors.competence_frameworks(programme=module.programme)
    form = ModuleTargetForm(frameworks=frameworks)
    if request.method == "POST" and request.POST.get("action") == "remove":
        remove = TargetRemoveForm(request.POST)
        if remove.is_valid() and services.module_target_remove(
            actor=user, module=module, target_id=remove.cleaned_data["target"]
        ):
            messages.success(request, _("The module no longer aims at this competence."))
        return redirect("training:module-targets", module_id=module.pk)
    if request.method == "POST":
        form = ModuleTargetForm(request.POST, frameworks=frameworks)
        if form.is_valid():
            competence = selectors.competence_pick(
                frameworks=frameworks, competence_id=form.cleaned_data["competence"]
            )
            if competence is None:
                form.add_error("competence", _("Competence: choose one."))
            else:
                try:
                    services.module_target_set(
                        actor=user,
                        module=module,
                        competence=competence,
                        level=form.cleaned_data["level"],
                    )
                except ValidationError as error:
                    validation_error_to_form(form, error)
                else:
                    messages.success(request, _("The competence aimed at is saved."))
                    return redirect("training:module-targets", module_id=module.pk)
    targets = [
        (target, selectors.competence_words(target.competence))
        for target in selectors.module_targets(module=module)
    ]
    return render(
        request,
        "training/module_targets.html",
        {"module": module, "programme": module.programme, "form": form, "targets": targets},
    )
