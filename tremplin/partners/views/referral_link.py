"""The referral partner's private link (no account, a phone, the contact's language): the
organisation's open calls, the form to refer a person, and the status of the people it
referred."""

# applicant-facing: start (the whole file: pages of the partner contact's link)
from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from tremplin.network.languages import applicant_language_activate
from tremplin.partners.forms.referrals import ReferralForm
from tremplin.partners.models import LinkPurpose, PartnerLink
from tremplin.partners.selectors import referrals as selectors
from tremplin.partners.selectors.links import partner_link_for_token
from tremplin.partners.services.links import partner_link_touch
from tremplin.partners.views.referrals import referral_from_form


def _open_link(request: HttpRequest, token: str) -> tuple[PartnerLink, str]:
    """The link (404 when unknown, expired or revoked) and the page's language: the one the
    contact chose on the page, else the contact's own."""
    link = partner_link_for_token(token=token, purpose=LinkPurpose.REFER)
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    language = applicant_language_activate(
        request,
        link.partner.organisation,
        preferred="" if chosen or link.contact is None else link.contact.language,
    )
    partner_link_touch(link=link)
    return link, language


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    # The token is in the address: it never leaves in a Referer to another site.
    response["Referrer-Policy"] = "same-origin"
    return response


def referral_link(request: HttpRequest, token: str) -> HttpResponse:
    link, language = _open_link(request, token)
    partner = link.partner
    calls = selectors.calls_open_for(partner)
    form = ReferralForm(request.POST or None, calls=calls, partner=partner, language=language)
    if request.method == "POST" and referral_from_form(
        request, form, partner=partner, actor=None, link=link
    ):
        return _private(redirect("partners:referral-link", token=token))
    return _private(
        render(
            request,
            "partners/referral_link.html",
            {"link": link, "partner": partner, "calls": list(calls), "form": form, "token": token},
        )
    )


def referral_link_people(request: HttpRequest, token: str) -> HttpResponse:
    link, _language = _open_link(request, token)
    return _private(
        render(
            request,
            "partners/referral_link_people.html",
            {
                "link": link,
                "partner": link.partner,
                "people": selectors.referred_people(link=link),
                "token": token,
            },
        )
    )
