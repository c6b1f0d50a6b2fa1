from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.core.models import User
from tremplin.network.selectors import scope_for

# Paths a user may reach before enrolling an authenticator: sign-in and MFA pages, language.
_ALLOWED_PREFIXES = ("/accounts/", "/language/", "/static/")


def mfa_required(user: User) -> bool:
    """True when the user must enrol an authenticator before using Tremplin."""
    if not scope_for(user).needs_mfa:
        return False
    if settings.TREMPLIN_DEMO_ACCOUNTS_SKIP_MFA and user.is_demo_account:
        return False
    return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class MfaRequiredMiddleware:
    """Every role that can see sensitive data signs in with a second factor."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            isinstance(user, User)
            and user.is_authenticated
            and not request.path.startswith(_ALLOWED_PREFIXES)
            and mfa_required(user)
        ):
            messages.info(
                request,
                _(
                    "Your role gives access to sensitive data: set up two-step sign-in "
                    "with an authenticator app before you continue."
                ),
            )
            target = reverse("mfa_activate_totp")
            if request.headers.get("HX-Request"):
                response = HttpResponse(status=204)
                response.headers["HX-Redirect"] = target
                return response
            return redirect(target)
        return self.get_response(request)


class SiteTimezoneMiddleware:
    """Staff read times in their site's time zone (an officer in Phnom Penh reads 14:05, not
    the server's 07:05); a user with organisation-wide roles only reads UTC. Read from the
    scope, with no query of its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        zone = None
        if isinstance(user, User) and user.is_authenticated:
            zone = scope_for(user).timezone
        if not zone:
            return self.get_response(request)
        timezone.activate(zoneinfo.ZoneInfo(zone))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()  # the thread serves the next request in the server's zone
