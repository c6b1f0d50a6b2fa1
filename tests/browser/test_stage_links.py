"""The pages added for the links between stages, in a real browser at 360 px, in Arabic
(right to left) and French: the questionnaire builder, setting an appointment, and an
appointment's page as the field investigator sees it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from conftest import World
from tests.browser.conftest import PHONE, check_page
from tests.browser.test_journeys import sign_in
from tremplin.people.tests.factories import PersonFactory
from tremplin.selection.models import Appointment, StageKind
from tremplin.selection.services.appointments import appointment_schedule
from tremplin.selection.tests.builders import applicant, open_call

pytestmark = [pytest.mark.browser]


@pytest.mark.parametrize("locale", ["ar", "fr"])
def test_the_builder_and_the_appointment_pages_fit_a_phone_both_ways(
    transactional_db: None, live_server: Any, world: World, browser: Any, locale: str
) -> None:
    call = open_call(world)
    visit = call.stages.get(kind=StageKind.SOCIAL_INVESTIGATION)
    person = PersonFactory(site=world.north, address="Route 3", city="Kampong Speu")
    application = applicant(call, person, through=visit.position - 1)
    context = browser.new_context(viewport=PHONE, locale=locale)
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, live_server.url, world, "officer_a1")
    base = f"{live_server.url}/selection/calls/{call.pk}/stages/{visit.pk}"

    page.goto(f"{base}/questionnaire/")
    assert page.get_attribute("html", "dir") == ("rtl" if locale == "ar" else "ltr")
    # Only the chosen kind's settings show: a list of answers has no number bounds.
    first = page.locator("fieldset.q").nth(1)
    assert first.locator(".for-choice").is_visible()
    assert not first.locator(".for-number").is_visible()
    check_page(page, f"questionnaire-builder-{locale}")

    page.goto(f"{base}/appointments/")
    page.fill("#id_date", "2027-03-15")
    page.fill("#id_starts_at", "09:30")
    page.fill("#id_ends_at", "11:00")
    page.fill("#id_place", "Kampong Speu")
    page.check(f"input[name=applications][value='{application.pk}']")
    check_page(page, f"appointment-form-{locale}")
    with page.expect_navigation():
        page.click("main form[method=post] button.btn-primary")
    appointment = Appointment.objects.get()
    assert (appointment.date, appointment.starts_at) == (dt.date(2027, 3, 15), dt.time(9, 30))
    check_page(page, f"appointment-detail-{locale}")
    context.close()

    appointment_schedule(
        actor=world.users["officer_a1"],
        stage=visit,
        date=dt.date(2027, 3, 16),
        starts_at=dt.time(9, 0),
        ends_at=dt.time(10, 0),
        place="Kampong Speu",
        applications=[application],
        staff=[world.users["investigator_a1"]],
    )
    context = browser.new_context(viewport=PHONE, locale=locale)
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, live_server.url, world, "investigator_a1")
    page.goto(f"{live_server.url}/selection/my-work/")
    page.locator("a[href*='/selection/appointments/']").first.click()
    page.wait_for_url("**/selection/appointments/**")
    assert "Route 3" in page.locator("main").inner_text()
    check_page(page, f"appointment-investigator-{locale}")
    context.close()
