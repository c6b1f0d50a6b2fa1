"""The competency frameworks (shipped and the organisation's own): list, page, new, change,
import a file. Reading is for who may read the organisation's bank; writing for who manages it
(site managers, network admins). Shipped frameworks are read-only; a framework of another
organisation is not found (404)."""

from __future__ import annotations

from functools import partial
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tremplin.core.forms import validation_error_to_form
from tremplin.core.imports import import_page
from tremplin.core.permissions import acting_user, user_passes
from tremplin.network.models import Organisation
from tremplin.placement.forms.frameworks import (
    ROW_FIELDS,
    CompetenceRowForm,
    FrameworkForm,
    FrameworkImportForm,
    form_rows,
    row_values,
    rows_formset,
)
from tremplin.placement.models import Framework, translated
from tremplin.placement.selectors import access
from tremplin.placement.selectors import frameworks as selectors
from tremplin.placement.services import frameworks as services
from tremplin.placement.services.framework_files import CSV_OPTIONAL, CSV_REQUIRED
from tremplin.placement.services.framework_plans import FrameworkPlan

read_bank = user_passes(access.can_read_bank)
manage_bank = user_passes(access.can_manage_bank)


@require_GET
@read_bank
def framework_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    frameworks = list(selectors.frameworks_listed(user=user))
    return render(
        request,
        "placement/framework_list.html",
        {
            "shipped": [f for f in frameworks if f.organisation_id is None],
            "own": [f for f in frameworks if f.organisation_id is not None],
            "can_manage": access.can_manage_bank(user),
            "several": len({f.organisation_id for f in frameworks if f.organisation_id}) > 1,
        },
    )


def _levels(framework: Framework) -> list[dict[str, Any]]:
    return [
        {
            "number": level.get("number"),
            "name": translated(level.get("name")),
            "description": translated(level.get("description")),
        }
        for level in framework.levels or []
        if isinstance(level, dict)
    ]


@require_GET
@read_bank
def framework_detail(request: HttpRequest, framework_id: int) -> HttpResponse:
    user = acting_user(request)
    framework = selectors.framework_get(user=user, framework_id=framework_id)
    areas = selectors.framework_areas(framework=framework)
    links = selectors.crosswalk_links(user=user, framework=framework)
    links_out, links_in = links.outgoing, links.incoming
    rows = [
        {
            "area": area,
            "name": translated(area.name),
            "competences": [
                {
                    "competence": competence,
                    "name": translated(competence.name),
                    "description": translated(competence.description),
                    "links_out": [
                        {
                            "pk": link.target_id,
                            "code": link.target.code,
                            "name": translated(link.target.name),
                            "framework": link.target.framework,
                            "note": translated(link.note),
                        }
                        for link in links_out.get(competence.pk, [])
                    ],
                    "links_in": [
                        {
                            "pk": link.source_id,
                            "code": link.source.code,
                            "name": translated(link.source.name),
                            "framework": link.source.framework,
                            "note": translated(link.note),
                        }
                        for link in links_in.get(competence.pk, [])
                    ],
                }
                for competence in area.competences.all()
            ],
        }
        for area in areas
    ]
    return render(
        request,
        "placement/framework_detail.html",
        {
            "framework": framework,
            "name": translated(framework.name),
            "publisher": translated(framework.publisher),
            "levels": _levels(framework),
            "areas": rows,
            "competence_count": sum(len(area.competences.all()) for area in areas),
            "maps_from": bool(links_in),
            "can_edit": selectors.framework_editable(user, framework),
        },
    )


def _form_page(
    request: HttpRequest,
    *,
    form: FrameworkForm,
    rows: Any,
    framework: Framework | None,
    problems: list[str] | None = None,
) -> HttpResponse:
    return render(
        request,
        "placement/framework_form.html",
        {
            "form": form,
            "rows": rows,
            "framework": framework,
            "problems": problems or [],
            "row_labels": [str(CompetenceRowForm.base_fields[key].label) for key in ROW_FIELDS],
        },
    )


