from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.core.exceptions import BadRequest
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation

from tremplin.core.busy import RETRY_AFTER_SECONDS, database_busy


class UserLanguageMiddleware:
    """A signed-in user's preferred language wins over the browser's. Pages are in one of the
    staff languages unless a public view activates an applicant's (network/languages.py)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        language = getattr(user, "preferred_language", "") if user is not None else ""
        if user is not None and user.is_authenticated and language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        if translation.get_language() not in settings.STAFF_LANGUAGES:
            translation.activate(settings.LANGUAGE_CODE)
            request.LANGUAGE_CODE = settings.LANGUAGE_CODE
        response = self.get_response(request)
        if "Content-Language" not in response:
            response.headers["Content-Language"] = translation.get_language()
        return response


class NulRefusedMiddleware:
    """A NUL character in a query string or a form answers 400 (Bad Request), whatever the
    page: no field or parameter can hold one, Django's forms refuse it already, and PostgreSQL
    refuses any text with one (a 500 wherever a view filters or saves what it was sent).
    Uploaded files are not looked at."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        for data in (request.GET, request.POST if request.method == "POST" else None):
            if data is not None and any(
                "\x00" in key or any("\x00" in value for value in values)
                for key, values in data.lists()
            ):
                raise BadRequest("A NUL character is not allowed in a form or a link.")
        return self.get_response(request)


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
