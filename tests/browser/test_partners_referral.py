"""A referral partner refers a person from its private link on a 360 px phone, in French; the
person opens the link from the e-mail on their phone, completes and submits the application;
staff select it; the partner's page then shows "selected"."""

from __future__ import annotations

import re
from typing import Any

import pytest

from conftest import World
from tests.browser.conftest import PHONE, check_page
from tests.mail import Inbox
from tremplin.partners.models import Referral
from tremplin.partners.tests.referral_builders import link_url, refer_link
from tremplin.selection.models import Application, FinalDecision
from tremplin.selection.services.decisions import decision_propose, decisions_validate
from tremplin.selection.tests.builders import open_call

pytestmark = [pytest.mark.browser]


def _phone(browser: Any) -> Any:
    context = browser.new_context(viewport=PHONE, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def _select(world: World, application: Application) -> None:
    decision_propose(
        actor=world.users["manager_a1"],
        application=application,
        outcome=Application.Outcome.SELECTED,
        reason="passed",
    )
    decisions_validate(
        actor=world.users["manager_a1"],
        call=application.call,
        decision_ids=FinalDecision.objects.filter(application=application).values_list(
            "pk", flat=True
        ),
    )


def test_a_partner_refers_a_person_who_applies_and_is_selected(
    transactional_db: None, live_server: Any, world: World, browser: Any, smtp_inbox: Inbox
) -> None:
    open_call(world)
    new = refer_link(world, language="fr")
    partner_context, partner = _phone(browser)
    partner.goto(live_server.url + link_url(new.token))
    assert partner.get_attribute("html", "lang") == "fr"
    check_page(partner, "referral-link-french")
    partner.fill("input[name=given_names]", "Sokha")
    partner.fill("input[name=family_name]", "Chan")
    partner.fill("input[name=email]", "sokha@example.org")
    partner.fill("textarea[name=note]", "Arrivée l'an dernier, motivée par les réseaux.")
    partner.check("input[name=consent]")
    partner.check("input[name=shares_status]")
    partner.click("main form button[type=submit]")
    partner.wait_for_selector("text=Nous lui avons envoyé un lien")
    referral = Referral.objects.get()
    assert referral.shares_status

    # The person opens their link from the e-mail, on their phone.
    mail = smtp_inbox.body(-1)
    assert "vous a orienté" in mail
    resume = re.search(r"http://\S+/apply/\S+", mail)
    assert resume is not None, mail
    person_context, person = _phone(browser)
    person.goto(resume.group(0))
    person.wait_for_url("**/step/1/")
    assert person.input_value("input[name=given_names]") == "Sokha"
    assert person.input_value("input[name=family_name]") == "Chan"
    person.check("input[name=gender][value=female]")
    person.fill("input[name=birth_date]", "2004-03-02")  # the date picker reads ISO
    person.click("main form button[type=submit]")
    person.wait_for_url("**/step/2/")
    assert person.input_value("input[name=email]") == "sokha@example.org"
    person.click("main form button[type=submit]")
    person.wait_for_url("**/step/3/")
    person.check("input[name=documents]")
    person.click("main form button[type=submit]")
    person.wait_for_url("**/step/4/")
    assert person.is_checked("input[name=channel][value=partner]")
    person.click("main form button[type=submit]")
    person.wait_for_url("**/step/5/")
    person.check("input[name=consent_data]")
    person.click("main form button[type=submit]")
    person.wait_for_url("**/sent/")
    referral.refresh_from_db()
    application = referral.application
    assert application is not None
    assert application.status == Application.Status.SUBMITTED
    assert referral.person_id == application.person_id

    partner.goto(live_server.url + link_url(new.token, people=True))
    assert partner.text_content(".referral-status") == "A candidaté"
    _select(world, application)
    partner.reload()
    assert partner.text_content(".referral-status") == "Sélectionnée"
    check_page(partner, "referral-people-french")
    partner_context.close()
    person_context.close()
