"""Public pages, no sign-in: a certificate's verification page (the QR code's address), the
check of a digital credential, and the issuer's public documents (profile, keys, revocation
list) that let anyone check a credential elsewhere. They show nothing beyond the
certificate: the learner's name, the programme, the organisation, the date, valid or
revoked."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from tremplin.core import throttling
from tremplin.network.languages import applicant_language_activate
from tremplin.training.forms.certification import CredentialCheckForm
from tremplin.training.selectors import certificates as selectors
from tremplin.training.services import credentials

# Public documents may be cached a little by whoever checks credentials.
PUBLIC_CACHE = "public, max-age=300"


@require_GET
def certificate_verify(request: HttpRequest, public_id: str) -> HttpResponse:
    if not throttling.throttle_allows(request, action=throttling.CERTIFICATE_VERIFY):
        return throttling.too_many_requests(request)
    certificate = selectors.public_certificate(public_id=public_id)
    applicant_language_activate(
        request, certificate.organisation, preferred=request.GET.get("lang", "")
    )
    response = render(request, "training/certificate_verify.html", {"certificate": certificate})
    response["X-Robots-Tag"] = "noindex"
    # same-origin, not no-referrer: with no-referrer the browser sends "Origin: null" and
    # the language switcher's POST fails the CSRF check (403); other sites still get nothing.
    response["Referrer-Policy"] = "same-origin"
    return response


@require_http_methods(["GET", "POST"])
def credential_verify(request: HttpRequest) -> HttpResponse:
    """Paste or upload a credential: is it signed by its issuer, unchanged, not revoked?"""
    form = CredentialCheckForm(request.POST or None, request.FILES or None)
    check = None
    if request.method == "POST":
        if not throttling.throttle_allows(request, action=throttling.CERTIFICATE_VERIFY):
            return throttling.too_many_requests(request)
        if form.is_valid():
            check = credentials.credential_check(
                form.cleaned_data["credential"], base_url=request.build_absolute_uri("/")
            )
    response = render(request, "training/credential_verify.html", {"form": form, "check": check})
    response["X-Robots-Tag"] = "noindex"
    return response


def _json(data: object, *, content_type: str = "application/json") -> HttpResponse:
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type=content_type
    )
    response["Cache-Control"] = PUBLIC_CACHE
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def issuer_profile(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = selectors.public_organisation(slug=slug)
    profile = credentials.issuer_profile(organisation, base_url=request.build_absolute_uri("/"))
    return _json({"@context": credentials.CONTEXTS, **profile}, content_type="application/ld+json")


@require_GET
def issuer_keys(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = selectors.public_organisation(slug=slug)
    keys = credentials.issuer_keys(organisation, base_url=request.build_absolute_uri("/"))
    return _json(keys, content_type="application/jwk-set+json")


@require_GET
def issuer_status_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The signed revocation list (a BitstringStatusListCredential as a JWS)."""
    organisation = selectors.public_organisation(slug=slug)
    token = credentials.status_list_signed(organisation, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(token, content_type="application/vc+jwt")
    response["Cache-Control"] = "public, max-age=60"
    response["Access-Control-Allow-Origin"] = "*"
    return response
