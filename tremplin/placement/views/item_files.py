"""Files of questions: the list (with its filters) exported as CSV or JSON, and the import of
a CSV or JSON file (checked, shown, then applied)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tremplin.core.permissions import acting_user, user_passes
from tremplin.core.uploads import upload_context, upload_keep, upload_take
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
    form = ItemImportForm(organisations=organisations)
    plan: item_files.ImportPlan | None = None
    token = ""
    organisation: Organisation | None = None
    if request.method == "POST" and request.POST.get("action") == "apply":
        organisation_id = upload_context(request, kind=UPLOAD_KIND).get("organisation")
        organisation = (
            access.organisation_with_id(
                user=user, organisation_id=organisation_id, roles=access.AUTHOR_ROLES
            )
            if organisation_id
            else None
        )
        taken = upload_take(
            request,
            kind=UPLOAD_KIND,
            token=request.POST.get("token", ""),
            context={"organisation": organisation_id},
        )
        if taken is None or organisation is None:
            messages.error(request, _("The checked file is no longer here: choose it again."))
            return redirect("placement:item-import")
        file_name, content = taken
        plan = item_files.items_import_file(
            actor=user, organisation=organisation, file_name=file_name, content=content, apply=True
        )
        if plan.written:
            messages.success(
                request,
                _(
                    "Imported: %(created)d new questions, %(updated)d changed, "
                    "%(unchanged)d unchanged."
                )
                % {"created": plan.created, "updated": plan.updated, "unchanged": plan.unchanged},
            )
            return redirect("placement:item-list")
    elif request.method == "POST":
        form = ItemImportForm(request.POST, request.FILES, organisations=organisations)
        if form.is_valid():
            organisation = form.cleaned_data.get("organisation") or organisations.first()
            if organisation is None:
                raise PermissionDenied
            upload = form.cleaned_data["file"]
            content = upload.read()
            plan = item_files.items_import_file(
                actor=user,
                organisation=organisation,
                file_name=upload.name or "",
                content=content,
                apply=False,
            )
            if not plan.has_problems:
                token = upload_keep(
                    request,
                    kind=UPLOAD_KIND,
                    content=content,
                    file_name=upload.name or "",
                    context={"organisation": organisation.pk},
                )
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
