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


def test_the_link_of_an_application_already_sent_says_when_it_was_sent_not_404(
    world: World,
) -> None:
    """Issue 12 (tester): the resume link of a sent application gave Django's 404 page. It
    says, in the applicant's language, that the application was sent and on which date, what
    happens next and whom to ask; it shows nothing of the application and opens no draft."""
    import datetime as dt

    from tremplin.selection.models import Application
    from tremplin.selection.tests.test_application_form import LANGUAGES, PROJECT, SEND

    call = open_call(world)
    first = Client(HTTP_ACCEPT_LANGUAGE="fr")
    fill(first, call, ABOUT, CONTACT)
    token = first.session[f"apply:{call.pk}"]["token"]
    for number, data in enumerate((LANGUAGES, PROJECT, SEND), start=3):
        step = reverse("selection:apply-step", kwargs={"slug": call.slug, "step": number})
        first.post(step, data)
    application = Application.objects.get(call=call)
    assert application.status == Application.Status.SUBMITTED
    sent_on = dt.datetime(2026, 11, 5, 10, 0, tzinfo=dt.UTC)
    Application.objects.filter(pk=application.pk).update(submitted_at=sent_on)
    link = reverse("selection:apply-resume", kwargs={"slug": call.slug, "token": token})
    other = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = other.get(link)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Votre candidature est déjà envoyée" in text  # her language, not this browser's
    assert "5 novembre 2026" in text
    assert "team@example.org" in text
    assert "Sokha" not in text
    assert f"apply:{call.pk}" not in other.session
    assert (
        other.get(
            reverse("selection:apply-resume", kwargs={"slug": call.slug, "token": "nope"})
        ).status_code
        == 404
    )
