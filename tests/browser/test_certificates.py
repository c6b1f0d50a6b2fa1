"""A visitor, on a 360 px phone, opens a certificate's QR link and sees it valid; the same
certificate's digital credential, pasted into the check page, verifies; once revoked, both
say so. Also in Arabic (right to left)."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import World
from tests.browser.conftest import PHONE, check_page
from tremplin.training import jose
from tremplin.training.models import Enrolment
from tremplin.training.services import certificates as certificate_services
from tremplin.training.services import credentials
from tremplin.training.tests.factories import CohortFactory, EnrolmentFactory

pytestmark = [pytest.mark.browser]


def test_visitor_verifies_a_certificate_by_its_qr_link_and_its_credential(
    transactional_db: None, live_server: Any, world: World, browser: Any
) -> None:
    world.alpha.applicant_languages = ["fr", "en", "ar"]
    world.alpha.save()
    cohort = CohortFactory(run=world.run_north, title="Basics A")
    enrolment = EnrolmentFactory(
        cohort=cohort,
        person=world.amina,
        status=Enrolment.Status.GRADUATED,
        left_on=cohort.ends_on,
    )
    (certificate,) = certificate_services.certificate_issue(
        actor=world.users["manager_a1"], cohort=cohort, enrolments=[enrolment]
    )
    base = live_server.url
    # The address the PDF's QR code holds (views/certificates.py: the verification page).
    qr_link = f"{base}/training/verify/{certificate.public_id}/"
    token = credentials.credential_signed(certificate, base_url=f"{base}/")

    context = browser.new_context(viewport=PHONE, locale="en-GB", has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(qr_link)
    assert "This certificate is valid." in page.inner_text("#certificate-status")
    body = page.inner_text("main")
    assert "Amina Diallo" in body
    assert "Digital basics" in body
    assert "Alpha Network" in body
    assert "+33612345678" not in page.content()
    check_page(page, "certificate-verify")

    page.click("text=Check a digital credential")
    page.fill("textarea[name=credential]", token)
    page.click("form button[type=submit]")
    assert "This credential is genuine and valid." in page.inner_text("#credential-status")
    check_page(page, "credential-verify")

    # Another name written into it: not genuine.
    head, payload, signature = token.split(".")
    renamed = jose.b64url_decode(payload).replace(b"Amina Diallo", b"Amina Diallu")
    page.fill("textarea[name=credential]", f"{head}.{jose.b64url_encode(renamed)}.{signature}")
    page.click("form button[type=submit]")
    assert "not genuine" in page.inner_text("#credential-status")

    certificate_services.certificate_revoke(
        actor=world.users["manager_a1"], certificate=certificate, reason="Issued by mistake"
    )
    page.goto(qr_link)
    assert "This certificate was revoked." in page.inner_text("#certificate-status")
    page.goto(f"{base}/training/credentials/verify/")
    page.fill("textarea[name=credential]", token)
    page.click("form button[type=submit]")
    assert "This credential was revoked." in page.inner_text("#credential-status")
    context.close()

    # In Arabic, right to left, at 360 px.
    context = browser.new_context(viewport=PHONE, locale="ar", has_touch=True)
    page = context.new_page()
    page.goto(qr_link)
    assert page.get_attribute("html", "dir") == "rtl"
    assert "أُلغيت هذه الشهادة." in page.inner_text("#certificate-status")
    check_page(page, "certificate-verify-ar")
    context.close()


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_manager_records_results_and_issues_certificates_on_a_phone(
    transactional_db: None, live_server: Any, world: World, page: Any, language: str
) -> None:
    from tests.browser.test_journeys import sign_in
    from tremplin.training.services import certification as certification_services

    cohort = CohortFactory(run=world.run_north, title="Basics A")
    awa = EnrolmentFactory(
        cohort=cohort,
        person__legal_given_names="Awa",
        person__legal_family_name="Diop",
        status=Enrolment.Status.GRADUATED,
        left_on=cohort.ends_on,
    )
    EnrolmentFactory(cohort=cohort, person=world.amina)
    session = certification_services.certification_session_save(
        actor=world.users["manager_a1"],
        site=world.north,
        cohorts=[cohort],
        data=certification_services.SessionData(
            kind="pix",
            name="",
            awarding_body="Pix",
            held_on=cohort.ends_on,
            reference="PIX-77",
            framework=None,
            max_score=1024,
            pass_level=None,
        ),
    )
    base = live_server.url
    page.context.add_cookies([{"name": "tremplin_language", "value": language, "url": base}])
    sign_in(page, base, world, "manager_a1")
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/training/certification/{session.pk}/")
    page.select_option(f"select[name=outcome-{awa.pk}]", "passed")
    page.fill(f"input[name=level-{awa.pk}]", "4")
    page.fill(f"input[name=score-{awa.pk}]", "2000")  # above the highest score
    page.click("main form button[type=submit]")
    assert "Awa Diop" in page.inner_text(".alert-danger")
    page.fill(f"input[name=score-{awa.pk}]", "600")
    page.click("main form button[type=submit]")
    page.wait_for_selector(".alert-success, [role=alert]")
    check_page(page, f"certification-results-{language}")

    page.goto(f"{base}/training/cohorts/{cohort.pk}/certificates/")
    page.check(f"#learner-{world.amina.enrolments.get().pk}")
    page.click("main form button[type=submit]")
    assert "Amina Diallo" in page.inner_text(".alert-danger")  # not graduated: refused
    check_page(page, f"certificate-issue-{language}")
    page.uncheck(f"#learner-{world.amina.enrolments.get().pk}")
    page.click("main form button[type=submit]")
    page.click("text=ALPHA-")
    check_page(page, f"certificate-detail-{language}")
