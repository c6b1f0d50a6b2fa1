"""Journeys in a real browser: a manager signs in with MFA, finds a person, edits them and
sees the change in the history; a trainer cannot open the sensitive section."""

from __future__ import annotations

import time
from typing import Any

import pyotp
import pytest

from conftest import World
from tests.browser.conftest import PHONE, check_page

pytestmark = [pytest.mark.browser]


def fresh_code(secret: str) -> str:
    """A one-time code with enough of its 30-second window left to be typed and checked:
    a code read in the last seconds of its window can expire before the server sees it."""
    while 30 - time.time() % 30 < 8:
        time.sleep(0.5)
    return str(pyotp.TOTP(secret).now())


def sign_in(page: Any, base: str, world: World, persona: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", world.users[persona].email)
    page.fill("input[name=password]", "a-long-test-password")
    page.click("form button[type=submit]")
    page.wait_for_url("**/2fa/authenticate/**")
    page.fill("input[name=code]", fresh_code(world.secrets[persona]))
    page.click("form button[type=submit]")
    page.wait_for_url("**/dashboard/")


def test_a_manager_signs_in_with_mfa_finds_edits_and_sees_the_audit(
    transactional_db: None, live_server: Any, world: World, page: Any
) -> None:
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    check_page(page, "login")
    sign_in(page, base, world, "manager_a1")
    check_page(page, "dashboard-manager")

    page.click("nav >> text=People")
    page.fill("#q", "amina")
    page.wait_for_selector("#results >> text=Diallo")
    check_page(page, "people-search")
    page.click("#results >> text=Diallo")
    page.wait_for_url(f"**/people/{world.amina.pk}/")
    check_page(page, "person-detail")

    page.click("text=Edit")
    page.fill("input[name=phone]", "+33 6 99 88 77 66")
    check_page(page, "person-edit")
    page.click("form button[type=submit] >> text=Save")
    page.wait_for_url(f"**/people/{world.amina.pk}/")
    history = page.inner_text("#history-heading + ol")
    assert "Record changed" in history
    assert "Phone: +33 6 12 34 56 78 → +33 6 99 88 77 66" in history  # the label, not the column

    page.click("text=Sensitive section")
    assert "Permit renewal due in March" in page.content()
    check_page(page, "person-sensitive")


def test_a_trainer_cannot_open_the_sensitive_section(
    transactional_db: None, live_server: Any, world: World, page: Any
) -> None:
    from tests.authorization.training_records import make_cohort

    make_cohort(world, "north")  # a cohort trainer_a1 teaches, with Amina in it
    base = live_server.url
    sign_in(page, base, world, "trainer_a1")
    page.goto(f"{base}/people/{world.amina.pk}/")
    assert "Diallo" in page.content()
    assert page.locator("text=Sensitive section").count() == 0
    response = page.goto(f"{base}/people/{world.amina.pk}/sensitive/")
    assert response.status == 403
    assert "Permit renewal" not in page.content()
    check_page(page, "trainer-forbidden")
    # Bilal is in none of the trainer's cohorts: not even his name (decision 0026).
    assert page.goto(f"{base}/people/{world.bilal.pk}/").status == 404


def test_pages_lay_out_right_to_left_in_arabic_on_a_phone(
    transactional_db: None, live_server: Any, world: World, browser: Any
) -> None:
    context = browser.new_context(viewport=PHONE, locale="ar")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    assert page.get_attribute("html", "dir") == "rtl"
    assert page.get_attribute("html", "lang") == "ar"
    check_page(page, "login-arabic")
    sign_in(page, live_server.url, world, "officer_a1")
    assert page.get_attribute("html", "dir") == "rtl"
    page.goto(f"{live_server.url}/people/{world.amina.pk}/")
    check_page(page, "person-detail-arabic")
    context.close()


def test_a_new_manager_is_made_to_enrol_an_authenticator_at_first_sign_in(
    transactional_db: None, live_server: Any, world: World, page: Any
) -> None:
    from conftest import make_user
    from tremplin.network.models import Role
    from tremplin.network.services import role_grant

    user, _none = make_user("new.manager@example.org", mfa=False)
    role_grant(user=user, role=Role.SITE_MANAGER, organisation_id=world.alpha.pk, site=world.north)
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", "new.manager@example.org")
    page.fill("input[name=password]", "a-long-test-password")
    page.click("main form button[type=submit]")
    # allauth asks for the password again before any change to sign-in methods.
    page.wait_for_url("**/reauthenticate/**")
    assert "sensitive data" in page.content()
    page.fill("input[name=password]", "a-long-test-password")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/2fa/totp/activate/**")
    check_page(page, "mfa-enrolment")
    secret = page.input_value("#authenticator_secret")
    page.fill("input[name=code]", fresh_code(secret))
    page.click("main form button[type=submit]")
    page.goto(f"{base}/people/")
    assert page.url.endswith("/people/")
    assert "Diallo" in page.content()


def test_someone_registers_for_an_information_session_on_a_phone(
    transactional_db: None, live_server: Any, world: World, browser: Any
) -> None:
    import datetime as dt

    from django.utils import timezone

    from tremplin.outreach.services import information_session_create

    start = timezone.now() + dt.timedelta(days=5)
    session = information_session_create(
        actor=world.users["officer_a1"],
        site=world.north,
        title="Découvrir DigiConnect",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        capacity=20,
        place="12 rue Nationale, Lille",
    )
    context = browser.new_context(viewport=PHONE, locale="fr-FR")
    page = context.new_page()
    page.goto(f"{live_server.url}/outreach/register/{session.public_key}/")
    assert page.get_attribute("html", "lang") == "fr"
    check_page(page, "information-session-registration")
    page.fill("input[name=given_names]", "Rania")
    page.fill("input[name=family_name]", "Haddad")
    page.fill("input[name=phone]", "06 11 22 33 44")
    page.select_option("select[name=channel]", "social_media")
    page.check("input[name=consent]")
    page.click("main form button[type=submit]")
    page.wait_for_selector(".alert-success")
    check_page(page, "information-session-registered")
    context.close()
    assert session.registrations.get().given_names == "Rania"