@require_http_methods(["GET", "POST"])
@manage_bank
def framework_new(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    organisations = access.organisations_for(user=user, roles=access.MANAGE_ROLES)
    rows, more = rows_formset(request)
    if request.method != "POST":
        form = FrameworkForm(organisations=organisations)
        return _form_page(request, form=form, rows=rows, framework=None)
    form = FrameworkForm(request.POST, organisations=organisations)
    problems: list[str] = []
    if not more and form.is_valid() and rows.is_valid():
        organisation = form.cleaned_data.get("organisation") or organisations.first()
        if organisation is None:
            raise PermissionDenied
        try:
            framework = services.framework_create(
                actor=user,
                organisation=organisation,
                code=form.cleaned_data.get("code") or "",
                name=form.name(),
                maps_to_digcomp=bool(form.cleaned_data.get("maps_to_digcomp")),
                rows=row_values(rows),
            )
        except ValidationError as error:
            # The rows' and the file's problems are listed above the form.
            problems = validation_error_to_form(form, error, others_on_form=False)
        else:
            messages.success(request, _("The framework is saved."))
            return redirect("placement:framework-detail", framework_id=framework.pk)
    return _form_page(request, form=form, rows=rows, framework=None, problems=problems)


@require_http_methods(["GET", "POST"])
@manage_bank
def framework_edit(request: HttpRequest, framework_id: int) -> HttpResponse:
    user = acting_user(request)
    framework = selectors.framework_get_for_edit(user=user, framework_id=framework_id)
    rows, more = rows_formset(request, initial=form_rows(selectors.framework_rows(framework)))
    if request.method != "POST":
        form = FrameworkForm(
            new=False,
            initial={
                "name_fr": (framework.name or {}).get("fr", ""),
                "name_en": (framework.name or {}).get("en", ""),
                "maps_to_digcomp": framework.maps_to_id is not None,
            },
        )
        return _form_page(request, form=form, rows=rows, framework=framework)
    form = FrameworkForm(request.POST, new=False)
    problems: list[str] = []
    if not more and form.is_valid() and rows.is_valid():
        try:
            services.framework_update(
                actor=user,
                framework=framework,
                name=form.name(),
                maps_to_digcomp=bool(form.cleaned_data.get("maps_to_digcomp")),
                rows=row_values(rows),
            )
        except ValidationError as error:
            # The rows' and the file's problems are listed above the form.
            problems = validation_error_to_form(form, error, others_on_form=False)
        else:
            messages.success(request, _("The framework is saved."))
            return redirect("placement:framework-detail", framework_id=framework.pk)
    return _form_page(request, form=form, rows=rows, framework=framework, problems=problems)


# --- Import: the file checked is kept until it is applied --------------------------------------

UPLOAD_KIND = "placement_framework_import"


@require_http_methods(["GET", "POST"])
@manage_bank
def framework_import(request: HttpRequest) -> HttpResponse:
    """GET: the form. POST "check": what the file would do, row by row, and "Apply" when no
    row is wrong. POST "apply": the file checked before, imported."""
    user = acting_user(request)
    organisations = access.organisations_for(user=user, roles=access.MANAGE_ROLES)
    organisation: Organisation | None = None

    def run(content: bytes, details: dict[str, Any], *, apply: bool) -> FrameworkPlan:
        assert organisation is not None
        return services.framework_import(
            actor=user,
            organisation=organisation,
            file_name=str(details["file_name"]),
            content=content,
            code=str(details["code"]),
            name=dict(details["name"]),
            maps_to_digcomp=bool(details["maps_to_digcomp"]),
            apply=apply,
        )

    def check(
        form: forms.Form, file_name: str, content: bytes
    ) -> tuple[FrameworkPlan, dict[str, Any] | None]:
        nonlocal organisation
        organisation = form.cleaned_data.get("organisation") or organisations.first()
        if organisation is None:
            raise PermissionDenied
        details: dict[str, Any] = {
            "organisation_id": organisation.pk,
            "file_name": file_name,
            "code": form.cleaned_data.get("code") or "",
            "name": {
                "fr": form.cleaned_data.get("name_fr") or "",
                "en": form.cleaned_data.get("name_en") or "",
            },
            "maps_to_digcomp": bool(form.cleaned_data.get("maps_to_digcomp")),
        }
        plan = run(content, details, apply=False)
        return plan, None if plan.has_problems else details

    def apply(file_name: str, content: bytes, kept: dict[str, Any]) -> FrameworkPlan | None:
        nonlocal organisation
        organisation = (
            access.organisation_with_id(
                user=user, organisation_id=kept["organisation_id"], roles=access.MANAGE_ROLES
            )
            if kept.get("organisation_id")
            else None
        )
        return None if organisation is None else run(content, kept, apply=True)

    def done(plan: FrameworkPlan) -> HttpResponse | None:
        if not (plan.written and plan.framework is not None):
            return None
        messages.success(
            request,
            _(
                "Imported: %(created)d new competences, %(updated)d changed, "
                "%(unchanged)d unchanged, %(removed)d removed."
            )
            % {
                "created": plan.created,
                "updated": plan.updated,
                "unchanged": plan.unchanged,
                "removed": len(plan.removed),
            },
        )
        return redirect("placement:framework-detail", framework_id=plan.framework.pk)

    def page(form: forms.Form, plan: FrameworkPlan | None, token: str) -> HttpResponse:
        return render(
            request,
            "placement/framework_import.html",
            {
                "form": form,
                "plan": plan,
                "token": token,
                "organisation": organisation,
                "required_columns": CSV_REQUIRED,
                "optional_columns": CSV_OPTIONAL,
            },
        )

    return import_page(
        request,
        kind=UPLOAD_KIND,
        form_class=partial(FrameworkImportForm, organisations=organisations),
        check=check,
        apply=apply,
        done=done,
        page=page,
    )
