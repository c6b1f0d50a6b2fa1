"""A site manager, on a 360 px phone, adds a partner entered already under another spelling
(warned, then confirmed as another partner), records a donation with its amount, makes a
private link for a contact and copies it; the pages fit the phone and pass axe."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from conftest import World
from tests.browser.conftest import PHONE, check_page
from tremplin.partners.models import Partner, PartnerLink
from tremplin.partners.tests.factories import PartnerContactFactory, PartnerFactory

pytestmark = [pytest.mark.browser]


def _signed_in_page(browser: Any, live_server: Any, world: World, persona: str) -> Any:
    client = Client()
    client.force_login(world.users[persona])
    context = browser.new_context(viewport=PHONE, locale="en-GB")
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    return page


def test_a_manager_adds_a_partner_a_donation_and_a_link_on_a_phone(
    transactional_db: None, live_server: Any, world: World, browser: Any
) -> None:
    PartnerFactory(organisation=world.alpha, name="Palo IT SAS")
    page = _signed_in_page(browser, live_server, world, "manager_a1")
    page.goto(live_server.url + reverse("partners:partner-create"))
    page.fill("#id_name", "PALO-IT")
    page.select_option("#id_kind", "company")
    page.check("input[name=partnerships][value=hosts_interns]")
    page.click("button.btn-primary[type=submit]")
    page.wait_for_selector("#likely-duplicates")
    check_page(page, "partners-duplicate-warning")
    page.check("#id_create_anyway")
    page.click("button.btn-primary[type=submit]")
    page.wait_for_selector("h1:has-text('PALO-IT')")
    partner = Partner.objects.get(name="PALO-IT")
    PartnerContactFactory(partner=partner, name="Maria Santos", email="maria@palo.example")

    page.reload()
    page.click("summary:has-text('Add to the timeline')")
    page.select_option("#id_timeline-kind", "donation_received")
    page.fill("#id_timeline-happened_on", "2026-04-02")
    page.fill("#id_timeline-amount", "2500,50")
    page.select_option("#id_timeline-currency", "EUR")
    page.click("form[action$='/timeline/new/'] button[type=submit]")
    page.wait_for_selector("td:has-text('2500.50 EUR')")
    check_page(page, "partners-detail-phone")

    page.select_option("#id_link-contact", label="Maria Santos")
    page.select_option("#id_link-purpose", "offers")
    page.click("form[action$='/links/new/'] button[type=submit]")
    page.wait_for_selector("#private-link")
    assert "/partners/p/" in page.input_value("#private-link")
    page.click("button[data-copy]")
    page.wait_for_selector("#copy-status:has-text('Copied.')")
    check_page(page, "partners-link-created")
    assert PartnerLink.objects.filter(partner=partner).count() == 1
