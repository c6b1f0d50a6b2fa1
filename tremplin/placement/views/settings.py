"""Each programme's placement test settings and the competences it aims at. Reading is for who
may read the organisation's bank; writing for who manages it (site managers, network admins);
a programme of another organisation is not found (404)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tremplin.core import params
from tremplin.core.forms import validation_error_to_form
from tremplin.core.levels import band_label
from tremplin.core.listing import paginate_sorted
from tremplin.core.permissions import acting_user, user_passes
from tremplin.placement.forms.settings import SetupForm, TargetForm, setup_field
from tremplin.placement.models import PlacementSetup, translated
from tremplin.placement.selectors import access
from tremplin.placement.selectors import settings as selectors
from tremplin.placement.services import settings as services
from tremplin.placement.services import targets as target_services

read_bank = user_passes(access.can_read_bank)
manage_bank = user_passes(access.can_manage_bank)


def _groups_words(setup: PlacementSetup) -> list[dict[str, Any]]:
    return [
        {"name": band_label(group.name), "cut_off": group.cut_off, "theta": group.theta}
        for group in services.groups_of(setup)
    ]


@require_GET
@read_bank
def setup_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    programmes = selectors.bank_programmes_listed(user=user)
    listing = paginate_sorted(
        request,
        programmes,
        sorts={"title": ("title",), "organisation": ("organisation__name", "title")},
        default="organisation",
    )
    rows = []
    for programme in listing.page.object_list:
        setup = getattr(programme, "placement_setup", None) or PlacementSetup(programme=programme)
        rows.append(
            {
                "programme": programme,
                "setup": setup,
                "custom": setup.pk is not None,
                "groups": _groups_words(setup),
                "borderline": round(setup.borderline_below * 100),
                "targets": programme.target_count,
                "can_manage": access.may_in(user, programme.organisation_id, access.MANAGE_ROLES),
            }
        )
    return render(
        request,
        "placement/setup_list.html",
        {
            "listing": listing,
            "rows": rows,
            "several": access.organisations_for(user=user).count() > 1,
        },
    )


@require_http_methods(["GET", "POST"])
@manage_bank
def setup_edit(request: HttpRequest, programme_id: int) -> HttpResponse:
    user = acting_user(request)
    programme = selectors.bank_programme_get(user=user, programme_id=programme_id, manage=True)
    setup = selectors.setup_of(programme)
    if request.method == "POST":
        form = SetupForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.setup_update(
                    actor=user,
                    programme=programme,
                    se_target=data["se_target"],
                    max_items=data["max_items"],
                    borderline_below=Decimal(data["borderline"]) / 100,
                    groups=form.groups(),
                )
            except ValidationError as error:
                validation_error_to_form(form, error, field_of=setup_field)
            else:
                messages.success(request, _("The test settings are saved."))
                return redirect("placement:setup-list")
    else:
        form = SetupForm(initial=SetupForm.initial_for(setup))
    return render(
        request,
        "placement/setup_edit.html",
        {
            "programme": programme,
            "form": form,
            "groups": _groups_words(setup),
            "target_count": selectors.targets_of(programme).count(),
        },
    )


@require_http_methods(["GET", "POST"])
@manage_bank
def target_edit(request: HttpRequest, programme_id: int) -> HttpResponse:
    user = acting_user(request)
    programme = selectors.bank_programme_get(user=user, programme_id=programme_id, manage=True)
    frameworks = list(selectors.target_frameworks(programme))
    form = TargetForm(frameworks=frameworks)
    if request.method == "POST" and request.POST.get("action") == "remove":
        target = selectors.target_get(
            programme=programme, target_id=params.id_param(request.POST, "target") or 0
        )
        target_services.target_remove(actor=user, target=target)
        messages.success(request, _("The competence is no longer aimed at."))
        return redirect("placement:target-edit", programme_id=programme.pk)
    if request.method == "POST":
        form = TargetForm(request.POST, frameworks=frameworks)
        if form.is_valid():
            competence = selectors.target_competence(
                frameworks=frameworks, competence_id=form.cleaned_data["competence"]
            )
            if competence is None:
                form.add_error("competence", _("Competence: choose one."))
            else:
                try:
                    target_services.target_set(
                        actor=user,
                        programme=programme,
                        competence=competence,
                        level=form.cleaned_data["level"],
                        module=form.cleaned_data.get("module") or "",
                    )
                except ValidationError as error:
                    validation_error_to_form(form, error)
                else:
                    messages.success(request, _("The competence aimed at is saved."))
                    return redirect("placement:target-edit", programme_id=programme.pk)
    targets = list(selectors.targets_of(programme))
    modules: dict[str, list[dict[str, Any]]] = {}
    for target in targets:
        modules.setdefault(target.module, []).append(
            {
                "target": target,
                "name": translated(target.competence.name),
                "framework": target.competence.framework,
            }
        )
    return render(
        request,
        "placement/setup_targets.html",
        {
            "programme": programme,
            "form": form,
            "modules": [{"name": name, "targets": rows} for name, rows in modules.items()],
            "module_names": [name for name in modules if name],
        },
    )
