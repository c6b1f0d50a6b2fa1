"""A company tutor opens the evaluation link on a 360 px phone in English and submits it; the
job coach, who asked for it from the follow-up page, sees it there. The link refuses a second
submission, even from a page opened before the first."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from conftest import World
from tests.browser.conftest import PHONE, check_page
from tests.mail import Inbox
from tremplin.partners.models import TutorEvaluation
from tremplin.partners.tests.during_setup import internship_at

pytestmark = [pytest.mark.browser]

SOFT = ["punctuality", "teamwork", "communication", "initiative", "autonomy", "rules"]


def _coach_context(browser: Any, live_server: Any, world: World) -> Any:
    client = Client()
    client.force_login(world.users["coach_a1"])
    context = browser.new_context(viewport=PHONE, locale="en-GB")
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return context


def _fill(page: Any, *, name: str) -> None:
    for slug in SOFT:
        page.check(f"input[name='rating_s-{slug}'][value='4']")
    page.check("input[name='would_hire'][value='yes']")
    page.fill("#id_comment", "Reliable and careful with the splices.")
    page.fill("#id_evaluator_name", name)


def test_a_tutor_evaluates_the_intern_on_a_phone_and_the_job_coach_reads_it(
    transactional_db: None, live_server: Any, world: World, browser: Any, smtp_inbox: Inbox
) -> None:
    internship = internship_at(world)
    follow_up = live_server.url + reverse(
        "partners:internship-follow-up", kwargs={"internship_id": internship.pk}
    )
    coach_context = _coach_context(browser, live_server, world)
    coach = coach_context.new_page()
    coach.goto(follow_up)
    coach.click("text=Ask the tutor for an evaluation")
    coach.wait_for_selector("text=Waiting for the tutor")
    link = re.search(r"https?://\S+/partners/t/\S+/", smtp_inbox.body())
    assert link, smtp_inbox.body()

    tutor_context = browser.new_context(viewport=PHONE, locale="en-GB")
    tutor = tutor_context.new_page()
    tutor.set_default_timeout(15_000)
    earlier = tutor_context.new_page()  # a second tab, opened before the tutor submits
    tutor.goto(link.group(0))
    earlier.goto(link.group(0))
    assert tutor.locator("#intern").inner_text().count("Amina Diallo") == 1
    assert "Punctuality" in tutor.content()
    check_page(tutor, "partners-tutor-evaluation")
    _fill(tutor, name="Tom Tutor")
    tutor.click("text=Send my evaluation")
    tutor.wait_for_selector("#evaluation-done")
    check_page(tutor, "partners-tutor-evaluation-sent")

    _fill(earlier, name="Someone else")
    earlier.click("text=Send my evaluation")
    earlier.wait_for_selector("#evaluation-closed")
    assert "already been sent" in earlier.locator("#evaluation-closed").inner_text()
    tutor.goto(link.group(0))
    assert "already been sent" in tutor.locator("#evaluation-closed").inner_text()
    assert TutorEvaluation.objects.get().evaluator_name == "Tom Tutor"

    coach.goto(follow_up)
    shown = coach.locator("#evaluation").inner_text()
    assert "Tom Tutor" in shown
    assert "Reliable and careful with the splices." in shown
    assert "4/4" in shown
    check_page(coach, "partners-follow-up")
    tutor_context.close()
    coach_context.close()
