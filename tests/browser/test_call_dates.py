"""A selection officer working in French edits a call's dates and saves it at the first try:
the date pickers show the call's dates (they are given ISO values, not 02/12/2026)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from conftest import World
from tests.browser.test_journeys import sign_in
from tremplin.core.models import User
from tremplin.selection.models import Call
from tremplin.selection.tests.builders import open_call

pytestmark = [pytest.mark.browser]


def test_an_officer_in_french_edits_a_calls_dates_and_saves_first_time(
    transactional_db: None, live_server: Any, world: World, browser: Any
) -> None:
    call = open_call(world)
    opens_on, closes_on = call.opens_on, call.closes_on
    User.objects.filter(pk=world.users["officer_a1"].pk).update(preferred_language="fr")
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, live_server.url, world, "officer_a1")
    page.goto(f"{live_server.url}/selection/calls/{call.pk}/edit/")
    assert page.get_attribute("html", "lang") == "fr"
    # The pickers show the stored dates: nothing to type again.
    assert page.input_value("input[name=opens_on]") == opens_on.isoformat()
    assert page.input_value("input[name=closes_on]") == closes_on.isoformat()
    new_closing = closes_on + dt.timedelta(days=14)
    page.fill("input[name=closes_on]", new_closing.isoformat())
    page.click("main form button[type=submit]")
    page.wait_for_url(f"**/selection/calls/{call.pk}/")
    assert "Enregistré" in page.inner_text(".alert-success")
    call = Call.objects.get(pk=call.pk)
    assert (call.opens_on, call.closes_on) == (opens_on, new_closing)
    context.close()
