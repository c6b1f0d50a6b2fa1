"""Early warning and the end-of-course survey in a real browser, at 360 px: a job coach sees
a learner at risk on their phone, records a call, and the alert shows it; a learner answers
the survey on their phone in Arabic."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from conftest import World
from tests.browser.conftest import PHONE, check_page
from tests.browser.test_journeys import sign_in
from tremplin.core.tokens import token_hash
from tremplin.training.models import AlertAction, SatisfactionSurvey, SurveyResponse
from tremplin.training.services.alert_checks import alerts_check
from tremplin.training.tests.alerting import attend, enrol, north_cohort

pytestmark = [pytest.mark.browser]


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_a_coach_sees_a_learner_at_risk_and_records_a_call(
    transactional_db: None, live_server: Any, world: World, browser: Any, locale: str
) -> None:
    enrolment = enrol(north_cohort(world), world.amina)
    attend(enrolment, *("present",) * 12, "absent", "absent", "absent")
    (alert,) = alerts_check()
    context = browser.new_context(viewport=PHONE, locale=locale)
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, live_server.url, world, "coach_a1")

    page.goto(f"{live_server.url}/training/at-risk/")
    assert page.get_attribute("html", "dir") == ("rtl" if locale == "ar" else "ltr")
    row = page.locator("tbody tr", has_text="Amina Diallo")
    assert row.count() == 1
    check_page(page, f"at-risk-{locale}")
    with page.expect_navigation():
        row.locator("a", has_text="Amina Diallo").click()
    assert page.url.endswith(f"/training/alerts/{alert.pk}/")

    page.check("input[name=kind][value=call]")
    page.fill("#id_done_on", timezone.localdate().isoformat())
    page.check("input[name=outcome][value=reached]")
    page.fill("#id_note", "Her bus pass ran out; she comes back on Monday.")
    check_page(page, f"alert-detail-{locale}")
    with page.expect_navigation():
        page.click("form[action$='/action/'] button[type=submit]")

    actions = page.locator("#alert-actions")
    assert "Her bus pass ran out; she comes back on Monday." in actions.inner_text()
    assert AlertAction.objects.get(alert=alert).kind == "call"
    check_page(page, f"alert-with-call-{locale}")
    context.close()


def test_a_learner_answers_the_survey_on_a_phone_in_arabic(
    transactional_db: None, live_server: Any, world: World, browser: Any
) -> None:
    world.alpha.applicant_languages = ["fr", "en", "ar"]
    world.alpha.save()
    enrolment = enrol(north_cohort(world), world.amina)
    enrolment.token_hash = token_hash("amina-survey-link")
    enrolment.save()
    SatisfactionSurvey.objects.create(enrolment=enrolment, sent_at=timezone.now())
    context = browser.new_context(viewport=PHONE, locale="ar")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/training/me/amina-survey-link/survey/")
    assert page.get_attribute("html", "dir") == "rtl"
    check_page(page, "survey-answer-ar")
    for name, value in (("overall", 5), ("trainers", 4), ("content", 4), ("pace", 3)):
        page.check(f"input[name={name}][value='{value}']")
    page.check("input[name=recommend][value='5']")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.locator("#survey-done").is_visible()
    check_page(page, "survey-thanks-ar")
    assert SurveyResponse.objects.get().pace == 3
    context.close()
