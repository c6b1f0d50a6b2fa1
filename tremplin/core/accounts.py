from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    """Staff accounts are created by invitation only: no public sign-up."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False
