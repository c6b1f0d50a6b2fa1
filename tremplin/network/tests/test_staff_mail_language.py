"""Staff e-mails go out in the recipient's language, else the site's — never in English just
because the sender's page was."""

from __future__ import annotations

from email.header import decode_header, make_header
from email.message import Message
from typing import Any

from django.test import Client
from django.urls import reverse

from conftest import World
from tests.mail import Inbox
from tremplin.network.models import Site
from tremplin.network.tests.factories import UserFactory


def _subject(message: Message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def _invite(world: World, persona: str, **data: Any) -> None:
    response = world.client_for(persona).post(reverse("network:staff-invite"), data)
    assert response.status_code == 302


def test_an_invitation_to_a_french_site_is_in_french(
    world: World, smtp_inbox: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    Site.objects.filter(pk=world.north.pk).update(default_language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        _invite(world, "manager_a1", email="lea@example.org", role="trainer", site=world.north.pk)
    [mail] = smtp_inbox.messages
    assert _subject(mail) == "Invitation à rejoindre Tremplin"
    body = smtp_inbox.body(0)
    assert "vous invite à rejoindre Tremplin en tant que Formateur" in body
    assert "Pour accepter, ouvrez ce lien" in body


def test_an_invitation_to_someone_with_an_account_is_in_their_language(
    world: World, smtp_inbox: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    Site.objects.filter(pk=world.north.pk).update(default_language="fr")
    UserFactory(email="sara@example.org", preferred_language="ar")
    with django_capture_on_commit_callbacks(execute=True):
        _invite(world, "manager_a1", email="sara@example.org", role="trainer", site=world.north.pk)
    assert _subject(smtp_inbox.messages[0]) == "دعوة للانضمام إلى Tremplin"


def test_an_organisation_role_invitation_uses_its_sites_language(
    world: World, smtp_inbox: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    Site.objects.filter(organisation=world.alpha).update(default_language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        _invite(
            world,
            "admin_a",
            email="funder@example.org",
            role="funder_viewer",
            organisation=world.alpha.pk,
        )
    assert _subject(smtp_inbox.messages[0]) == "Invitation à rejoindre Tremplin"


def test_a_password_reset_is_in_the_users_language(world: World, smtp_inbox: Inbox) -> None:
    UserFactory(email="lea@example.org", preferred_language="fr")
    response = Client().post(reverse("account_reset_password"), {"email": "lea@example.org"})
    assert response.status_code == 302
    [mail] = smtp_inbox.messages
    assert "mot de passe" in _subject(mail).lower()
    assert "mot de passe" in smtp_inbox.body(0)
