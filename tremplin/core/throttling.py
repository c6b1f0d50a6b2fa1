"""Limits on what anyone can do without an account: start an application, register for an
information session, have a resume link mailed.

The same mechanism as the sign-in limit (allauth's rate limits: a sliding window per client
address and per key, counted in the cache; decision 0002), with our own rates in
``TREMPLIN_RATE_LIMITS``: ``"10/m/ip,60/h/ip"`` allows 10 a minute and 60 an hour from one
address; ``"3/h/key"`` 3 an hour for one key (an e-mail address). The address is the
client's, read through the trusted proxies (``core.client_address``, decision 0020).

A view asks ``throttle_allows(request, action=..., key=...)`` just before the work the limit
protects, and answers ``too_many_requests(request)`` (a page in the visitor's language,
status 429) when it is refused.
"""

from __future__ import annotations

from http import HTTPStatus

from allauth.core.internal import ratelimit
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

# The actions limited, each with its rates in TREMPLIN_RATE_LIMITS.
APPLICATION_START = "application_start"
SESSION_REGISTRATION = "session_registration"
RESUME_LINK_MAIL = "resume_link_mail"
# training: a certificate's public verification page and the credential check.
CERTIFICATE_VERIFY = "certificate_verify"


def throttle_allows(request: HttpRequest, *, action: str, key: str = "") -> bool:
    """Count this request against the limits of ``action``; False when one of them is used
    up. ``key`` (normalised by the caller: an e-mail in lower case) is what the rates "per
    key" count; it is needed when the action has some."""
    usage = ratelimit.consume(
        request,
        app="tremplin",
        action=action,
        config=settings.TREMPLIN_RATE_LIMITS,
        key=key or None,
        limit_get=True,
    )
    return usage is not None


def too_many_requests(request: HttpRequest) -> HttpResponse:
    """The page that says to wait a little, in the visitor's language."""
    return render(request, "429.html", status=HTTPStatus.TOO_MANY_REQUESTS)
