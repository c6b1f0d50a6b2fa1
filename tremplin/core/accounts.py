from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest

from tremplin.core.client_address import client_address


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    """Staff accounts are created by invitation only: no public sign-up."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def get_client_ip(self, request: HttpRequest) -> str:
        """The address allauth's limits (failed sign-ins) count per: the client's, through
        the trusted proxies, never the proxy's."""
        return client_address(request)
