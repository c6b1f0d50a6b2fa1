"""A partner's sites and contacts (added, changed, archived), and the private links made for
its contacts: shown once when made, sent by e-mail if asked, revoked."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tremplin.core.forms import validation_error_to_form
from tremplin.core.permissions import acting_user, user_passes
from tremplin.partners.forms.partners import ContactForm, LinkForm, SiteForm
from tremplin.partners.models import LinkPurpose, Partner, PartnerContact, PartnerSite
from tremplin.partners.selectors import partners as selectors
from tremplin.partners.selectors.access import can_use_partners
from tremplin.partners.services import contacts as services
from tremplin.partners.services import links as link_services
from tremplin.partners.views.partners import archived_message, error_page, partner_page


def _site_details(data: dict[str, Any]) -> services.SiteDetails:
    return services.SiteDetails(
        name=data["name"],
        address=data.get("address") or "",
        postal_code=data.get("postal_code") or "",
        city=data.get("city") or "",
        country=data.get("country") or "",
        region=data.get("region"),
    )


def _site_form(request: HttpRequest, partner: Partner, site: PartnerSite | None) -> HttpResponse:
    user = acting_user(request)
    initial = SiteForm.initial_of(site) if site else {"country": partner.country}
    form = SiteForm(request.POST or None, initial=initial, country=initial.get("country", ""))
    if request.method == "POST" and form.is_valid():
        try:
            services.partner_site_save(
                actor=user, partner=partner, site=site, details=_site_details(form.cleaned_data)
            )
        except ValidationError as error:
            validation_error_to_form(form, error)
        else:
            messages.success(request, _("The site is saved."))
            return redirect("partners:partner-detail", partner_id=partner.pk)
    return render(
        request, "partners/site_form.html", {"partner": partner, "site": site, "form": form}
    )


@user_passes(can_use_partners)
def site_add(request: HttpRequest, partner_id: int) -> HttpResponse:
    partner = selectors.partner_get(user=acting_user(request), partner_id=partner_id)
    return _site_form(request, partner, None)


@user_passes(can_use_partners)
def site_edit(request: HttpRequest, partner_id: int, site_id: int) -> HttpResponse:
    partner = selectors.partner_get(user=acting_user(request), partner_id=partner_id)
    return _site_form(request, partner, selectors.site_get(partner=partner, site_id=site_id))


def _contact_details(data: dict[str, Any]) -> services.ContactDetails:
    return services.ContactDetails(
        name=data["name"],
        job_title=data.get("job_title") or "",
        email=data.get("email") or "",
        phone=data.get("phone") or "",
        language=data["language"],
        is_tutor=bool(data.get("is_tutor")),
        site=data.get("site"),
    )


def _contact_form(
    request: HttpRequest, partner: Partner, contact: PartnerContact | None
) -> HttpResponse:
    user = acting_user(request)
    initial = ContactForm.initial_of(contact) if contact else {"language": request.LANGUAGE_CODE}
    form = ContactForm(
        request.POST or None, initial=initial, sites=selectors.partner_sites(partner=partner)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.partner_contact_save(
                actor=user,
                partner=partner,
                contact=contact,
                details=_contact_details(form.cleaned_data),
            )
        except ValidationError as error:
            validation_error_to_form(form, error)
        else:
            messages.success(request, _("The contact is saved."))
            return redirect("partners:partner-detail", partner_id=partner.pk)
    return render(
        request,
        "partners/contact_form.html",
        {"partner": partner, "contact": contact, "form": form},
    )


@user_passes(can_use_partners)
def contact_add(request: HttpRequest, partner_id: int) -> HttpResponse:
    partner = selectors.partner_get(user=acting_user(request), partner_id=partner_id)
    return _contact_form(request, partner, None)


@user_passes(can_use_partners)
def contact_edit(request: HttpRequest, partner_id: int, contact_id: int) -> HttpResponse:
    partner = selectors.partner_get(user=acting_user(request), partner_id=partner_id)
    contact = selectors.contact_get(partner=partner, contact_id=contact_id)
    return _contact_form(request, partner, contact)


@require_POST
@user_passes(can_use_partners)
def contact_archive(request: HttpRequest, partner_id: int, contact_id: int) -> HttpResponse:
    user = acting_user(request)
    partner = selectors.partner_get(user=user, partner_id=partner_id)
    contact = selectors.contact_get(partner=partner, contact_id=contact_id)
    archived = request.POST.get("archived", "1") != "0"
    services.partner_contact_archive(actor=user, contact=contact, archived=archived)
    archived_message(request, name=contact.name, archived=archived)
    return redirect("partners:partner-detail", partner_id=partner.pk)


@require_POST
@user_passes(can_use_partners)
def link_create(request: HttpRequest, partner_id: int) -> HttpResponse:
    """Make a private link for a contact and show it once (only its hash is kept)."""
    user = acting_user(request)
    partner = selectors.partner_get(user=user, partner_id=partner_id)
    form = LinkForm(
        request.POST, contacts=selectors.partner_contacts(partner=partner), prefix="link"
    )
    if not form.is_valid():
        return partner_page(request, partner, link_form=form)
    data = form.cleaned_data
    contact = data["contact"]
    if data["send"] and not contact.email:
        form.add_error(
            "send", _("The contact has no e-mail address: copy the link and give it to them.")
        )
        return partner_page(request, partner, link_form=form)
    new = link_services.partner_link_create(
        actor=user,
        partner=partner,
        purpose=LinkPurpose(data["purpose"]),
        contact=contact,
        days=data["days"],
    )
    base_url = request.build_absolute_uri("/")
    sent = []
    if data["send"]:
        sent = link_services.partner_link_send(actor=user, new=new, base_url=base_url)
    url = link_services.partner_link_url(
        purpose=new.link.purpose, token=new.token, base_url=base_url
    )
    response = render(
        request,
        "partners/link_created.html",
        {"partner": partner, "link": new.link, "url": url, "sent": sent},
    )
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@user_passes(can_use_partners)
def link_revoke(request: HttpRequest, partner_id: int, link_id: int) -> HttpResponse:
    user = acting_user(request)
    partner = selectors.partner_get(user=user, partner_id=partner_id)
    link = selectors.link_get(partner=partner, link_id=link_id)
    try:
        link_services.partner_link_revoke(actor=user, link=link)
    except ValidationError as error:  # pragma: no cover - revoking never refuses today
        return error_page(request, partner, error)
    messages.success(request, _("The link is revoked: it no longer opens anything."))
    return redirect("partners:partner-detail", partner_id=partner.pk)
