from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from tremplin.core.language_cookie import language_cookie_set
from tremplin.core.models import User
from tremplin.core.registry import registry


def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("core:dashboard")
    return redirect(settings.LOGIN_URL)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    tiles = []
    for tile in registry.tiles:
        context = tile.build(request, user)
        if context is not None:
            tiles.append({"template": tile.template, "context": context})
    return render(request, "core/dashboard.html", {"tiles": tiles})


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; a signed-in user keeps it as their preference."""
    language = request.POST.get("language", "")
    if language not in dict(settings.LANGUAGES):
        return HttpResponseBadRequest("Unknown language.")
    next_url = request.POST.get("next", "/")
    back = urlsplit(next_url)
    if back.netloc and back.netloc == request.get_host():  # the page a form was sent from
        next_url = back.path + (f"?{back.query}" if back.query else "")
    if not next_url.startswith("/") or not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"  # only a path of this site (redirect() would take a word for a view)
    user = request.user
    if isinstance(user, User) and user.is_authenticated and language in settings.STAFF_LANGUAGES:
        user.preferred_language = language
        user.save(update_fields=["preferred_language", "updated_at"])
    translation.activate(language)
    response = HttpResponseRedirect(next_url)
    language_cookie_set(response, language=language)
    return response
