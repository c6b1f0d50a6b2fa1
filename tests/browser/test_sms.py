"""An applicant with only a phone applies on a 360 px phone and is told everything by SMS:
the link to come back, the confirmation, and later the committee's decision (the test SMS
gateway receives them)."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import World
from tests.browser.conftest import PHONE, check_page
from tests.mail import Inbox
from tests.sms import Gateway
from tremplin.messaging.models import Message
from tremplin.people.tests.factories import PersonFactory
from tremplin.selection.models import Application, ReasonCode
from tremplin.selection.services import decisions as decision_services
from tremplin.selection.tests.builders import applicant, open_call

pytestmark = [pytest.mark.browser]


def test_an_applicant_with_only_a_phone_is_told_everything_by_sms(
    transactional_db: None,
    live_server: Any,
    world: World,
    browser: Any,
    sms_gateway: Gateway,
    smtp_inbox: Inbox,
) -> None:
    call = open_call(world)
    context = browser.new_context(viewport=PHONE, locale="fr")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/selection/apply/{call.slug}/")
    page.click("form button[type=submit]")
    page.wait_for_url("**/step/1/")
    page.fill("input[name=given_names]", "Dara")
    page.fill("input[name=family_name]", "Sok")
    page.check("input[name=gender][value=male]")
    page.fill("input[name=birth_date]", "2003-07-14")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/step/2/")
    page.fill("input[name=phone]", "+33 6 55 44 33 22")
    check_page(page, "apply-phone-only-french")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/step/3/")
    page.check("input[name=documents]")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/step/4/")
    page.check("input[name=channel][value=social_media]")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/step/5/")
    page.check("input[name=consent_data]")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/sent/")
    context.close()

    application = Application.objects.get(call=call)
    assert application.person is not None
    assert application.person.email == ""
    resume, confirmation = sms_gateway.texts("+33655443322")
    assert f"{live_server.url}/selection/apply/{call.slug}/continue/" in resume
    assert "nous avons bien reçu votre candidature à « Digital basics 2027 »" in confirmation

    decision = decision_services.decision_propose(
        actor=world.users["officer_a1"],
        application=application,
        outcome="selected",
        reason=ReasonCode.PASSED,
    )
    decision_services.decisions_validate(
        actor=world.users["manager_a1"], call=call, decision_ids=[decision.pk]
    )
    decision.refresh_from_db()
    assert decision.mailed_at is not None
    assert "bonne nouvelle, vous êtes retenu" in sms_gateway.texts("+33655443322")[-1]
    assert len(sms_gateway.received) == 3
    assert smtp_inbox.messages == []
    assert set(Message.objects.values_list("channel", "status")) == {("sms", "sent")}


def test_staff_see_an_sms_not_delivered_and_send_it_again_on_a_phone_in_arabic(
    transactional_db: None,
    live_server: Any,
    world: World,
    browser: Any,
    sms_gateway: Gateway,
) -> None:
    from tests.browser.test_journeys import sign_in

    call = open_call(world)
    person = PersonFactory(site=world.north, phone="+33655443322", email="")
    application = applicant(call, person, language="fr", help_requested="Et le transport ?")
    sms_gateway.answer = 503
    decision = decision_services.decision_propose(
        actor=world.users["officer_a1"],
        application=application,
        outcome="waitlisted",
        reason=ReasonCode.SEATS,
    )
    decision_services.decisions_validate(
        actor=world.users["manager_a1"], call=call, decision_ids=[decision.pk]
    )
    assert Message.objects.get().status == "failed"
    sms_gateway.answer = 200

    context = browser.new_context(viewport=PHONE, locale="ar")
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, live_server.url, world, "officer_a1")
    for name, path in [
        ("messages", "/messages/"),
        ("call-detail-questions", f"/selection/calls/{call.pk}/"),
        ("application-messages", f"/selection/applications/{application.pk}/"),
    ]:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert page.get_attribute("html", "dir") == "rtl"
        check_page(page, f"messaging-{name}-arabic")
    page.click("form[action$='/retry/'] button[type=submit]")
    page.wait_for_url(f"**/selection/applications/{application.pk}/")
    assert "liste d'attente" in sms_gateway.texts("+33655443322")[0]
    decision.refresh_from_db()
    assert decision.mailed_at is not None
    context.close()
