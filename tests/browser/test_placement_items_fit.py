"""Every question of the shipped bank fits a 360 px phone, in each language."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import World
from tests.browser.conftest import PHONE
from tremplin.placement.bank import bank_install_shipped
from tremplin.placement.models import Attempt, Item
from tremplin.placement.services import attempts as services

pytestmark = [pytest.mark.browser]


# French and Arabic: the longest texts and right-to-left (English is shorter than French).
@pytest.mark.parametrize("language", ["ar", "fr"])
def test_every_shipped_question_fits_a_phone(
    transactional_db: None, live_server: Any, world: World, browser: Any, language: str
) -> None:
    bank_install_shipped(world.alpha)
    started = services.attempt_start(
        actor=world.users["officer_a1"],
        person=world.amina,
        programme=world.programme_alpha,
        language=language,
    )
    context = browser.new_context(viewport=PHONE, locale=language)
    page = context.new_page()
    wide = []
    for item in Item.objects.filter(organisation=world.alpha).order_by("code"):
        Attempt.objects.filter(pk=started.attempt.pk).update(next_item=item)
        page.goto(f"{live_server.url}/placement/test/{started.token}/")
        width = page.evaluate("() => document.documentElement.scrollWidth")
        if width > PHONE["width"] + 1:
            culprit = page.evaluate(
                """() => [...document.querySelectorAll('main *')]
                    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
                              || e.getBoundingClientRect().left < -1)
                    .slice(-3).map(e => e.tagName + '.' + e.className + ': '
                                    + (e.textContent || '').slice(0, 40))"""
            )
            wide.append((item.code, width, culprit))
    context.close()
    assert not wide, wide
