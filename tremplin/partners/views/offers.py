"""Staff's offer pages: the list (filters), a new offer for a partner, its page, changes,
publishing a partner's draft, closing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tremplin.core.forms import validation_error_to_form
from tremplin.core.listing import paginate_sorted
from tremplin.core.models import User
from tremplin.core.permissions import acting_user, user_passes
from tremplin.network.models import Region
from tremplin.partners.forms.offers import (
    OfferFilterForm,
    StaffOfferForm,
    offer_initial,
)
from tremplin.partners.models import Offer, OfferStatus, Partner, PartnerSite
from tremplin.partners.selectors import offers as selectors
from tremplin.partners.selectors.access import can_use_partners
from tremplin.partners.services import offers as services
from tremplin.partners.services.offers import OfferData

OFFER_SORTS = {
    "title": ("title",),
    "partner": ("partner__name", "title"),
    "starts": ("starts_on", "title"),
    "closes": ("closes_on", "title"),
    "created": ("created_at",),
}


def _offer(user: User, offer_id: int) -> Offer:
    try:
        return selectors.offer_get(user=user, offer_id=offer_id)
    except Offer.DoesNotExist as exc:
        raise Http404 from exc


def regions_for(*, organisation_ids: QuerySet[Any] | list[int]) -> QuerySet[Region]:
    """The regions of the countries where the organisations have sites."""
    from tremplin.network.models import Site

    countries = Site.objects.filter(organisation_id__in=organisation_ids).values("country")
    return Region.objects.filter(country__in=countries).order_by("country", "name")


def _staff_form(request: HttpRequest, user: User, *, offer: Offer | None = None) -> StaffOfferForm:
    partners = selectors.partners_for_offers(user=user)
    organisation_ids = list(partners.values_list("organisation_id", flat=True).distinct())
    if offer is not None:
        partner_sites = PartnerSite.objects.filter(partner=offer.partner)
        organisation_ids = [offer.partner.organisation_id]
        competences = selectors.competences_for(organisation_id=offer.partner.organisation_id)
    else:
        partner_sites = selectors.partner_sites_for(partner_ids=partners)
        competences = selectors.competences_for(
            organisation_id=organisation_ids[0] if len(organisation_ids) == 1 else 0
        )
    return StaffOfferForm(
        request.POST or None,
        initial=offer_initial(offer) if offer is not None else None,
        partners=None if offer is not None else partners,
        sites=selectors.sites_for_offers(user=user),
        competences=competences,
        partner_sites=partner_sites,
        regions=regions_for(organisation_ids=organisation_ids),
    )


@user_passes(can_use_partners)
def offer_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    filters = OfferFilterForm(
        request.GET or None, partners=selectors.partners_for_offers(user=user)
    )
    chosen: dict[str, Any] = filters.cleaned_data if filters.is_valid() else {}
    partner: Partner | None = chosen.get("partner")
    offers = selectors.offers_listed(
        user=user,
        status=chosen.get("status", ""),
        kind=chosen.get("kind", ""),
        partner_id=partner.pk if partner is not None else None,
    )
    listing = paginate_sorted(request, offers, sorts=OFFER_SORTS, default="-created")
    return render(
        request,
        "partners/offers/list.html",
        {
            "listing": listing,
            "filters": filters,
            "cohorts": selectors.cohorts_for_matching(user=user)[:50],
        },
    )


def _form_page(
    request: HttpRequest,
    form: StaffOfferForm,
    offer: Offer | None,
    save: Callable[[OfferData], Offer],
) -> HttpResponse:
    """Staff's offer form: saved through ``save`` (the service), or back with its errors."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form.offer_data(site=form.cleaned_data.get("site")))
        except ValidationError as exc:
            validation_error_to_form(form, exc)
        else:
            messages.success(request, _("The offer is saved."))
            return redirect("partners:offer-detail", offer_id=saved.pk)
    status = 400 if form.errors else 200
    return render(
        request, "partners/offers/form.html", {"form": form, "offer": offer}, status=status
    )


@user_passes(can_use_partners)
def offer_create(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    form = _staff_form(request, user)
    return _form_page(
        request,
        form,
        None,
        lambda data: services.offer_create(
            actor=user, partner=form.cleaned_data["partner"], data=data
        ),
    )


@user_passes(can_use_partners)
def offer_detail(request: HttpRequest, offer_id: int) -> HttpResponse:
    user = acting_user(request)
    offer = selectors.offer_details(offer=_offer(user, offer_id))
    return render(
        request,
        "partners/offers/detail.html",
        {
            "offer": offer,
            "confirmed": selectors.offer_confirmed_count(offer=offer),
        },
    )


@user_passes(can_use_partners)
def offer_edit(request: HttpRequest, offer_id: int) -> HttpResponse:
    user = acting_user(request)
    offer = selectors.offer_details(offer=_offer(user, offer_id))
    form = _staff_form(request, user, offer=offer)
    return _form_page(
        request, form, offer, lambda data: services.offer_update(actor=user, offer=offer, data=data)
    )


@require_POST
@user_passes(can_use_partners)
def offer_publish(request: HttpRequest, offer_id: int) -> HttpResponse:
    user = acting_user(request)
    offer = _offer(user, offer_id)
    services.offer_status_set(actor=user, offer=offer, status=OfferStatus.OPEN)
    messages.success(request, _("The offer is open: learners see it."))
    return redirect("partners:offer-detail", offer_id=offer.pk)


@require_POST
@user_passes(can_use_partners)
def offer_close(request: HttpRequest, offer_id: int) -> HttpResponse:
    user = acting_user(request)
    offer = _offer(user, offer_id)
    services.offer_status_set(actor=user, offer=offer, status=OfferStatus.CLOSED)
    messages.success(request, _("The offer is closed."))
    return redirect("partners:offer-detail", offer_id=offer.pk)
