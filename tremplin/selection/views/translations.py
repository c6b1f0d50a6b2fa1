"""The call's text for applicants in the other languages its organisation offers."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tremplin.core.permissions import acting_user
from tremplin.selection.forms import CallTranslationsForm
from tremplin.selection.services import translations as translation_services
from tremplin.selection.views.access import call_to_manage, run_selection


@run_selection
def call_translations(request: HttpRequest, call_id: int) -> HttpResponse:
    user = acting_user(request)
    call = call_to_manage(request, call_id)
    languages = translation_services.translation_languages(call)
    form = CallTranslationsForm(request.POST or None, call=call, languages=languages)
    if request.method == "POST" and form.is_valid():
        translation_services.call_translations_set(actor=user, call=call, texts=form.texts())
        messages.success(request, _("Saved."))
        return redirect("selection:call-detail", call_id=call.pk)
    return render(
        request,
        "selection/call_translations.html",
        {
            "call": call,
            "form": form,
            "languages": languages,
            "default_language": call.site.organisation.default_language,
        },
    )
