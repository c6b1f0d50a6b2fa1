"""The partner pages: the organisation's partners, a partner's form (with the warning of a
likely duplicate), its page (identity, sites, contacts, timeline, private links, what it
does with the organisation), archiving, merging two records of one partner, and the
timeline as a spreadsheet."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tremplin.core.forms import validation_error_to_form, validation_error_to_messages
from tremplin.core.listing import paginate_sorted
from tremplin.core.models import User
from tremplin.core.numbers import number_text
from tremplin.core.permissions import acting_user, user_passes
from tremplin.core.spreadsheets import cell_safe
from tremplin.network.models import Organisation
from tremplin.partners.forms.partners import (
    KEEP_THIS,
    InteractionForm,
    LinkForm,
    MergeForm,
    PartnerFilterForm,
    PartnerForm,
)
from tremplin.partners.iso_codes import country_choices
from tremplin.partners.models import Partner, Partnership
from tremplin.partners.selectors import partners as selectors
from tremplin.partners.selectors.access import (
    can_use_partners,
    manages_partners,
    partner_organisation_ids,
    sees_amounts,
)
from tremplin.partners.services import partners as services

PARTNER_SORTS = {
    "name": ("name",),
    "kind": ("kind", "name"),
    "offers": ("offer_count", "name"),
}
TIMELINE_SORTS = {"date": ("happened_on",)}


def _organisations(user: User) -> QuerySet[Organisation]:
    ids = partner_organisation_ids(user)
    organisations = Organisation.objects.order_by("name")
    return organisations if ids is None else organisations.filter(pk__in=ids)


@user_passes(can_use_partners)
def partner_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    filters = PartnerFilterForm(request.GET or None)
    chosen: dict[str, Any] = filters.cleaned_data if filters.is_valid() else {}
    partners = selectors.partners_listed(
        user=user,
        query=chosen.get("q", ""),
        kind=chosen.get("kind", ""),
        partnership=chosen.get("partnership", ""),
        archived=bool(chosen.get("archived")),
    )
    listing = paginate_sorted(request, partners, sorts=PARTNER_SORTS, default="name")
    return render(
        request,
        "partners/partner_list.html",
        {"listing": listing, "filters": filters, "archived": bool(chosen.get("archived"))},
    )


def _details(data: dict[str, Any]) -> services.PartnerDetails:
    return services.PartnerDetails(
        name=data["name"],
        kind=data["kind"],
        sector=data.get("sector") or "",
        size=data.get("size") or "",
        partnerships=tuple(data.get("partnerships") or ()),
        registration_number=data.get("registration_number") or "",
        website=data.get("website") or "",
        country=data.get("country") or "",
        description=data.get("description") or "",
    )


def _likely_duplicates(
    form: PartnerForm, *, organisation_id: int, partner: Partner | None
) -> list[Partner]:
    """Partners with a similar name, unless the user confirmed this is another one."""
    if form.cleaned_data.get("create_anyway"):
        return []
    return selectors.partners_like(
        organisation_id=organisation_id,
        name=form.cleaned_data["name"],
        exclude_id=partner.pk if partner else None,
    )


def _form_page(
    request: HttpRequest, form: PartnerForm, *, partner: Partner | None, alike: list[Partner]
) -> HttpResponse:
    return render(
        request,
        "partners/partner_form.html",
        {"form": form, "partner": partner, "alike": alike},
        status=200,
    )


@user_passes(can_use_partners)
def partner_create(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    organisations = _organisations(user)
    form = PartnerForm(request.POST or None, organisations=organisations)
    alike: list[Partner] = []
    if request.method == "POST" and form.is_valid():
        organisation = form.cleaned_data.get("organisation") or organisations.first()
        if organisation is None:
            raise PermissionDenied
        alike = _likely_duplicates(form, organisation_id=organisation.pk, partner=None)
        if not alike:
            try:
                partner = services.partner_create(
                    actor=user, organisation=organisation, details=_details(form.cleaned_data)
                )
            except ValidationError as error:
                validation_error_to_form(form, error)
            else:
                messages.success(request, _("%(name)s is added.") % {"name": partner.name})
                return redirect("partners:partner-detail", partner_id=partner.pk)
    return _form_page(request, form, partner=None, alike=alike)


@user_passes(can_use_partners)
def partner_edit(request: HttpRequest, partner_id: int) -> HttpResponse:
    user = acting_user(request)
    partner = selectors.partner_get(user=user, partner_id=partner_id)
    form = PartnerForm(request.POST or None, initial=PartnerForm.initial_of(partner))
    alike: list[Partner] = []
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["name"].strip() != partner.name:
            alike = _likely_duplicates(
                form, organisation_id=partner.organisation_id, partner=partner
            )
        if not alike:
            try:
                services.partner_update(
                    actor=user, partner=partner, details=_details(form.cleaned_data)
                )
            except ValidationError as error:
                validation_error_to_form(form, error)
            else:
                messages.success(request, _("The partner is saved."))
                return redirect("partners:partner-detail", partner_id=partner.pk)
    return _form_page(request, form, partner=partner, alike=alike)


def partner_page(
    request: HttpRequest, partner: Partner, *, status: int = 200, **forms: Any
) -> HttpResponse:
    """The partner's page, with the forms given (a form with its errors) or empty ones."""
    user = acting_user(request)
    timeline = paginate_sorted(
        request,
        selectors.partner_timeline(user=user, partner=partner),
        sorts=TIMELINE_SORTS,
        default="-date",
    )
    entries = list(timeline.page.object_list)
    for entry in entries:
        entry.amount_text = (
            "" if entry.shown_amount is None else number_text(entry.shown_amount, fixed=True)
        )
    timeline.page.object_list = entries
    sites = selectors.partner_sites(partner=partner)
    contacts = selectors.partner_contacts(partner=partner)
    organisation_sites = partner.organisation.sites.order_by("name")
    amounts = sees_amounts(user, organisation_id=partner.organisation_id)
    partnerships = dict(Partnership.choices)
    context = {
        "partner": partner,
        "partnerships": [partnerships[p] for p in partner.partnerships if p in partnerships],
        "country": dict(country_choices()).get(partner.country, ""),
        "sites": list(sites),
        "contacts": list(contacts),
        "archived_contacts": list(selectors.partner_contacts(partner=partner, archived=True)),
        "timeline": timeline,
        "links": list(selectors.partner_links(partner=partner)),
        "work": selectors.partner_work(user=user, partner=partner),
        "sees_amounts": amounts,
        "manages": manages_partners(user, organisation_id=partner.organisation_id),
        "interaction_form": forms.get("interaction_form")
        or InteractionForm(
            contacts=contacts, sites=organisation_sites, with_amount=amounts, prefix="timeline"
        ),
        "link_form": forms.get("link_form") or LinkForm(contacts=contacts, prefix="link"),
    }
    return render(request, "partners/partner_detail.html", context, status=status)


