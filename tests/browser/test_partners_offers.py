"""Offers in a browser: a partner contact enters an offer through their link on a 360 px
phone, in English, and staff find it in their list; a job coach matches a cohort to the
open offers and confirms the matches, on a desktop, in French."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from conftest import World
from tests.browser.conftest import DESKTOP, PHONE, check_page
from tremplin.partners.models import Match, MatchStatus, Offer, OfferSource, OfferStatus
from tremplin.partners.tests.offer_builders import (
    alpha_partner,
    north_cohort,
    offers_link_token,
    open_offer,
)

pytestmark = [pytest.mark.browser]


def test_a_partner_contact_enters_an_offer_on_a_phone_and_staff_see_it(
    transactional_db: None, live_server: Any, world: World, browser: Any
) -> None:
    partner = alpha_partner(world, name="Fibre Nord")
    token = offers_link_token(world, partner)
    context = browser.new_context(viewport=PHONE, locale="en-GB")
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}]
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(live_server.url + reverse("partners:link-offers", args=[token]))
    assert page.locator("h1").inner_text().strip() == "Offers of Fibre Nord"
    check_page(page, "partner-offers-link")
    page.select_option("#id_kind", "internship")
    page.fill("#id_title", "Fibre splicer intern")
    page.fill("#id_city", "Lille")
    page.fill("#id_starts_on", "2027-06-01")
    page.fill("#id_ends_on", "2027-08-31")
    page.fill("#id_allowance_amount", "660.50")
    page.fill("#id_places", "2")
    # pay without a currency: refused, the field named
    page.click("#send-offer")
    assert "Give the currency of the pay or allowance." in page.content()
    page.select_option("#id_currency", "EUR")
    page.click("#send-offer")
    page.wait_for_selector("#offer-sent")
    assert "Fibre splicer intern" in page.locator("#partner-offers").inner_text()
    context.close()
    offer = Offer.objects.get(title="Fibre splicer intern")
    assert offer.source == OfferSource.PARTNER_LINK
    assert offer.status == OfferStatus.DRAFT
    staff = Client()
    staff.force_login(world.users["coach_a1"])
    listing = staff.get(reverse("partners:offer-list") + "?status=draft").content.decode()
    assert "Fibre splicer intern" in listing


def test_a_job_coach_matches_a_cohort_and_confirms_the_matches_in_french(
    transactional_db: None, live_server: Any, world: World, browser: Any
) -> None:
    cohort = north_cohort(world, others=2)
    open_offer(world, title="Technicien fibre", places=2)
    open_offer(world, title="Assistant réseau", places=1, city="Paris")
    client = Client()
    coach = world.users["coach_a1"]
    coach.preferred_language = "fr"
    coach.save(update_fields=["preferred_language"])
    client.force_login(coach)
    context = browser.new_context(viewport=DESKTOP, locale="fr-FR")
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            },
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": "fr", "url": live_server.url},
        ]
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(live_server.url + reverse("partners:matching", args=[cohort.pk]))
    page.click("#run-matching")
    page.wait_for_selector("#matching-run")
    assert "Prouvée la meilleure possible." in page.locator("#matching-run").inner_text()
    check_page(page, "partners-matching")
    for _ in range(3):
        page.locator("#matches button:has-text('Confirmer')").first.click()
        page.wait_for_load_state()
    assert page.locator("#matches button:has-text('Confirmer')").count() == 0
    context.close()
    assert Match.objects.filter(status=MatchStatus.CONFIRMED).count() == 3
