"""Small builders for referral tests: a referral partner of Alpha with a private link."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from conftest import World
from tremplin.partners.models import LinkPurpose, Partner, PartnerKind
from tremplin.partners.services.links import NewLink, partner_link_create
from tremplin.partners.tests.factories import PartnerContactFactory, PartnerFactory
from tremplin.selection.models import Call

PERSON = {
    "given_names": "Sokha",
    "family_name": "Chan",
    "email": "sokha@example.org",
    "phone": "",
    "language": "fr",
    "note": "Arrived last year, keen on networks.",
    "consent": "on",
    "shares_status": "on",
}


def referral_partner(world: World, *, name: str = "Refugee support Lille") -> Partner:
    partner: Partner = PartnerFactory(
        organisation=world.alpha,
        name=name,
        kind=PartnerKind.NGO,
        partnerships=["refers"],
    )
    return partner


def refer_link(world: World, partner: Partner | None = None, *, language: str = "fr") -> NewLink:
    partner = partner or referral_partner(world)
    contact = PartnerContactFactory(partner=partner, name="Nadia Social worker", language=language)
    return partner_link_create(
        actor=world.users["manager_a1"],
        partner=partner,
        purpose=LinkPurpose.REFER,
        contact=contact,
    )


def link_url(token: str, *, people: bool = False) -> str:
    name = "partners:referral-link-people" if people else "partners:referral-link"
    return reverse(name, kwargs={"token": token})


def person_data(call: Call, **values: Any) -> dict[str, Any]:
    return {**PERSON, "call": call.pk, **values}
