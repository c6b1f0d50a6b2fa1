"""What the browser walk of the partners' pages found: a French number typed as French people
type it, currency names in the reader's language, a link page in the language picked."""

from __future__ import annotations

from decimal import Decimal

import phonenumbers
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from conftest import World
from tremplin.partners.iso_codes import currency_choices, is_currency
from tremplin.partners.models import LinkPurpose, PayPeriod, Referral
from tremplin.partners.services.agreements import pay_text
from tremplin.partners.services.links import partner_link_create
from tremplin.partners.tests.factories import (
    InternshipFactory,
    PartnerContactFactory,
    PartnerFactory,
)
from tremplin.partners.tests.referral_builders import link_url, person_data, refer_link
from tremplin.selection.tests.builders import open_call


def test_a_phone_typed_without_country_code_is_read_in_the_calls_country(world: World) -> None:
    call = open_call(world)
    region = call.site.country.code
    example = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
    national = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.NATIONAL)
    partner = PartnerFactory(organisation=world.alpha, country="")  # its country not known
    new = refer_link(world, partner)
    response = Client().post(link_url(new.token), person_data(call, email="", phone=national))
    assert response.status_code == 302
    expected = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164)
    assert Referral.objects.get().application.answers["phone"] == expected


def test_currencies_are_named_in_the_readers_language_without_the_non_money_codes() -> None:
    with translation.override("fr"):
        names = dict(currency_choices())
    assert names["NZD"] == "NZD — Dollar néo-zélandais"
    with translation.override("en"):
        assert dict(currency_choices())["NZD"] == "NZD — New Zealand Dollar"
    assert "XXX" not in names
    assert "XAU" not in names
    assert not is_currency("XTS")


def test_the_offer_link_speaks_the_language_the_contact_picks(world: World) -> None:
    partner = PartnerFactory(organisation=world.alpha)
    contact = PartnerContactFactory(partner=partner, language="en")
    new = partner_link_create(
        actor=world.users["manager_a1"],
        partner=partner,
        purpose=LinkPurpose.OFFERS,
        contact=contact,
    )
    url = reverse("partners:link-offers", kwargs={"token": new.token})
    client = Client()
    assert 'lang="en"' in client.get(url).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert 'lang="fr"' in client.get(url).content.decode()


def test_an_agreement_names_both_the_pay_and_the_allowance_with_cents() -> None:
    internship = InternshipFactory.build(
        pay_amount=Decimal("12.5"),
        allowance_amount=Decimal("660.5"),
        currency="EUR",
        pay_period=PayPeriod.MONTH,
    )
    with translation.override("fr"):
        text = pay_text(internship)
    assert text.startswith("12,50 EUR")
    assert "660,50 EUR" in text
    internship.pay_amount = None
    with translation.override("en"):
        assert pay_text(internship).startswith("660.50 EUR")


def test_the_language_switch_after_a_refused_form_goes_back_to_the_page_of_the_form(
    world: World,
) -> None:
    client = Client()
    client.force_login(world.users["manager_a1"])
    page = client.post(
        reverse("partners:partner-create"), {"name": ""}, HTTP_REFERER="http://testserver/partners/"
    )
    assert 'name="next" value="http://testserver/partners/"' in page.content.decode()
    switched = client.post(
        reverse("core:set-language"), {"language": "fr", "next": "http://testserver/partners/"}
    )
    assert switched["Location"] == "/partners/"
    elsewhere = client.post(
        reverse("core:set-language"), {"language": "fr", "next": "http://evil.example/partners/"}
    )
    assert elsewhere["Location"] == "/"


def test_each_stage_of_the_funnel_is_named_on_a_phone(world: World) -> None:
    call = open_call(world)
    refer_link(world)
    stages = list(call.stages.order_by("position"))
    assert stages
    page = world.client_for("officer_a1").get(
        reverse("partners:referral-funnel"), {"call": call.pk}
    )
    text = page.content.decode()
    for stage in stages:
        assert f'data-label="Passed: {stage.name}"' in text


def test_a_contacts_language_is_named_on_the_partners_page(world: World) -> None:
    partner = PartnerFactory(organisation=world.alpha)
    PartnerContactFactory(partner=partner, language="ar")
    page = world.client_for("manager_a1").get(reverse("partners:partner-detail", args=[partner.pk]))
    assert "العربيّة" in page.content.decode()
