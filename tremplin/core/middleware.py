from __future__ import annotations

from collections.abc import Callable

from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation

from tremplin.core.busy import RETRY_AFTER_SECONDS, database_busy


class UserLanguageMiddleware:
    """A signed-in user's preferred language wins over the browser's."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        language = getattr(user, "preferred_language", "") if user is not None else ""
        if user is not None and user.is_authenticated and language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        response = self.get_response(request)
        if "Content-Language" not in response:
            response.headers["Content-Language"] = translation.get_language()
        return response


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's, except that a session the database is too busy to save (``core.busy``)
    never turns the page into a 500. The session is saved on every request (its idle
    timeout): an unchanged one is simply not refreshed this time, and a page that already
    says the site is busy is kept; a changed one (a new draft's id) gives the busy page."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        try:
            return super().process_response(request, response)
        except OperationalError as exc:
            if not database_busy(exc):
                raise
            if not request.session.modified or response.status_code == 503:
                return response
            busy = render(request, "core/busy.html", status=503)
            busy["Retry-After"] = str(RETRY_AFTER_SECONDS)
            return busy
