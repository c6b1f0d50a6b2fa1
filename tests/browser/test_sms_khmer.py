"""An applicant in Khmer, in Cambodia, applies on a 360 px phone with only a phone number,
and is told everything by SMS in Khmer: the link to come back, the confirmation and the
committee's decision (issue 12, items 12 and 13; the test SMS gateway receives them)."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import World
from tests.browser.conftest import PHONE, check_page
from tests.mail import Inbox
from tests.sms import Gateway
from tremplin.messaging.models import Message
from tremplin.network.models import Organisation, Site
from tremplin.selection.models import Application, ReasonCode
from tremplin.selection.services import decisions as decision_services
from tremplin.selection.tests.builders import open_call

pytestmark = [pytest.mark.browser]


def _no_sideways_scroll(page: Any) -> None:
    assert page.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1"
    ), page.url


def _apply_with_only_a_phone(page: Any, base: str, slug: str) -> None:
    """Every step of the public form in Khmer on a phone, giving only a phone number."""
    page.goto(f"{base}/selection/apply/{slug}/")
    assert page.get_attribute("html", "lang") == "km"
    # The language switcher names Khmer in Khmer.
    switcher = page.locator("footer button[name=language][value=km]")
    assert switcher.inner_text().strip() == "ខ្មែរ"
    # The Khmer font comes from the site itself (200) and draws the page.
    page.wait_for_function("() => document.fonts.status === 'loaded'")
    assert page.evaluate("() => document.fonts.check(\"16px 'Noto Sans Khmer'\", 'ក')")
    fonts = page.evaluate(
        "() => performance.getEntriesByType('resource').map(e => e.name)"
        ".filter(n => n.includes('noto-sans-khmer') && /\\.woff2?$/.test(n))"
    )
    assert fonts
    for url in fonts:
        assert url.startswith(base)
        assert page.request.get(url).status == 200
    _no_sideways_scroll(page)
    page.click("form button[type=submit]")
    page.wait_for_url("**/step/1/")
    assert page.get_attribute("html", "lang") == "km"
    page.fill("input[name=given_names]", "Dara")
    page.fill("input[name=family_name]", "Sok")
    page.check("input[name=gender][value=male]")
    page.fill("input[name=birth_date]", "2003-07-14")
    _no_sideways_scroll(page)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/step/2/")
    # A Cambodian number as people write it, without the country code.
    page.fill("input[name=phone]", "012 345 678")
    check_page(page, "apply-phone-only-khmer")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/step/3/")
    page.check("input[name=documents]")
    _no_sideways_scroll(page)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/step/4/")
    page.check("input[name=channel][value=social_media]")
    _no_sideways_scroll(page)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/step/5/")
    page.check("input[name=consent_data]")
    _no_sideways_scroll(page)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/sent/")
    assert page.get_attribute("html", "lang") == "km"
    check_page(page, "apply-sent-khmer")


def test_a_khmer_applicant_with_only_a_phone_is_told_everything_by_sms_in_khmer(
    transactional_db: None,
    live_server: Any,
    world: World,
    browser: Any,
    sms_gateway: Gateway,
    smtp_inbox: Inbox,
) -> None:
    # A Passerelles numériques–like site: in Phnom Penh, applicants offered English and Khmer,
    # the site's own language English.
    Organisation.objects.filter(pk=world.alpha.pk).update(
        applicant_languages=["en", "km"], default_language="en"
    )
    Site.objects.filter(pk=world.north.pk).update(
        country="KH", city="Phnom Penh", default_language="en"
    )
    call = open_call(world)
    context = browser.new_context(viewport=PHONE, locale="km-KH", has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    _apply_with_only_a_phone(page, live_server.url, call.slug)
    context.close()

    application = Application.objects.get(call=call)
    assert application.language == "km"
    assert application.person is not None
    assert application.person.email == ""
    phone = "+85512345678"
    resume, confirmation = sms_gateway.texts(phone)
    assert f"{live_server.url}/selection/apply/{call.slug}/continue/" in resume
    assert "ដើម្បីត្រឡប់ទៅពាក្យស្នើសុំរបស់អ្នក" in resume  # "To come back to your application"
    assert "យើងបានទទួលពាក្យស្នើសុំរបស់អ្នកសម្រាប់ “Digital basics 2027”" in confirmation

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
    told = sms_gateway.texts(phone)[-1]
    assert "ដំណឹងល្អ អ្នកត្រូវបានជ្រើសរើសសម្រាប់ “Digital basics 2027”" in told  # "good news"
    assert "good news" not in told
    assert len(sms_gateway.received) == 3
    assert smtp_inbox.messages == []
    assert set(Message.objects.values_list("channel", "status", "language")) == {
        ("sms", "sent", "km")
    }
