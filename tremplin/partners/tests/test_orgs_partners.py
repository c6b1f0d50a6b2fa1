"""Partner organisations: duplicates by name and registration number, merging two records of
one partner, the timeline's amounts (managers only) and the currency rule."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import World
from tremplin.core.models import AuditEvent
from tremplin.partners.duplicates import name_similarity, partner_name_key, registration_key
from tremplin.partners.models import (
    Interaction,
    InteractionKind,
    LinkPurpose,
    Partner,
    PartnerContact,
    PartnerLink,
)
from tremplin.partners.selectors.partners import (
    partner_registered,
    partner_timeline,
    partners_like,
)
from tremplin.partners.services.interactions import InteractionDetails, interaction_record
from tremplin.partners.services.links import partner_link_create
from tremplin.partners.services.partners import (
    PartnerDetails,
    partner_create,
    partner_merge,
    partner_update,
)
from tremplin.partners.tests.factories import (
    InternshipFactory,
    OfferFactory,
    PartnerContactFactory,
    PartnerFactory,
    PartnerSiteFactory,
)


def _details(name: str, **extra: object) -> PartnerDetails:
    return PartnerDetails(name=name, kind="company", **extra)  # type: ignore[arg-type]


def test_name_key_drops_case_accents_punctuation_and_legal_forms() -> None:
    assert partner_name_key("Accenture SAS") == "accenture"
    assert partner_name_key("ACCENTURE, Inc.") == "accenture"
    assert partner_name_key("Palo-IT S.A.R.L.") == "palo it"
    assert partner_name_key("Société Générale SA") == "societe generale"
    assert partner_name_key("Web Essentials Co. Ltd") == "web essentials"
    assert registration_key("123 456 789 00012") == registration_key("12345678900012")
    assert registration_key("fr-123.456") == "FR123456"
    assert name_similarity("accenture", "acenture") >= 0.85
    assert name_similarity("cisco", "synacy") < 0.85


def test_partner_keys_are_kept_whoever_saves_it(world: World) -> None:
    partner = PartnerFactory(
        organisation=world.alpha, name="Econocom S.A.", registration_number="b 123"
    )
    assert (partner.name_key, partner.registration_key) == ("econocom", "B123")


def test_the_same_registration_number_is_refused_naming_the_partner(world: World) -> None:
    manager = world.users["manager_a1"]
    partner_create(
        actor=manager,
        organisation=world.alpha,
        details=_details("Synacy", registration_number="123 456 789 00012"),
    )
    with pytest.raises(ValidationError) as refused:
        partner_create(
            actor=manager,
            organisation=world.alpha,
            details=_details("Synacy Cebu", registration_number="12345678900012"),
        )
    assert "Synacy" in refused.value.message_dict["registration_number"][0]
    assert Partner.objects.filter(organisation=world.alpha).count() == 1


def test_another_organisation_may_hold_the_same_registration_number(world: World) -> None:
    PartnerFactory(organisation=world.alpha, registration_number="RCS 42")
    partner = partner_create(
        actor=world.users["manager_b1"],
        organisation=world.beta,
        details=_details("Other", registration_number="RCS 42"),
    )
    assert partner.registration_key == "RCS42"
    assert partner_registered(organisation_id=world.beta.pk, number="rcs-42") == partner


def test_editing_a_partner_keeps_its_own_number(world: World) -> None:
    partner = PartnerFactory(organisation=world.alpha, registration_number="42")
    updated = partner_update(
        actor=world.users["coach_a1"],
        partner=partner,
        details=_details("Renamed", registration_number="42", partnerships=["funds", "hires"]),
    )
    assert updated.name == "Renamed"
    assert updated.partnerships == ["hires", "funds"]
    assert AuditEvent.objects.filter(action="partner.updated", subject_id=partner.pk).exists()


def test_similar_names_are_found_among_the_organisations_partners_only(world: World) -> None:
    accenture = PartnerFactory(organisation=world.alpha, name="Accenture SAS")
    PartnerFactory(organisation=world.beta, name="Accenture")
    PartnerFactory(organisation=world.alpha, name="Cisco")
    assert partners_like(organisation_id=world.alpha.pk, name="ACCENTURE Inc.") == [accenture]
    assert partners_like(organisation_id=world.alpha.pk, name="Acenture") == [accenture]
    assert partners_like(organisation_id=world.alpha.pk, name="Avanade") == []


def test_beta_cannot_create_a_partner_for_alpha(world: World) -> None:
    with pytest.raises(PermissionDenied):
        partner_create(
            actor=world.users["manager_b1"], organisation=world.alpha, details=_details("X")
        )


def test_a_merge_moves_everything_to_the_kept_partner(world: World) -> None:
    kept = PartnerFactory(organisation=world.alpha, name="Palo IT", partnerships=["hosts_interns"])
    merged = PartnerFactory(
        organisation=world.alpha,
        name="Palo-IT SAS",
        registration_number="999",
        partnerships=["funds"],
        website="https://palo-it.example",
    )
    contact = PartnerContactFactory(partner=merged)
    site = PartnerSiteFactory(partner=merged)
    offer = OfferFactory(partner=merged)
    internship = InternshipFactory(partner=merged, enrolment__cohort__run=world.run_north)
    Interaction.objects.create(partner=merged, kind="call", happened_on=dt.date(2026, 3, 1))
    link = partner_link_create(
        actor=world.users["manager_a1"], partner=merged, purpose=LinkPurpose.REFER, contact=contact
    ).link

    result = partner_merge(actor=world.users["manager_a1"], kept=kept, merged=merged)

    assert not Partner.objects.filter(pk=merged.pk).exists()
    kept.refresh_from_db()
    assert kept.partnerships == ["hosts_interns", "funds"]
    assert (kept.registration_number, kept.registration_key) == ("999", "999")
    assert kept.website == "https://palo-it.example"
    for record in (contact, site, offer, internship, link):
        record.refresh_from_db()
        assert record.partner_id == kept.pk
    assert kept.interactions.count() == 1
    assert result.moved["partners.partnercontact"] == 1
    event = AuditEvent.objects.get(action="partner.merged", subject_id=kept.pk)
    assert event.changes["merged"]["from"]["name"] == "Palo-IT SAS"
    assert event.changes["merged"]["from"]["id"] == merged.pk


def test_only_managers_merge(world: World) -> None:
    one, two = PartnerFactory.create_batch(2, organisation=world.alpha)
    with pytest.raises(PermissionDenied):
        partner_merge(actor=world.users["coach_a1"], kept=one, merged=two)
    with pytest.raises(ValidationError):
        partner_merge(actor=world.users["manager_a1"], kept=one, merged=one)
    assert Partner.objects.filter(pk__in=[one.pk, two.pk]).count() == 2


def test_partners_of_two_organisations_are_never_merged(world: World) -> None:
    alpha, beta = PartnerFactory(organisation=world.alpha), PartnerFactory(organisation=world.beta)
    with pytest.raises(ValidationError):
        partner_merge(actor=world.users["superuser"], kept=alpha, merged=beta)


def _donation(world: World, partner: Partner, **extra: object) -> Interaction:
    details = {
        "kind": InteractionKind.DONATION_RECEIVED,
        "happened_on": dt.date(2026, 4, 2),
        "amount": Decimal("15000.50"),
        "currency": "EUR",
        **extra,
    }
    return interaction_record(
        actor=world.users["manager_a1"],
        partner=partner,
        details=InteractionDetails(**details),  # type: ignore[arg-type]
    )


def test_an_amount_without_currency_is_refused_naming_the_currency(world: World) -> None:
    partner = PartnerFactory(organisation=world.alpha)
    with pytest.raises(ValidationError) as refused:
        _donation(world, partner, currency="")
    assert "currency" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        _donation(world, partner, currency="XYZ")
    assert "currency" in refused.value.message_dict
    assert not partner.interactions.exists()


def test_only_donations_have_an_amount(world: World) -> None:
    partner = PartnerFactory(organisation=world.alpha)
    with pytest.raises(ValidationError) as refused:
        _donation(world, partner, kind=InteractionKind.MEETING)
    assert "amount" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        _donation(world, partner, amount=None)
    assert "amount" in refused.value.message_dict


def test_a_job_coach_records_no_amount(world: World) -> None:
    partner = PartnerFactory(organisation=world.alpha)
    with pytest.raises(PermissionDenied):
        interaction_record(
            actor=world.users["coach_a1"],
            partner=partner,
            details=InteractionDetails(
                kind="donation_pledged",
                happened_on=dt.date(2026, 1, 1),
                amount=Decimal(5),
                currency="EUR",
            ),
        )


def test_amounts_are_shown_to_managers_only(world: World) -> None:
    partner = PartnerFactory(organisation=world.alpha)
    _donation(world, partner)
    manager_view = partner_timeline(user=world.users["manager_a1"], partner=partner).get()
    coach_view = partner_timeline(user=world.users["coach_a1"], partner=partner).get()
    assert (manager_view.shown_amount, manager_view.shown_currency) == (Decimal("15000.50"), "EUR")
    assert (coach_view.shown_amount, coach_view.shown_currency) == (None, "")
    assert coach_view.get_kind_display() == "Donation received"
    event = AuditEvent.objects.get(action="interaction.recorded")
    assert "15000" not in str(event.changes)


def test_a_contact_of_another_partner_is_refused(world: World) -> None:
    partner = PartnerFactory(organisation=world.alpha)
    stranger = PartnerContactFactory(partner=PartnerFactory(organisation=world.alpha))
    with pytest.raises(ValidationError) as refused:
        interaction_record(
            actor=world.users["coach_a1"],
            partner=partner,
            details=InteractionDetails(
                kind="call", happened_on=dt.date(2026, 1, 1), contact=stranger
            ),
        )
    assert "contact" in refused.value.message_dict
    assert PartnerContact.objects.count() == 1
    assert PartnerLink.objects.count() == 0
