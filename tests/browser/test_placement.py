"""The placement test in a real browser: a learner takes it in French on a 360 px phone with
every question read aloud, loses the page midway and comes back with the same link, finishes
and reads the result; a trainer reviews a borderline result; the pages lay out right to left in
Arabic."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import World
from tests.browser.conftest import PHONE, check_page
from tests.browser.test_journeys import sign_in
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import AuditEvent
from tremplin.placement.bank import bank_install_shipped, digcomp
from tremplin.placement.models import Attempt, Item
from tremplin.placement.services import attempts as services

pytestmark = [pytest.mark.browser]

# The browser's speech synthesis, recorded instead of spoken (headless Chromium has no voice):
# the page must hand it the question and its choices, in the test's language.
SPEECH_RECORDER = """
window.__spoken = [];
window.speechSynthesis.speak = function (utterance) {
  window.__spoken.push({text: utterance.text, lang: utterance.lang});
};
window.speechSynthesis.cancel = function () {};
"""


def _phone(browser: Any, locale: str = "fr-FR") -> Any:
    context = browser.new_context(viewport=PHONE, locale=locale, has_touch=True)
    context.add_init_script(SPEECH_RECORDER)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def _answer_one(page: Any) -> None:
    """Tap the first answer offered (a place on a picture, or a choice), then "Next"."""
    zones = page.locator(".hotspot-zone")
    if zones.count():
        zones.first.tap()
        assert zones.first.get_attribute("aria-pressed") == "true"
    else:
        page.locator("label.choice-label").first.tap()
    with page.expect_navigation():
        page.get_by_role("button", name="Suivante").tap()


def _started(world: World, language: str = "fr") -> services.Started:
    bank_install_shipped(world.alpha)
    return services.attempt_start(
        actor=world.users["officer_a1"],
        person=world.amina,
        programme=world.programme_alpha,
        language=language,
    )


def test_a_learner_takes_the_test_in_french_on_a_phone_leaves_and_comes_back(
    transactional_db: None, live_server: Any, world: World, browser: Any
) -> None:
    started = _started(world)
    link = f"{live_server.url}/placement/test/{started.token}/"
    context, page = _phone(browser)
    page.goto(link)
    assert page.get_attribute("html", "lang") == "fr"
    assert page.locator("#progress-label").inner_text().startswith("Question 1")
    # Every question read aloud, chosen by the learner on the page.
    page.check("#read-aloud-always")
    with page.expect_navigation():
        page.get_by_role("button", name="Modifier").tap()
    page.wait_for_function("() => window.__spoken && window.__spoken.length > 0")
    spoken = page.evaluate("() => window.__spoken")
    question = page.locator("#question-text").inner_text()
    assert spoken[-1]["lang"] == "fr"
    assert question in spoken[-1]["text"]
    check_page(page, "placement-question-french")
    for _ in range(3):
        _answer_one(page)
    assert page.locator("#progress-label").inner_text().startswith("Question 4")
    context.close()

    # The connection is lost; the same link later, on the same phone or another one.
    assert Attempt.objects.get(pk=started.attempt.pk).answers.count() == 3
    context, page = _phone(browser)
    page.goto(link)
    assert page.locator("#progress-label").inner_text().startswith("Question 4")
    assert page.is_checked("#read-aloud-always")
    page.wait_for_function("() => window.__spoken.length > 0")
    for _ in range(25):
        if page.locator("#question-form").count() == 0:
            break
        _answer_one(page)
    assert page.locator("h1").inner_text() == "Merci\u00a0: le test est terminé."
    text = page.locator("main").inner_text()
    assert "Votre niveau" in text
    assert "Par domaine" in text
    attempt = Attempt.objects.get(pk=started.attempt.pk)
    assert attempt.state == Attempt.State.FINISHED
    assert attempt.read_aloud
    assert 3 < attempt.answers.count() <= 20
    check_page(page, "placement-result-french")
    context.close()


def test_a_trainer_reviews_a_borderline_result(
    transactional_db: None, live_server: Any, world: World, page: Any
) -> None:
    started = _started(world)
    attempt = started.attempt
    # Alternate right and wrong answers until the test ends.
    for n in range(40):
        attempt.refresh_from_db()
        if attempt.state == Attempt.State.FINISHED:
            break
        item = attempt.next_item
        assert item is not None
        choice = item.answer if n % 2 == 0 else (item.answer + 1) % len(item.choices)
        services.attempt_answer(attempt=attempt, item_id=item.pk, choice=choice)
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.FINISHED
    # Whatever the answers gave, this result is the uncertain one the trainer must look at.
    Attempt.objects.filter(pk=attempt.pk).update(borderline=True, confidence=0.6)
    before = attempt.band
    other = next(b for b in ("beginner", "intermediate", "advanced") if b != before)

    sign_in(page, live_server.url, world, "trainer_a1")
    page.goto(f"{live_server.url}/placement/attempts/")
    row = page.locator("tr", has_text=world.amina.display_name)
    assert "borderline" in row.inner_text()
    row.get_by_role("link").click()
    page.wait_for_url(f"**/placement/attempts/{attempt.pk}/")
    check_page(page, "placement-review")
    # Changing the group without a reason is refused, and says why.
    page.check(f"#band-{other}")
    with page.expect_navigation():
        page.click("form[action$='/review/'] button[type=submit]")
    assert page.locator(".alert-danger, .invalid-feedback, .alert-warning").count() >= 1
    attempt.refresh_from_db()
    assert attempt.review == ""
    page.check(f"#band-{other}")
    page.fill("#review-reason", "Talked with her: she uses e-mail and forms every day.")
    with page.expect_navigation():
        page.click("form[action$='/review/'] button[type=submit]")
    attempt.refresh_from_db()
    assert attempt.review == Attempt.Review.OVERRIDDEN
    assert attempt.final_band == other
    assert attempt.reviewed_by == world.users["trainer_a1"]
    assert AuditEvent.objects.filter(action=AuditAction.ATTEMPT_RESULT_REVIEWED).exists()
    row = page.locator("body")
    assert "Talked with her" in row.inner_text()


def test_the_placement_pages_lay_out_right_to_left_in_arabic(
    transactional_db: None, live_server: Any, world: World, browser: Any
) -> None:
    started = _started(world, language="ar")
    context, page = _phone(browser, locale="ar")
    page.goto(f"{live_server.url}/placement/test/{started.token}/")
    assert page.get_attribute("html", "dir") == "rtl"
    check_page(page, "placement-question-arabic")
    context.close()
    context = browser.new_context(viewport=PHONE, locale="ar")
    page = context.new_page()
    sign_in(page, live_server.url, world, "officer_a1")
    page.goto(f"{live_server.url}/placement/attempts/")
    assert page.get_attribute("html", "dir") == "rtl"
    check_page(page, "placement-attempts-arabic")
    context.close()


@pytest.mark.parametrize("locale", ["ar", "fr"])
def test_the_bank_frameworks_settings_and_calibration_pages_fit_a_phone(
    transactional_db: None, live_server: Any, world: World, browser: Any, locale: str
) -> None:
    bank_install_shipped(world.alpha)
    hotspot = Item.objects.filter(organisation=world.alpha, kind="hotspot").first()
    assert hotspot is not None
    context = browser.new_context(viewport=PHONE, locale=locale)
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, live_server.url, world, "manager_a1")
    for name, path in [
        ("items", "/placement/items/"),
        ("item-preview", f"/placement/items/{hotspot.pk}/?lang=ar"),
        ("item-edit", f"/placement/items/{hotspot.pk}/edit/"),
        ("item-new", "/placement/items/new/"),
        ("item-import", "/placement/items/import/"),
        ("calibration", "/placement/calibration/"),
        ("frameworks", "/placement/frameworks/"),
        ("framework-digcomp", f"/placement/frameworks/{digcomp().pk}/"),
        ("framework-new", "/placement/frameworks/new/"),
        ("framework-import", "/placement/frameworks/import/"),
        ("settings", "/placement/settings/"),
        ("settings-edit", f"/placement/settings/{world.programme_alpha.pk}/"),
        ("targets", f"/placement/settings/{world.programme_alpha.pk}/competences/"),
    ]:
        page.goto(live_server.url + path)
        assert page.get_attribute("html", "dir") == ("rtl" if locale == "ar" else "ltr")
        check_page(page, f"placement-{name}-{locale}")
    context.close()


def test_a_konexio_applicant_finishes_the_test_and_the_placement_stage_shows_the_score(
    transactional_db: None, live_server: Any, world: World, browser: Any, page: Any
) -> None:
    """Nobody types the score: the officer starts the test for the person (no application
    named), the applicant takes it on a phone, and the Konexio call's "Placement test" stage
    holds the score when the officer opens it."""
    from tremplin.selection.models import StageResult
    from tremplin.selection.tests.builders import applicant, open_call

    call = open_call(world, process="konexio")
    placement = call.stages.get(placement_test=True)
    application = applicant(call, world.amina, through=placement.position - 1)
    bank_install_shipped(world.alpha)
    started = services.attempt_start(
        actor=world.users["officer_a1"], person=world.amina, programme=call.run.programme
    )
    context, phone = _phone(browser)
    phone.goto(f"{live_server.url}/placement/test/{started.token}/")
    for _ in range(25):
        if phone.locator("#question-form").count() == 0:
            break
        _answer_one(phone)
    assert phone.locator("h1").inner_text() == "Merci\u00a0: le test est terminé."
    context.close()

    attempt = Attempt.objects.get(pk=started.attempt.pk)
    expected = services.stage_score_expected(attempt)
    assert expected is not None
    result = StageResult.objects.get(application=application, stage=placement)
    assert result.score == expected
    assert result.recorded_by is None  # the system, not a person typing
    sign_in(page, live_server.url, world, "officer_a1")
    page.goto(f"{live_server.url}/selection/calls/{call.pk}/stages/{placement.pk}/")
    score = page.get_by_role("textbox", name=f"Score of {world.amina.display_name}")
    shown = score.input_value()
    assert shown == str(expected)
