"""A referral partner refers a person through its private link: the referral pre-fills a
draft application, and the person gets their own link to complete it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import World
from tests.mail import Inbox
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import AuditEvent
from tremplin.messaging.models import Kind, Message
from tremplin.partners.models import Referral
from tremplin.partners.services.links import partner_link_revoke
from tremplin.partners.tests.referral_builders import link_url, person_data, refer_link
from tremplin.selection.models import Application, Call
from tremplin.selection.tests.builders import open_call


def test_the_link_lists_the_calls_open_now_in_the_contacts_language(world: World) -> None:
    call = open_call(world)
    closed = open_call(world, slug="closed-2026", title="Closed call")
    Call.objects.filter(pk=closed.pk).update(closes_on=timezone.localdate() - dt.timedelta(days=1))
    unpublished = open_call(world, slug="draft-2027", title="Not yet published")
    Call.objects.filter(pk=unpublished.pk).update(published=False)
    new = refer_link(world, language="fr")
    page = Client().get(link_url(new.token))
    assert page.status_code == 200
    text = page.content.decode()
    assert call.title in text
    assert "Closed call" not in text
    assert "Not yet published" not in text
    assert "Orienter une personne" in text
    assert page["Cache-Control"] == "no-store"


def test_a_referral_opens_a_prefilled_draft_and_mails_the_person_their_link(
    world: World, smtp_inbox: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    call = open_call(world)
    new = refer_link(world)
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link_url(new.token), person_data(call))
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert (referral.partner, referral.call, referral.link) == (new.link.partner, call, new.link)
    assert referral.shares_status
    assert referral.consent_at is not None
    application = referral.application
    assert application is not None
    assert application.status == Application.Status.DRAFT
    assert application.answers["given_names"] == "Sokha"
    assert application.answers["email"] == "sokha@example.org"
    assert application.answers["channel"] == "partner"
    assert application.language == "fr"
    message = Message.objects.get(kind=Kind.REFERRAL)
    assert message.recipient == "sokha@example.org"
    assert "orienté" in smtp_inbox.body(-1)
    assert AuditEvent.objects.filter(action=AuditAction.REFERRAL_CREATED).count() == 1
    # The person opens their link and lands on the form with their names filled in.
    resume = smtp_inbox.body(-1).split("http://testserver", 1)[1].split()[0]
    applicant = Client()
    step = applicant.get(resume)
    page = applicant.get(step["Location"])
    assert 'value="Sokha"' in page.content.decode()
    assert 'value="Chan"' in page.content.decode()


def test_a_referral_without_the_persons_consent_is_refused_and_nothing_is_saved(
    world: World,
) -> None:
    call = open_call(world)
    new = refer_link(world)
    data = person_data(call)
    del data["consent"]
    page = Client().post(link_url(new.token), data)
    assert page.status_code == 200
    assert "doit accepter" in page.content.decode()
    assert not Referral.objects.exists()
    assert not Application.objects.exists()
    assert not Message.objects.exists()


def test_a_referral_needs_an_email_or_a_phone(world: World) -> None:
    call = open_call(world)
    new = refer_link(world)
    page = Client().post(link_url(new.token), person_data(call, email="", phone=""))
    assert page.status_code == 200
    assert "adresse e-mail ou le numéro de téléphone" in page.content.decode()
    assert not Referral.objects.exists()


def test_a_closed_call_is_refused(world: World) -> None:
    call = open_call(world)
    new = refer_link(world)
    Call.objects.filter(pk=call.pk).update(closes_on=timezone.localdate() - dt.timedelta(days=1))
    page = Client().post(link_url(new.token), person_data(call))
    assert page.status_code == 200
    assert not Referral.objects.exists()


def test_a_call_of_another_organisation_is_refused(world: World) -> None:
    from tremplin.selection.services.calls import call_create

    today = timezone.localdate()
    beta_call = call_create(
        actor=world.users["manager_b1"],
        run=world.run_beta,
        slug="beta-2027",
        title="Beta call",
        opens_on=today - dt.timedelta(days=1),
        closes_on=today + dt.timedelta(days=9),
        process="passerelles",
    )
    Call.objects.filter(pk=beta_call.pk).update(published=True)
    open_call(world)
    new = refer_link(world)
    page = Client().post(link_url(new.token), person_data(beta_call))
    assert page.status_code == 200
    assert "Beta call" not in page.content.decode()
    assert not Referral.objects.exists()


def test_the_same_person_cannot_be_referred_twice_to_one_call(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    call = open_call(world)
    new = refer_link(world)
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(link_url(new.token), person_data(call)).status_code == 302
    page = client.post(link_url(new.token), person_data(call, email="SOKHA@example.org"))
    assert page.status_code == 200
    assert "déjà orientée" in page.content.decode()
    assert Referral.objects.count() == 1
    assert Application.objects.count() == 1


def test_a_revoked_expired_or_unknown_link_is_not_found(world: World) -> None:
    call = open_call(world)
    revoked = refer_link(world)
    partner_link_revoke(actor=world.users["manager_a1"], link=revoked.link)
    expired = refer_link(world, revoked.link.partner)
    type(expired.link).objects.filter(pk=expired.link.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    client = Client()
    for token in (revoked.token, expired.token, "nope", "x" * 500):
        assert client.get(link_url(token)).status_code == 404
        assert client.post(link_url(token), person_data(call)).status_code == 404
        assert client.get(link_url(token, people=True)).status_code == 404
    assert not Referral.objects.exists()


def test_an_offers_link_does_not_open_the_referral_page(world: World) -> None:
    from tremplin.partners.models import LinkPurpose
    from tremplin.partners.services.links import partner_link_create
    from tremplin.partners.tests.referral_builders import referral_partner

    offers = partner_link_create(
        actor=world.users["manager_a1"],
        partner=referral_partner(world),
        purpose=LinkPurpose.OFFERS,
    )
    assert Client().get(link_url(offers.token)).status_code == 404


def test_the_link_page_reads_in_english_and_arabic(world: World) -> None:
    open_call(world)
    english = refer_link(world, language="en")
    assert "Refer a person" in Client().get(link_url(english.token)).content.decode()
    arabic = refer_link(world, english.link.partner, language="ar")
    page = Client().get(link_url(arabic.token)).content.decode()
    assert 'dir="rtl"' in page


def test_the_persons_submission_links_the_referral_to_the_person(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    from tremplin.selection.services import applications as application_services

    call = open_call(world)
    new = refer_link(world)
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(link_url(new.token), person_data(call))
    referral = Referral.objects.get()
    application = referral.application
    assert application is not None
    application = application_services.application_step_save(
        application=application,
        step=5,
        answers={"birth_date": "2004-03-02", "gender": "female", "consent_data": True},
        language="fr",
    )
    application_services.application_submit(application=application)
    referral.refresh_from_db()
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert application.channel == "partner"
    assert referral.person_id == application.person_id is not None
    assert reverse("partners:referral-link", kwargs={"token": new.token})