@user_passes(can_use_partners)
def partner_detail(request: HttpRequest, partner_id: int) -> HttpResponse:
    partner = selectors.partner_get(user=acting_user(request), partner_id=partner_id)
    return partner_page(request, partner)


def archived_message(request: HttpRequest, *, name: str, archived: bool) -> None:
    if archived:
        messages.success(request, _("%(name)s is archived.") % {"name": name})
    else:
        messages.success(request, _("%(name)s is back in the list.") % {"name": name})


@require_POST
@user_passes(can_use_partners)
def partner_archive(request: HttpRequest, partner_id: int) -> HttpResponse:
    user = acting_user(request)
    partner = selectors.partner_get(user=user, partner_id=partner_id)
    archived = request.POST.get("archived", "1") != "0"
    services.partner_archive(actor=user, partner=partner, archived=archived)
    archived_message(request, name=partner.name, archived=archived)
    return redirect("partners:partner-detail", partner_id=partner.pk)


@user_passes(can_use_partners)
def partner_merge(request: HttpRequest, partner_id: int) -> HttpResponse:
    """Two records of one partner become one: managers only."""
    user = acting_user(request)
    partner = selectors.partner_get(user=user, partner_id=partner_id)
    if not manages_partners(user, organisation_id=partner.organisation_id):
        raise PermissionDenied
    others = (
        selectors.partners_visible(user=user)
        .filter(organisation_id=partner.organisation_id)
        .exclude(pk=partner.pk)
        .order_by("name", "pk")
    )
    alike = selectors.partners_like(
        organisation_id=partner.organisation_id, name=partner.name, exclude_id=partner.pk
    )
    initial = {"other": alike[0].pk} if alike else {}
    form = MergeForm(request.POST or None, others=others, initial=initial)
    if request.method == "POST" and form.is_valid():
        other = form.cleaned_data["other"]
        keep_this = form.cleaned_data["keep"] == KEEP_THIS
        kept, merged = (partner, other) if keep_this else (other, partner)
        try:
            result = services.partner_merge(actor=user, kept=kept, merged=merged)
        except ValidationError as error:
            validation_error_to_form(form, error, field_of=lambda key: "other")
        else:
            messages.success(
                request,
                _("%(merged)s is merged into %(kept)s.")
                % {"merged": merged.name, "kept": result.partner.name},
            )
            return redirect("partners:partner-detail", partner_id=result.partner.pk)
    return render(
        request, "partners/partner_merge.html", {"partner": partner, "form": form, "alike": alike}
    )


@require_GET
@user_passes(can_use_partners)
def partner_timeline_export(request: HttpRequest, partner_id: int) -> HttpResponse:
    """The partner's timeline as a spreadsheet (CSV). Amounts as on the page: managers only."""
    user = acting_user(request)
    partner = selectors.partner_get(user=user, partner_id=partner_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="partner-{partner.pk}-timeline.csv"'
    response.write("\ufeff")  # so that Excel reads UTF-8
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Date"),
            _("What happened"),
            _("With"),
            _("Our site"),
            _("Summary"),
            _("Amount"),
            _("Currency"),
        ]
    )
    entries: Iterator[Any] = selectors.partner_timeline(user=user, partner=partner).iterator()
    for entry in entries:  # each with shown_amount and shown_currency (the selector's)
        writer.writerow(
            [
                date_format(entry.happened_on, "SHORT_DATE_FORMAT"),
                cell_safe(entry.get_kind_display()),
                cell_safe(entry.contact.name if entry.contact else ""),
                cell_safe(entry.site.name if entry.site else ""),
                cell_safe(entry.summary),
                "" if entry.shown_amount is None else number_text(entry.shown_amount, fixed=True),
                entry.shown_currency,
            ]
        )
    return response


def error_page(request: HttpRequest, partner: Partner, error: ValidationError) -> HttpResponse:
    """Back to the partner's page with the service's refusal as a message."""
    validation_error_to_messages(request, error)
    return redirect("partners:partner-detail", partner_id=partner.pk)
