"""Offers: staff enter them, a partner contact enters one through their link, a learner says
which interest them; bad input is refused naming the field, nothing saved."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from conftest import World
from tremplin.core.models import AuditEvent
from tremplin.partners.models import Offer, OfferInterest, OfferSource, OfferStatus, PartnerLink
from tremplin.partners.services.links import partner_link_revoke
from tremplin.partners.tests.offer_builders import (
    alpha_partner,
    learner_token,
    north_cohort,
    offers_link_token,
    open_offer,
)
from tremplin.training.tests.progress_setup import digcomp


def _form(**changes: Any) -> dict[str, Any]:
    data = {
        "kind": "internship",
        "title": "Network technician intern",
        "places": "3",
        "starts_on": "2027-06-01",
        "ends_on": "2027-08-31",
        "hours_per_week": "35",
        "allowance_amount": "660,50",
        "pay_period": "month",
        "currency": "EUR",
        "city": "Lille",
        "language_1": "fr",
        "language_level_1": "B1",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_staff_enter_an_offer_with_competences_and_languages(world: World) -> None:
    partner = alpha_partner(world)
    competence = digcomp("1.1")
    response = world.client_for("coach_a1").post(
        reverse("partners:offer-create"),
        _form(
            partner=partner.pk,
            site=world.north.pk,
            competence_1=competence.pk,
            competence_level_1="3",
        ),
    )
    offer = Offer.objects.get()
    assert response.status_code == 302
    assert offer.status == OfferStatus.OPEN
    assert offer.source == OfferSource.STAFF
    assert str(offer.allowance_amount) == "660.50"
    assert [(c.competence_id, c.level) for c in offer.competences.all()] == [(competence.pk, 3)]
    assert [(lang.language, lang.level) for lang in offer.languages.all()] == [("fr", "B1")]
    assert AuditEvent.objects.filter(action="offer.created", subject_id=offer.pk).exists()
    page = world.client_for("coach_a1").get(reverse("partners:offer-list"))
    assert "Network technician intern" in page.content.decode()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"currency": ""}, "currency", "Give the currency of the pay or allowance."),
        ({"ends_on": "2027-05-01"}, "ends_on", "The offer cannot end before it starts."),
        ({"places": "0"}, "places", "An offer has at least 1 place."),
        (
            {"competence_1": "999999", "competence_level_1": "3"},
            "competence_1",
            "Choose a competence from the list.",
        ),
        ({"allowance_amount": "1e30"}, "allowance_amount", "Allowance: a positive amount"),
        ({"currency": "XXQ"}, "currency", "is not a currency code"),
    ],
)
def test_bad_offers_are_refused_naming_the_field(
    world: World, changes: dict[str, str], field: str, message: str
) -> None:
    partner = alpha_partner(world)
    response = world.client_for("manager_a1").post(
        reverse("partners:offer-create"), _form(partner=partner.pk, **changes)
    )
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert not Offer.objects.exists()


def test_another_organisations_offer_is_not_found(world: World) -> None:
    offer = open_offer(world)
    client = world.client_for("manager_b1")
    assert client.get(reverse("partners:offer-detail", args=[offer.pk])).status_code == 404
    assert client.get(reverse("partners:offer-ranking", args=[offer.pk])).status_code == 404


def test_a_partner_contact_enters_an_offer_as_a_draft_and_sees_only_their_partners(
    world: World, client: Any
) -> None:
    partner = alpha_partner(world, name="Fibre Nord")
    other = open_offer(world, title="Someone else's offer")
    mine = open_offer(world, partner=partner, title="Splicer apprentice")
    token = offers_link_token(world, partner)
    url = reverse("partners:link-offers", args=[token])
    page = client.get(url).content.decode()
    assert mine.title in page
    assert other.title not in page
    response = client.post(url, _form(title="Fibre intern"))
    assert response.status_code == 302
    offer = Offer.objects.get(title="Fibre intern")
    assert offer.partner == partner
    assert offer.status == OfferStatus.DRAFT
    assert offer.source == OfferSource.PARTNER_LINK
    assert offer.contact is not None
    # pay without a currency: refused, naming the field
    response = client.post(url, _form(title="No currency", currency=""))
    assert response.status_code == 400
    assert "currency" in response.context["form"].errors
    # staff publish the draft
    manager = world.client_for("manager_a1")
    manager.post(reverse("partners:offer-publish", args=[offer.pk]))
    offer.refresh_from_db()
    assert offer.status == OfferStatus.OPEN


def test_a_revoked_or_unknown_offers_link_is_not_found(world: World, client: Any) -> None:
    token = offers_link_token(world)
    partner_link_revoke(actor=world.users["admin_a"], link=PartnerLink.objects.get())
    assert client.get(reverse("partners:link-offers", args=[token])).status_code == 404
    assert client.get(reverse("partners:link-offers", args=["x" * 300])).status_code == 404


def test_a_learner_says_which_offers_interest_them_in_order(world: World, client: Any) -> None:
    cohort = north_cohort(world, others=0)
    enrolment = cohort.enrolments.get()
    first, second, third = (open_offer(world, title=f"Offer {n}") for n in (1, 2, 3))
    elsewhere = open_offer(world, title="For the south", site=world.south)
    token = learner_token(enrolment)
    url = reverse("partners:learner-offers", args=[token])
    page = client.get(url).content.decode()
    assert "Offer 1" in page
    assert "For the south" not in page
    for offer in (second, first, third):
        client.post(url, {"offer": offer.pk, "interested": "1"})
    ranks = dict(OfferInterest.objects.values_list("offer_id", "rank"))
    assert ranks == {second.pk: 1, first.pk: 2, third.pk: 3}
    client.post(url, {"offer": second.pk, "interested": "0"})
    ranks = dict(OfferInterest.objects.values_list("offer_id", "rank"))
    assert ranks == {first.pk: 1, third.pk: 2}
    assert client.post(url, {"offer": elsewhere.pk, "interested": "1"}).status_code == 302
    assert client.post(url, {"offer": "abc"}).status_code == 302
    assert not OfferInterest.objects.filter(offer=elsewhere).exists()
    home = client.get(reverse("training:learner-home", args=[token])).content.decode()
    assert url in home
