"""Pages opened from a private link, without an account: a partner contact's offers (their
partner's only, and a form for a new one), and a learner's wishes among open offers."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from tremplin.core import params
from tremplin.core.forms import validation_error_to_form
from tremplin.network.languages import applicant_language_activate
from tremplin.partners.forms.offers import OfferForm
from tremplin.partners.models import LinkPurpose, PartnerSite
from tremplin.partners.selectors import offers as selectors
from tremplin.partners.selectors.links import partner_link_for_token
from tremplin.partners.services import offers as services
from tremplin.partners.services.links import partner_link_touch
from tremplin.partners.views.offers import regions_for
from tremplin.training.selectors.learners import enrolment_for_token
from tremplin.training.services.learner_links import learner_language


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "same-origin"
    return response


def partner_offers(request: HttpRequest, token: str) -> HttpResponse:
    """A partner contact's offers and a new one (a draft until staff publish it)."""
    link = partner_link_for_token(token=token, purpose=LinkPurpose.OFFERS)
    partner = link.partner
    organisation = partner.organisation
    # The language the contact picks on the page, else the contact's own.
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    applicant_language_activate(
        request,
        organisation,
        preferred="" if chosen or link.contact is None else link.contact.language,
    )
    form = OfferForm(
        request.POST or None,
        competences=selectors.competences_for(organisation_id=organisation.pk),
        partner_sites=PartnerSite.objects.filter(partner=partner),
        regions=regions_for(organisation_ids=[organisation.pk]),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.offer_create_by_link(link=link, data=form.offer_data())
        except ValidationError as exc:
            validation_error_to_form(form, exc)
        else:
            partner_link_touch(link=link)
            return redirect(reverse("partners:link-offers", args=[token]) + "?sent=1")
    context: dict[str, Any] = {
        "partner": partner,
        "organisation": organisation,
        "offers": selectors.offers_for_partner(partner=partner),
        "form": form,
        "sent": request.GET.get("sent") == "1",
    }
    status = 400 if form.errors else 200
    return _private(render(request, "partners/offers/link.html", context, status=status))


def learner_offers(request: HttpRequest, token: str) -> HttpResponse:
    """The learner's open offers, each with "interests me" (the order chosen is the order of
    their wishes)."""
    enrolment = enrolment_for_token(token=token)
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    applicant_language_activate(
        request,
        enrolment.cohort.run.site.organisation,
        preferred="" if chosen else learner_language(enrolment),
    )
    offers = selectors.offers_open_for_learner(enrolment=enrolment)
    if request.method == "POST":
        offer_id = params.id_param(request.POST, "offer")
        offer = offers.filter(pk=offer_id).first() if offer_id is not None else None
        back = reverse("partners:learner-offers", args=[token])
        if offer is None:  # not one of their open offers (closed since the page was shown)
            return redirect(back)
        services.offer_interest_toggle(
            enrolment=enrolment, offer=offer, interested=request.POST.get("interested") == "1"
        )
        return redirect(f"{back}#offer-{offer.pk}")
    wishes = selectors.learner_interests(enrolment=enrolment)
    return _private(
        render(
            request,
            "partners/offers/learner.html",
            {
                "enrolment": enrolment,
                "token": token,
                "offers": [(offer, wishes.get(offer.pk)) for offer in offers],
            },
        )
    )
