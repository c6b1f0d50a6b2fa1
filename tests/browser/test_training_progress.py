"""A learner in Arabic opens their progress on a 360 px phone: right to left, plain words,
no sideways scroll, no serious accessibility problem (issue 13, item 6)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from conftest import World
from tests.browser.conftest import PHONE, check_page
from tremplin.network.models import Organisation
from tremplin.training.models import CompetenceEvidence
from tremplin.training.tests.progress_setup import setup, token_for

pytestmark = [pytest.mark.browser]


def test_a_learner_in_arabic_opens_their_progress_on_a_phone(
    transactional_db: None, live_server: Any, world: World, browser: Any
) -> None:
    Organisation.objects.filter(pk=world.alpha.pk).update(
        applicant_languages=["fr", "en", "ar"], default_language="fr"
    )
    s = setup(world)
    CompetenceEvidence.objects.create(
        enrolment=s.amina,
        competence=s.c11,
        level=3,
        source="trainer",
        assessed_on=dt.date(2026, 10, 1),
    )
    CompetenceEvidence.objects.create(
        enrolment=s.amina,
        competence=s.c21,
        level=3,
        source="project",
        assessed_on=dt.date(2026, 10, 8),
    )
    token = token_for(s.amina)
    context = browser.new_context(viewport=PHONE, locale="ar", has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/training/me/{token}/progress/")
    assert page.get_attribute("html", "lang") == "ar"
    assert page.get_attribute("html", "dir") == "rtl"
    assert page.get_by_role("heading", level=1).inner_text().strip() == "تقدّمي"  # "My progress"
    text = page.locator("main").inner_text()
    assert "بلغت المستوى 3 من 5" in text  # "You reached level 3 of 5"
    assert "بلغت الهدف. أحسنت!" in text  # 2.1: aim reached
    assert "لم يُقيَّم بعد" in text  # 3.1: not assessed yet
    # Right to left: the heading starts at the right edge of the page.
    box = page.get_by_role("heading", level=1).bounding_box()
    assert box is not None
    assert box["x"] + box["width"] > PHONE["width"] - 40
    # No sideways scroll on the phone.
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    # The bars are meters a screen reader reads as a value out of the aim.
    meter = page.locator("meter").first
    assert meter.get_attribute("max") == "5"
    assert meter.get_attribute("value") == "3"
    check_page(page, "training-learner-progress-arabic")
    page.set_viewport_size(PHONE)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    context.close()


def test_a_coach_reads_the_heat_map_on_a_phone_in_arabic(
    transactional_db: None, live_server: Any, world: World, browser: Any
) -> None:
    from tests.browser.test_journeys import sign_in
    from tremplin.training.tests.progress_setup import learners_add

    s = setup(world)
    learners_add(s.cohort, 12)  # wider than a phone
    CompetenceEvidence.objects.create(
        enrolment=s.amina,
        competence=s.c11,
        level=5,
        source="trainer",
        assessed_on=dt.date(2026, 10, 1),
    )
    context = browser.new_context(viewport=PHONE, locale="ar", has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, live_server.url, world, "coach_a1")
    page.goto(f"{live_server.url}/training/cohorts/{s.cohort.pk}/heatmap/")
    assert page.get_attribute("html", "dir") == "rtl"
    region = page.locator(".table-responsive")
    # The map scrolls inside its card; the page does not scroll sideways.
    assert region.evaluate("e => e.scrollWidth > e.clientWidth")
    # (a screen reader's hidden words inside the cells are held by the card too)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    assert "✓ 5" in region.inner_text()
    assert "تم بلوغ المستوى المستهدف" in page.locator("#heat-legend").inner_text()
    check_page(page, "training-heatmap-arabic")
    context.close()
