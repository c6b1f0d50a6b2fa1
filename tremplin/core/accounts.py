from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.http import HttpRequest
from django.utils import translation

from tremplin.core.client_address import client_address
from tremplin.core.models import User


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    """Staff accounts are created by invitation only: no public sign-up."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def get_client_ip(self, request: HttpRequest) -> str:
        """The address allauth's limits (failed sign-ins) count per: the client's, through
        the trusted proxies, never the proxy's."""
        return client_address(request)

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Account e-mails (password reset, …) go out in the recipient's own language when
        their account has one, else in the language of the page that asked for them."""
        with translation.override(mail_language(email)):
            super().send_mail(template_prefix, email, context)


def mail_language(email: str) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    own = (
        User.objects.filter(email__iexact=email.strip())
        .exclude(preferred_language="")
        .values_list("preferred_language", flat=True)
        .first()
    )
    if own in codes:
        return str(own)
    return translation.get_language() or str(settings.LANGUAGE_CODE)
