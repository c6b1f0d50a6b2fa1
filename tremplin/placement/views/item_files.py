"""Files of questions: the list (with its filters) exported as CSV or JSON, and the import of
a CSV or JSON file (checked, shown, then applied)."""

from __future__ import annotations

from functools import partial
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tremplin.core.imports import import_page
from tremplin.core.permissions import acting_user, user_passes
from tremplin.network.models import Organisation
from tremplin.placement.forms.items import ItemImportForm, item_filters
from tremplin.placement.selectors import access
from tremplin.placement.selectors import items as selectors
from tremplin.placement.services import item_files

read_bank = user_passes(access.can_read_bank)
author = user_passes(access.can_author)


@require_GET
@read_bank
def item_export(request: HttpRequest) -> HttpResponse:
    """The questions of the list (with its filters) as CSV or JSON (?format=json)."""
    user = acting_user(request)
    filtered = selectors.items_filtered(user=user, filters=item_filters(request.GET))
    items = filtered.items.order_by("organisation__name", "code")
    stamp = timezone.localdate().isoformat()
    if request.GET.get("format") == "json":
        body = item_files.items_export_json(actor=user, items=items)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="items-{stamp}.json"'
    else:
        body = "\ufeff" + item_files.items_export_csv(actor=user, items=items)  # Excel: UTF-8
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="items-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    return response


UPLOAD_KIND = "placement_items_import"


@require_http_methods(["GET", "POST"])
@author
def item_import(request: HttpRequest) -> HttpResponse:
    """GET: the form. POST "check": what the file would do, row by row, and an "Apply"
    button when no row is wrong. POST "apply": the file checked before, imported."""
    user = acting_user(request)
    organisations = access.organisations_for(user=user, roles=access.AUTHOR_ROLES)
    organisation: Organisation | None = None

    def check(
        form: forms.Form, file_name: str, content: bytes
    ) -> tuple[item_files.ImportPlan, dict[str, Any] | None]:
        nonlocal organisation
        organisation = form.cleaned_data.get("organisation") or organisations.first()
        if organisation is None:
            raise PermissionDenied
        plan = item_files.items_import_file(
            actor=user, organisation=organisation, file_name=file_name, content=content, apply=False
        )
        return plan, None if plan.has_problems else {"organisation": organisation.pk}

    def apply(file_name: str, content: bytes, kept: dict[str, Any]) -> item_files.ImportPlan | None:
        nonlocal organisation
        organisation_id = kept.get("organisation")
        organisation = (
            access.organisation_with_id(
                user=user, organisation_id=organisation_id, roles=access.AUTHOR_ROLES
            )
            if organisation_id
            else None
        )
        if organisation is None:
            return None
        return item_files.items_import_file(
            actor=user, organisation=organisation, file_name=file_name, content=content, apply=True
        )

    def done(plan: item_files.ImportPlan) -> HttpResponse | None:
        if not plan.written:
            return None
        messages.success(
            request,
            _("Imported: %(created)d new questions, %(updated)d changed, %(unchanged)d unchanged.")
            % {"created": plan.created, "updated": plan.updated, "unchanged": plan.unchanged},
        )
        return redirect("placement:item-list")

    def page(form: forms.Form, plan: item_files.ImportPlan | None, token: str) -> HttpResponse:
        return render(
            request,
            "placement/item_import.html",
            {
                "form": form,
                "plan": plan,
                "token": token,
                "organisation": organisation,
                "columns": item_files.CSV_COLUMNS,
            },
        )

    return import_page(
        request,
        kind=UPLOAD_KIND,
        form_class=partial(ItemImportForm, organisations=organisations),
        check=check,
        apply=apply,
        done=done,
        page=page,
    )
