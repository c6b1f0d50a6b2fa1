"""The resume link brings an applicant back in their language, on any device, with a
language cookie as safe as the others (``Secure`` under the production settings)."""

from __future__ import annotations

from django.test import Client, override_settings
from django.urls import reverse

from conftest import World
from tremplin.core.tests.test_start_up_and_sign_in import production_cookie_flags
from tremplin.selection.tests.builders import open_call
from tremplin.selection.tests.test_application_form import ABOUT, CONTACT, fill


def test_the_resume_link_sets_a_secure_language_cookie_under_production_settings(
    world: World,
) -> None:
    call = open_call(world)
    first = Client(HTTP_ACCEPT_LANGUAGE="fr")
    fill(first, call, ABOUT, CONTACT)
    token = first.session[f"apply:{call.pk}"]["token"]
    with override_settings(**production_cookie_flags()):
        response = Client().get(
            reverse("selection:apply-resume", kwargs={"slug": call.slug, "token": token})
        )
    cookie = response.cookies["tremplin_language"]
    assert cookie.value == "fr"
    assert cookie["secure"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
