"""The partner pages: the list and its filters, the form with its duplicate warning, the
partner's page (timeline with amounts for managers only, also in the CSV), contacts, private
links shown once and sent by e-mail, merging, and Beta never reaching Alpha's partners."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.urls import reverse

from conftest import World
from tests.mail import Inbox
from tremplin.core.models import AuditEvent
from tremplin.messaging.models import Message
from tremplin.partners.models import Interaction, Partner, PartnerContact, PartnerLink
from tremplin.partners.tests.factories import (
    InternshipFactory,
    OfferFactory,
    PartnerContactFactory,
    PartnerFactory,
)


def test_the_list_filters_by_partnership_and_shows_archived_on_request(world: World) -> None:
    PartnerFactory(organisation=world.alpha, name="Cisco", partnerships=["funds"])
    PartnerFactory(organisation=world.alpha, name="Synacy", partnerships=["hosts_interns"])
    PartnerFactory(
        organisation=world.alpha, name="Old Co", archived_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    )
    client = world.client_for("coach_a1")
    page = client.get(reverse("partners:home"), {"partnership": "funds"}).content.decode()
    assert "Cisco" in page
    assert "Synacy" not in page
    assert "Old Co" not in page
    assert "New partner" in page
    archived = client.get(reverse("partners:home"), {"archived": "on"}).content.decode()
    assert "Old Co" in archived
    assert "Cisco" not in archived


def test_a_similar_name_is_warned_then_created_anyway(world: World) -> None:
    PartnerFactory(organisation=world.alpha, name="Accenture SAS")
    client = world.client_for("manager_a1")
    data = {
        "name": "ACCENTURE",
        "kind": "company",
        "partnerships": ["hosts_interns", "hires"],
        "country": "PH",
    }
    warned = client.post(reverse("partners:partner-create"), data)
    assert warned.status_code == 200
    assert "may be entered already" in warned.content.decode()
    assert Partner.objects.filter(organisation=world.alpha).count() == 1
    created = client.post(reverse("partners:partner-create"), {**data, "create_anyway": "on"})
    assert created.status_code == 302
    partner = Partner.objects.get(name="ACCENTURE")
    assert partner.partnerships == ["hosts_interns", "hires"]
    assert partner.country == "PH"
    assert AuditEvent.objects.filter(action="partner.created", subject_id=partner.pk).exists()


def test_the_same_registration_number_is_refused_on_the_form(world: World) -> None:
    PartnerFactory(organisation=world.alpha, name="Web Essentials", registration_number="PH-123")
    response = world.client_for("manager_a1").post(
        reverse("partners:partner-create"),
        {"name": "Totally different", "kind": "company", "registration_number": "ph 123"},
    )
    assert response.status_code == 200
    assert "Web Essentials already has this registration number" in response.content.decode()
    assert Partner.objects.count() == 1


def _donation(partner: Partner) -> Interaction:
    return Interaction.objects.create(
        partner=partner,
        kind="donation_received",
        happened_on=dt.date(2026, 5, 4),
        amount=Decimal("12345.67"),
        currency="EUR",
    )


def test_a_job_coach_sees_the_donation_without_its_amount(world: World) -> None:
    partner = PartnerFactory(organisation=world.alpha)
    _donation(partner)
    url = reverse("partners:partner-detail", args=[partner.pk])
    export = reverse("partners:partner-timeline-export", args=[partner.pk])
    coach = world.client_for("coach_a1")
    page = coach.get(url).content.decode()
    assert "Donation received" in page
    assert "12,345" not in page
    assert "12345" not in page
    csv_text = coach.get(export).content.decode()
    assert "Donation received" in csv_text
    assert "12345" not in csv_text
    assert "EUR" not in csv_text
    manager = world.client_for("manager_a1")
    assert "12345.67 EUR" in manager.get(url).content.decode()
    assert "12345.67" in manager.get(export).content.decode()


def test_an_amount_with_a_decimal_comma_in_french(world: World) -> None:
    partner = PartnerFactory(organisation=world.alpha)
    client = world.client_for("manager_a1")
    client.cookies["tremplin_language"] = "fr"
    response = client.post(
        reverse("partners:interaction-add", args=[partner.pk]),
        {
            "timeline-kind": "donation_pledged",
            "timeline-happened_on": "31/12/2026",
            "timeline-amount": "1500,50",
            "timeline-currency": "EUR",
        },
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = partner.interactions.get()
    assert (entry.amount, entry.currency, entry.happened_on) == (
        Decimal("1500.50"),
        "EUR",
        dt.date(2026, 12, 31),
    )


def test_an_amount_without_currency_is_refused_on_the_page(world: World) -> None:
    partner = PartnerFactory(organisation=world.alpha)
    response = world.client_for("manager_a1").post(
        reverse("partners:interaction-add", args=[partner.pk]),
        {
            "timeline-kind": "donation_received",
            "timeline-happened_on": "2026-03-01",
            "timeline-amount": "100",
        },
    )
    assert response.status_code == 200
    assert "Currency: give the currency of the amount." in response.content.decode()
    assert not partner.interactions.exists()


def test_a_job_coach_has_no_amount_field(world: World) -> None:
    partner = PartnerFactory(organisation=world.alpha)
    page = world.client_for("coach_a1").get(reverse("partners:partner-detail", args=[partner.pk]))
    assert 'name="timeline-amount"' not in page.content.decode()
    world.client_for("coach_a1").post(
        reverse("partners:interaction-add", args=[partner.pk]),
        {
            "timeline-kind": "donation_received",
            "timeline-happened_on": "2026-03-01",
            "timeline-amount": "100",
            "timeline-currency": "EUR",
        },
    )
    assert partner.interactions.get().amount is None


def test_the_timeline_is_newest_first_and_its_query_count_does_not_grow(
    world: World, django_assert_max_num_queries: Any
) -> None:
    partner = PartnerFactory(organisation=world.alpha)
    contact = PartnerContactFactory(partner=partner)
    for day in range(1, 4):
        Interaction.objects.create(
            partner=partner, kind="call", happened_on=dt.date(2026, 1, day), contact=contact
        )
    OfferFactory(partner=partner, title="Fibre splicer intern")
    InternshipFactory(partner=partner, enrolment__cohort__run=world.run_north)
    client = world.client_for("manager_a1")
    url = reverse("partners:partner-detail", args=[partner.pk])
    client.get(url)
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    for day in range(4, 30):
        Interaction.objects.create(
            partner=partner,
            kind="visit",
            happened_on=dt.date(2026, 1, day),
            contact=contact,
            summary=f"Visit {day}",
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url).content.decode()
    assert page.index("Visit 29") < page.index("Visit 28")
    assert "Fibre splicer intern" in page
    assert "1 internship" in page


def test_a_contact_is_added_as_a_tutor_and_archived(world: World) -> None:
    partner = PartnerFactory(organisation=world.alpha)
    client = world.client_for("coach_a1")
    client.post(
        reverse("partners:contact-add", args=[partner.pk]),
        {
            "name": "Maria Santos",
            "email": "maria@synacy.example",
            "language": "en",
            "is_tutor": "on",
        },
    )
    contact = PartnerContact.objects.get(partner=partner)
    assert contact.is_tutor
    assert contact.language == "en"
    client.post(reverse("partners:contact-archive", args=[partner.pk, contact.pk]))
    contact.refresh_from_db()
    assert contact.archived_at is not None


def test_a_private_link_is_shown_once_and_sent_by_email(
    world: World, smtp_inbox: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    partner = PartnerFactory(organisation=world.alpha, name="Youth Office")
    contact = PartnerContactFactory(
        partner=partner, name="Lina", email="lina@office.example", language="en"
    )
    client = world.client_for("coach_a1")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("partners:partner-link-create", args=[partner.pk]),
            {
                "link-contact": contact.pk,
                "link-purpose": "refer",
                "link-days": "90",
                "link-send": "on",
            },
        )
    assert response.status_code == 200
    page = response.content.decode()
    link = PartnerLink.objects.get(partner=partner)
    assert "/partners/r/" in page
    assert link.token_hash not in page
    token = page.split("/partners/r/")[1].split("/")[0]
    assert f"/partners/r/{token}/" in smtp_inbox.body()
    assert Message.objects.get(kind="partner_link").recipient == "lina@office.example"
    detail = client.get(reverse("partners:partner-detail", args=[partner.pk])).content.decode()
    assert token not in detail
    assert "Lina" in detail
    client.post(reverse("partners:partner-link-revoke", args=[partner.pk, link.pk]))
    link.refresh_from_db()
    assert link.revoked_at is not None


def test_a_link_cannot_be_sent_to_a_contact_without_email(world: World) -> None:
    partner = PartnerFactory(organisation=world.alpha)
    contact = PartnerContactFactory(partner=partner, email="")
    response = world.client_for("coach_a1").post(
        reverse("partners:partner-link-create", args=[partner.pk]),
        {
            "link-contact": contact.pk,
            "link-purpose": "offers",
            "link-days": "30",
            "link-send": "on",
        },
    )
    assert response.status_code == 200
    assert "has no e-mail address" in response.content.decode()
    assert not PartnerLink.objects.exists()


def test_a_manager_merges_a_duplicate_from_the_page(world: World) -> None:
    kept = PartnerFactory(organisation=world.alpha, name="Avanade")
    twin = PartnerFactory(organisation=world.alpha, name="Avanade SAS")
    PartnerContactFactory(partner=twin)
    client = world.client_for("manager_a1")
    page = client.get(reverse("partners:partner-merge", args=[kept.pk])).content.decode()
    assert "Avanade SAS" in page
    response = client.post(
        reverse("partners:partner-merge", args=[kept.pk]), {"other": twin.pk, "keep": "this"}
    )
    assert response.status_code == 302
    assert not Partner.objects.filter(pk=twin.pk).exists()
    assert kept.contacts.count() == 1
    assert (
        world.client_for("coach_a1")
        .get(reverse("partners:partner-merge", args=[kept.pk]))
        .status_code
        == 403
    )


def test_beta_never_reaches_alphas_partner(world: World) -> None:
    partner = PartnerFactory(organisation=world.alpha, name="Alpha's friend")
    contact = PartnerContactFactory(partner=partner)
    beta = world.client_for("manager_b1")
    for url in (
        reverse("partners:partner-detail", args=[partner.pk]),
        reverse("partners:partner-edit", args=[partner.pk]),
        reverse("partners:partner-timeline-export", args=[partner.pk]),
        reverse("partners:contact-edit", args=[partner.pk, contact.pk]),
    ):
        assert beta.get(url).status_code == 404, url
    assert beta.post(reverse("partners:partner-archive", args=[partner.pk])).status_code == 404
    assert "Alpha&#x27;s friend" not in beta.get(reverse("partners:home")).content.decode()
    partner.refresh_from_db()
    assert partner.archived_at is None
