"""An applicant in Khmer on a phone: the page in Khmer, drawn with the font the site serves,
and every step read aloud in Khmer by the phone's own voice (issue 12, items 13 and 15c)."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import World
from tests.browser.conftest import PHONE, check_page
from tests.browser.test_placement import SPEECH_RECORDER
from tremplin.network.models import Organisation
from tremplin.selection.tests.builders import open_call

pytestmark = [pytest.mark.browser]


def test_a_khmer_applicant_hears_each_step_in_khmer_on_a_phone(
    transactional_db: None, live_server: Any, world: World, browser: Any
) -> None:
    Organisation.objects.filter(pk=world.alpha.pk).update(
        applicant_languages=["fr", "en", "km"], default_language="fr"
    )
    call = open_call(world)
    context = browser.new_context(viewport=PHONE, locale="km-KH", has_touch=True)
    context.add_init_script(SPEECH_RECORDER)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/selection/apply/{call.slug}/")
    assert page.get_attribute("html", "lang") == "km"
    page.get_by_role("button", name="អានឮៗ").tap()  # "Read aloud"
    spoken = page.evaluate("() => window.__spoken")
    assert spoken[-1]["lang"] == "km"
    assert "Digital basics 2027" in spoken[-1]["text"]
    check_page(page, "apply-start-khmer")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").tap()
    page.get_by_role("button", name="អានឮៗ").tap()
    spoken = page.evaluate("() => window.__spoken")
    assert spoken[-1]["lang"] == "km"
    assert "អំពីអ្នក" in spoken[-1]["text"]  # the step's title, "About you"
    assert "ថ្ងៃខែឆ្នាំកំណើត" in spoken[-1]["text"]  # a question, "Date of birth"
    assert "Nationality" not in spoken[-1]["text"]
    # The Khmer font comes from the site itself, and draws the page.
    page.wait_for_function("() => document.fonts.status === 'loaded'")
    assert page.evaluate("() => document.fonts.check(\"16px 'Noto Sans Khmer'\", 'ក')")
    loaded = page.evaluate(
        "() => performance.getEntriesByType('resource').map(e => e.name)"
        ".filter(n => n.includes('noto-sans-khmer'))"
    )
    assert loaded
    assert all(url.startswith(live_server.url) for url in loaded)
    check_page(page, "apply-step-1-khmer")
    context.close()
