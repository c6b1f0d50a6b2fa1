"""Selection in a real browser: an applicant applies in Arabic on a phone and receives the
confirmation; an interviewer marks an interview blind, then sees the other marks."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import World
from tests.browser.conftest import PHONE, check_page
from tests.browser.test_journeys import sign_in
from tests.mail import Inbox
from tremplin.selection.models import Application
from tremplin.selection.services import decisions as decision_services
from tremplin.selection.services import interviews as interview_services
from tremplin.selection.services import stage_results as result_services
from tremplin.selection.tests.builders import applicant, open_call

pytestmark = [pytest.mark.browser]


def test_an_applicant_applies_in_arabic_on_a_phone(
    transactional_db: None, live_server: Any, world: World, browser: Any, smtp_inbox: Inbox
) -> None:
    call = open_call(world)
    context = browser.new_context(viewport=PHONE, locale="ar")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/selection/apply/{call.slug}/")
    assert page.get_attribute("html", "dir") == "rtl"
    check_page(page, "apply-start-arabic")
    page.click("form button[type=submit]")
    page.wait_for_url("**/step/1/")
    page.fill("input[name=given_names]", "Sokha")
    page.fill("input[name=family_name]", "Chan")
    page.check("input[name=gender][value=female]")
    page.fill("input[name=birth_date]", "2004-03-02")
    check_page(page, "apply-step-1-arabic")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/step/2/")
    page.fill("input[name=phone]", "+33 6 11 22 33 44")
    page.fill("input[name=email]", "sokha@example.org")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/step/3/")
    page.check("input[name=documents]")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/step/4/")
    page.check("input[name=channel][value=social_media]")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/step/5/")
    check_page(page, "apply-step-5-arabic")
    page.check("input[name=consent_data]")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/sent/")
    check_page(page, "apply-done-arabic")
    application = Application.objects.get(call=call)
    assert application.status == Application.Status.SUBMITTED
    assert application.language == "ar"
    confirmation = smtp_inbox.body(-1)
    assert any("\u0600" <= ch <= "\u06ff" for ch in confirmation)
    context.close()


def test_an_interviewer_marks_blind_then_sees_the_other_marks(
    transactional_db: None, live_server: Any, world: World, page: Any
) -> None:
    call = open_call(world)
    interview = call.stages.get(kind="interview")
    application = applicant(call, through=2)
    interview_services.interview_assign(
        actor=world.users["officer_a1"],
        application=application,
        stage=interview,
        raters=[world.users["interviewer_a1"], world.users["officer_a1"]],
    )
    criteria = list(interview.criteria.all())
    officer_assignment = application.interview_assignments.get(rater=world.users["officer_a1"])
    interview_services.interview_submit(
        actor=world.users["officer_a1"],
        assignment=officer_assignment,
        marks={c.pk: 4 for c in criteria},
        comment="Clear project",
    )
    sign_in(page, live_server.url, world, "interviewer_a1")
    page.click("nav >> text=My interviews and visits")
    check_page(page, "my-work")
    page.click(f"text={application.person.display_name}")
    assert "Clear project" not in page.content()
    check_page(page, "interview-mark")
    for criterion in criteria:
        page.check(f"input[name=criterion_{criterion.pk}][value='3']")
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=Marks of every rater")
    # The other rater's marks, under their name (raters are listed by name, item 11).
    assert world.users["officer_a1"].display_name in page.content()
    check_page(page, "interview-marks-shown")


def test_an_interviewer_cannot_open_someone_elses_interview(
    transactional_db: None, live_server: Any, world: World, page: Any
) -> None:
    call = open_call(world)
    interview = call.stages.get(kind="interview")
    application = applicant(call, through=2)
    interview_services.interview_assign(
        actor=world.users["officer_a1"],
        application=application,
        stage=interview,
        raters=[world.users["officer_a1"]],
    )
    theirs = application.interview_assignments.get()
    sign_in(page, live_server.url, world, "interviewer_a1")
    response = page.goto(f"{live_server.url}/selection/my-work/interviews/{theirs.pk}/")
    assert response.status == 404
    response = page.goto(f"{live_server.url}/selection/applications/{application.pk}/")
    assert response.status == 403


def test_the_funnel_dashboard_updates(
    transactional_db: None, live_server: Any, world: World, page: Any
) -> None:
    from decimal import Decimal

    call = open_call(world)
    exam = call.stages.get(kind="written_exam")
    applications = [applicant(call, through=1) for _n in range(6)]
    sign_in(page, live_server.url, world, "officer_a1")
    page.goto(f"{live_server.url}/selection/calls/{call.pk}/funnel/")
    row = page.locator("#funnel-live table tr", has_text=exam.name).first
    assert row.locator("td").first.inner_text().strip() == "0"
    check_page(page, "funnel-call")
    for application in applications[:4]:
        result_services.stage_result_record(
            actor=world.users["officer_a1"],
            application=application,
            stage=exam,
            decision="advance",
            reason="passed",
            score=Decimal(80),
        )
    page.click("text=Refresh now")
    page.wait_for_function(
        """name => [...document.querySelectorAll('#funnel-live table tr')]
            .some(tr => tr.textContent.includes(name) && tr.querySelector('td')
                 && tr.querySelector('td').textContent.trim() === '4')""",
        arg=exam.name,
    )
    assert "/funnel/" in page.url


def test_the_staff_pages_of_a_call_fit_a_phone_in_arabic(
    transactional_db: None, live_server: Any, world: World, browser: Any
) -> None:
    from tests.browser.test_journeys import fresh_code

    call = open_call(world)
    application = applicant(call, through=2)
    decision_services.decision_propose(
        actor=world.users["officer_a1"],
        application=application,
        outcome="selected",
        reason="passed",
    )
    context = browser.new_context(viewport=PHONE, locale="ar")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", world.users["manager_a1"].email)
    page.fill("input[name=password]", "a-long-test-password")
    page.click("form button[type=submit]")
    page.wait_for_url("**/2fa/authenticate/**")
    page.fill("input[name=code]", fresh_code(world.secrets["manager_a1"]))
    page.click("form button[type=submit]")
    page.wait_for_url("**/dashboard/")
    base = f"{live_server.url}/selection"
    stages = {s.kind: s.pk for s in call.stages.all()}
    for name, path in [
        ("call-list", "/calls/"),
        ("call-detail", f"/calls/{call.pk}/"),
        ("call-edit", f"/calls/{call.pk}/edit/"),
        ("stage-exam", f"/calls/{call.pk}/stages/{stages['written_exam']}/"),
        ("stage-interview-edit", f"/calls/{call.pk}/stages/{stages['interview']}/edit/"),
        ("application-list", f"/calls/{call.pk}/applications/"),
        ("application-detail", f"/applications/{application.pk}/"),
        ("committee", f"/calls/{call.pk}/committee/"),
        ("cohort", f"/calls/{call.pk}/cohort/"),
        ("import", f"/calls/{call.pk}/import/"),
        ("funnel", "/funnel/"),
    ]:
        response = page.goto(base + path)
        assert response.status == 200, path
        assert page.get_attribute("html", "dir") == "rtl"
        check_page(page, f"selection-{name}-arabic")
    context.close()


def test_a_committee_asks_what_if_on_a_phone_in_french_then_proposes(
    transactional_db: None, live_server: Any, world: World, browser: Any
) -> None:
    from tremplin.selection.tests.test_cohort_committee import finalists

    call = open_call(world)
    call.call_sites.all().delete()
    call.call_sites.create(site=world.north, seats=3)
    people = finalists(
        call,
        [(95, "male"), (90, "male"), (85, "male"), (70, "female"), (60, "female")],
    )
    context = browser.new_context(viewport=PHONE, locale="fr")
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, live_server.url, world, "manager_a1")
    page.goto(f"{live_server.url}/selection/calls/{call.pk}/cohort/")
    assert page.get_attribute("html", "lang") == "fr"
    check_page(page, "cohort-french-phone")
    # A new rule, tried without saving: at least 2 women.
    page.select_option("select[name=rule-0-attribute]", "gender")
    page.select_option("select[name=rule-0-kind]", "min_count")
    page.select_option("select[name=rule-0-value]", "gender=female")
    page.fill("input[name=rule-0-target]", "2")
    page.click("#cohort-settings button[hx-post]")
    page.wait_for_selector("#what-if-result h3")
    result = page.inner_text("#what-if-result")
    assert people[4].person.display_name in result
    assert people[1].person.display_name in result
    check_page(page, "cohort-what-if-french-phone")
    page.click("#cohort-settings button[type=submit]")
    page.wait_for_selector(".alert-success")
    page.click("form[action$='/cohort/propose/'] button[type=submit]")
    page.wait_for_selector("#cohort-validate")
    assert page.locator("#cohort-validate").is_visible()
    context.close()


def test_a_committee_withdraws_one_selected_and_the_pages_agree(
    transactional_db: None, live_server: Any, world: World, browser: Any
) -> None:
    """A committee withdraws one selected applicant and takes the next from the waiting
    list. The committee page, the funnel and the applications list agree, and the withdrawn
    application is under its filter."""
    from tremplin.selection.cohort import services as cohort_services
    from tremplin.selection.models import CohortRound
    from tremplin.selection.tests.test_cohort_committee import finalists

    call = open_call(world)
    call.call_sites.all().delete()
    call.call_sites.create(site=world.north, seats=3)
    people = finalists(
        call, [(95, "male"), (90, "female"), (85, "male"), (70, "female"), (60, "male")]
    )
    cohort_services.cohort_propose(actor=world.users["officer_a1"], call=call, waiting_list=2)
    cohort_services.cohort_validate(
        actor=world.users["manager_a1"],
        round_=CohortRound.objects.get(call=call),
        members_present="Awa D., Karim B.",
        minutes="Agreed.",
    )
    leaving, incoming = people[0], people[3]
    context = browser.new_context(viewport=PHONE, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, live_server.url, world, "manager_a1")
    base = f"{live_server.url}/selection/calls/{call.pk}"
    page.goto(f"{base}/cohort/")
    form = page.locator(f"form[action$='/cohort/withdraw/{leaving.pk}/']")
    # Without the note, the page says which field is missing (the button is not silent).
    form.locator("button[type=submit]").click()
    page.wait_for_selector(".alert-danger, .alert-error, [role=alert]")
    assert "“How they told you” is empty" in page.inner_text("main")
    form = page.locator(f"form[action$='/cohort/withdraw/{leaving.pk}/']")
    form.locator("input[name=note]").fill("Phoned on Monday: found a job")
    form.locator("button[type=submit]").click()
    page.wait_for_selector(".alert-success")
    assert incoming.person.display_name in page.inner_text(".alert-success")
    check_page(page, "cohort-after-withdrawal-phone")

    page.goto(f"{base}/committee/")
    assert "3 selected of 3 seats" in page.inner_text("main")
    page.goto(f"{base}/funnel/")
    selected = page.locator("tr:has(th[scope=row]:text-is('Selected')) td").first
    assert selected.inner_text().strip() == "3"
    page.goto(f"{base}/applications/?outcome=selected")
    listed = page.inner_text("main")
    assert "3 applications" in listed
    assert leaving.person.display_name not in listed
    assert incoming.person.display_name in listed
    page.goto(f"{base}/applications/")
    page.select_option("select[name=outcome]", "withdrawn")
    page.click("form[role=search] button[type=submit]")
    page.wait_for_url("**outcome=withdrawn**")
    listed = page.inner_text("main")
    assert "1 application" in listed
    assert leaving.person.display_name in listed
    check_page(page, "applications-withdrawn-phone")
    context.close()
