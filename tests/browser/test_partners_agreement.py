"""A staff member working in French finds a confirmed match waiting on the internships page,
creates the learner's internship from it (the offer fills the form), records each party's
signature, and downloads the agreement: a PDF in French, "Convention de stage", naming the
learner. The pages fit a phone and pass axe."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from conftest import World
from tests.browser.conftest import PHONE, check_page
from tremplin.partners.models import Internship, InternshipStatus, Match
from tremplin.partners.services.internships import signatures_required
from tremplin.partners.tests.agreement_builders import confirmed_match, learner_enrolled
from tremplin.partners.tests.factories import (
    PartnerFactory,
)
from tremplin.partners.tests.pdf_outline import pdf_outline

pytestmark = [pytest.mark.browser]


def _confirmed_match(world: World) -> Match:
    partner = PartnerFactory(organisation=world.alpha, name="FibreNord", country="FR")
    return confirmed_match(learner_enrolled(world), partner)


def _french_context(browser: Any, live_server: Any, world: World) -> Any:
    client = Client()
    client.force_login(world.users["coach_a1"])
    context = browser.new_context(viewport=PHONE, locale="fr-FR", accept_downloads=True)
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
    return context


def test_staff_creates_the_internship_from_a_match_signs_and_prints_it_in_french(
    transactional_db: None, live_server: Any, world: World, browser: Any, tmp_path: Path
) -> None:
    match = _confirmed_match(world)
    context = _french_context(browser, live_server, world)
    page = context.new_page()
    page.goto(live_server.url + reverse("partners:internship-list"))
    assert page.locator("html").get_attribute("lang") == "fr"
    create_url = reverse("partners:internship-create-from-match", kwargs={"match_id": match.pk})
    page.click(f"a[href='{create_url}']")
    assert page.input_value("#id_starts_on") == "2026-06-01"
    assert page.input_value("#id_currency") == "EUR"
    page.click("main form button[type=submit]")
    page.wait_for_url("**/internships/*/")
    internship = Internship.objects.get(match=match)
    assert internship.partner.name == "FibreNord"
    assert internship.tutor is not None
    check_page(page, "partners-agreement-detail")

    signers = {
        "learner": "Amina Diallo",
        "company": "FibreNord",
        "organisation": "Alpha North",
        "tutor": "Marc Leroy",
    }
    assert {r.value for r in signatures_required(internship)} == set(signers)
    for role, name in signers.items():
        page.select_option("#id_role", role)
        page.fill("#id_signer_name", name)
        page.fill("#id_signed_on", "2026-05-20")
        page.click("form[action$='/signatures/'] button[type=submit]")
        page.wait_for_load_state()
    internship.refresh_from_db()
    assert internship.status == InternshipStatus.SIGNED
    assert internship.signatures.count() == 4

    pdf_url = reverse("partners:internship-agreement-pdf", kwargs={"internship_id": internship.pk})
    with page.expect_download() as download_info:
        page.click(f"a[href='{pdf_url}']")
    path = tmp_path / "agreement.pdf"
    download_info.value.save_as(path)
    content = path.read_bytes()
    assert content.startswith(b"%PDF")
    outline = pdf_outline(content)
    assert "Convention de stage" in outline
    assert "Amina Diallo" in outline
    context.close()
