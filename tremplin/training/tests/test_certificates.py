"""The programme's certificate: issued only to graduates (the others named), all or none;
its PDF in the learner's language with a QR code; the public verification page shows only
the certificate; revoking is audited and shown."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from conftest import World
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import AuditEvent
from tremplin.selection.tests.builders import applicant, open_call
from tremplin.training.models import Certificate, Enrolment
from tremplin.training.services import certificates as services
from tremplin.training.tests.factories import CohortFactory, EnrolmentFactory


def graduate(enrolment: Enrolment) -> Enrolment:
    enrolment.status = Enrolment.Status.GRADUATED
    enrolment.left_on = enrolment.cohort.ends_on
    enrolment.save()
    return enrolment


@pytest.fixture
def cohort(world: World):  # type: ignore[no-untyped-def]
    cohort = CohortFactory(run=world.run_north, title="Basics A")
    cohort.trainers.add(world.users["trainer_a1"])
    return cohort


def test_certificate_refused_to_a_learner_who_has_not_graduated(world: World, cohort) -> None:  # type: ignore[no-untyped-def]
    awa = EnrolmentFactory(
        cohort=cohort, person__legal_given_names="Awa", person__legal_family_name="Diop"
    )
    done = graduate(EnrolmentFactory(cohort=cohort))
    with pytest.raises(ValidationError) as caught:
        services.certificate_issue(
            actor=world.users["manager_a1"], cohort=cohort, enrolments=[done, awa]
        )
    assert any(m.startswith("Awa Diop has not graduated") for m in caught.value.messages)
    assert not Certificate.objects.exists()


def test_issue_to_graduates_numbers_them_and_keeps_what_they_said(world: World, cohort) -> None:  # type: ignore[no-untyped-def]
    first = graduate(EnrolmentFactory(cohort=cohort, person__legal_given_names="Awa"))
    second = graduate(EnrolmentFactory(cohort=cohort))
    issued = services.certificate_issue(
        actor=world.users["manager_a1"],
        cohort=cohort,
        enrolments=[first, second],
        issued_on=dt.date(2026, 10, 20),
    )
    assert [c.number for c in issued] == ["ALPHA-2026-0001", "ALPHA-2026-0002"]
    assert [c.status_index for c in issued] == [0, 1]
    assert issued[0].holder_name.startswith("Awa ")
    assert issued[0].programme_title == "Digital basics"
    assert issued[0].organisation_name == "Alpha Network"
    assert len(issued[0].public_id) >= 22
    assert issued[0].public_id != issued[1].public_id
    assert AuditEvent.objects.filter(action=AuditAction.CERTIFICATE_ISSUED).count() == 2
    # A second certificate while the first is valid is refused.
    with pytest.raises(ValidationError) as caught:
        services.certificate_issue(
            actor=world.users["manager_a1"], cohort=cohort, enrolments=[first]
        )
    assert "ALPHA-2026-0001" in caught.value.messages[0]


def test_language_is_the_applications_else_the_sites(world: World, cohort) -> None:  # type: ignore[no-untyped-def]
    call = open_call(world)
    application = applicant(call, language="ar")
    with_application = graduate(
        EnrolmentFactory(cohort=cohort, person=application.person, application=application)
    )
    world.north.default_language = "fr"
    world.north.save()
    without = graduate(EnrolmentFactory(cohort=cohort))
    issued = services.certificate_issue(
        actor=world.users["manager_a1"], cohort=cohort, enrolments=[with_application, without]
    )
    assert [c.language for c in issued] == ["ar", "fr"]


def test_trainer_may_not_issue_or_revoke(world: World, cohort) -> None:  # type: ignore[no-untyped-def]
    done = graduate(EnrolmentFactory(cohort=cohort))
    with pytest.raises(PermissionDenied):
        services.certificate_issue(
            actor=world.users["trainer_a1"], cohort=cohort, enrolments=[done]
        )
    (certificate,) = services.certificate_issue(
        actor=world.users["manager_a1"], cohort=cohort, enrolments=[done]
    )
    with pytest.raises(PermissionDenied):
        services.certificate_revoke(
            actor=world.users["trainer_a1"], certificate=certificate, reason="x"
        )


def test_issue_page_names_the_learner_who_has_not_graduated(world: World, cohort) -> None:  # type: ignore[no-untyped-def]
    awa = EnrolmentFactory(
        cohort=cohort, person__legal_given_names="Awa", person__legal_family_name="Diop"
    )
    client = world.client_for("manager_a1")
    url = reverse("training:certificate-issue", kwargs={"cohort_id": cohort.pk})
    page = client.post(url, {"learners": [awa.pk]})
    assert page.status_code == 200
    assert "Awa Diop has not graduated" in page.content.decode()
    assert not Certificate.objects.exists()
    graduate(awa)
    assert client.post(url, {"learners": [awa.pk]}).status_code == 302
    assert Certificate.objects.filter(enrolment=awa).exists()


def test_issue_page_refuses_a_learner_of_another_cohort(world: World, cohort) -> None:  # type: ignore[no-untyped-def]
    other = graduate(EnrolmentFactory(cohort=CohortFactory(run=world.run_north)))
    client = world.client_for("manager_a1")
    url = reverse("training:certificate-issue", kwargs={"cohort_id": cohort.pk})
    page = client.post(url, {"learners": [other.pk]})
    assert page.status_code == 200
    assert not Certificate.objects.exists()


@pytest.fixture
def certificate(world: World, cohort) -> Certificate:  # type: ignore[no-untyped-def]
    world.amina.birth_date = dt.date(1999, 4, 3)
    world.amina.save()
    done = graduate(EnrolmentFactory(cohort=cohort, person=world.amina))
    (certificate,) = services.certificate_issue(
        actor=world.users["manager_a1"], cohort=cohort, enrolments=[done]
    )
    return certificate


def test_public_page_shows_only_the_certificate(world: World, certificate: Certificate) -> None:
    url = reverse("training:certificate-verify", kwargs={"public_id": certificate.public_id})
    page = world.client_for("anonymous").get(url, HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert page.status_code == 200
    assert "This certificate is valid." in text
    for shown in ("Amina Diallo", "Digital basics", "Alpha Network"):
        assert shown in text
    for hidden in ("+33612345678", "amina@example.org", "1999", "refugee", "Permit", "Lille"):
        assert hidden not in text
    assert page["X-Robots-Tag"] == "noindex"
    # Not "no-referrer": the browser then sends "Origin: null" and the page's language
    # switcher is refused by the CSRF check (403).
    assert page["Referrer-Policy"] == "same-origin"


def test_unknown_or_malformed_id_is_404(world: World, certificate: Certificate) -> None:
    client = world.client_for("anonymous")
    for public_id in ("nope", certificate.public_id[:-1], "x" * 40, "%C3%A9"):
        url = f"/training/verify/{public_id}/"
        assert client.get(url).status_code == 404


def test_revoked_certificate_says_so_publicly(world: World, certificate: Certificate) -> None:
    with pytest.raises(ValidationError):
        services.certificate_revoke(
            actor=world.users["manager_a1"], certificate=certificate, reason="  "
        )
    services.certificate_revoke(
        actor=world.users["manager_a1"], certificate=certificate, reason="Issued by mistake"
    )
    assert AuditEvent.objects.filter(
        action=AuditAction.CERTIFICATE_REVOKED, subject_id=certificate.pk
    ).exists()
    url = reverse("training:certificate-verify", kwargs={"public_id": certificate.public_id})
    text = world.client_for("anonymous").get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "This certificate was revoked." in text
    assert "Issued by mistake" not in text  # the reason is for staff only
    # A new certificate may be issued after a revocation.
    (again,) = services.certificate_issue(
        actor=world.users["manager_a1"],
        cohort=certificate.enrolment.cohort,
        enrolments=[certificate.enrolment],
    )
    assert again.number != certificate.number


def test_revoke_page_needs_a_reason(world: World, certificate: Certificate) -> None:
    client = world.client_for("manager_a1")
    url = reverse("training:certificate-revoke", kwargs={"certificate_id": certificate.pk})
    client.post(url, {"reason": ""})
    certificate.refresh_from_db()
    assert certificate.revoked_at is None
    client.post(url, {"reason": "Fraud at the exam"})
    certificate.refresh_from_db()
    assert certificate.revocation_reason == "Fraud at the exam"


@pytest.mark.parametrize("language", ["fr", "ar", "km"])
def test_pdf_in_the_learners_language_with_a_qr_code(
    world: World, certificate: Certificate, language: str
) -> None:
    certificate.language = language
    certificate.save()
    client = world.client_for("manager_a1")
    url = reverse("training:certificate-pdf", kwargs={"certificate_id": certificate.pk})
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_pdf_page_html_is_right_to_left_in_arabic(world: World, certificate: Certificate) -> None:
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override("ar"):
        html = render_to_string(
            "training/certificate_pdf.html",
            {
                "certificate": certificate,
                "cohort": certificate.enrolment.cohort,
                "verify_url": "https://x/v/",
                "qr": "data:,",
            },
        )
    assert 'dir="rtl"' in html
    assert 'lang="ar"' in html


def test_verify_page_is_throttled(world: World, certificate: Certificate, settings) -> None:  # type: ignore[no-untyped-def]
    settings.TREMPLIN_RATE_LIMITS = {
        **settings.TREMPLIN_RATE_LIMITS,
        "certificate_verify": "2/m/ip",
    }
    client = world.client_for("anonymous")
    url = reverse("training:certificate-verify", kwargs={"public_id": certificate.public_id})
    statuses = [client.get(url).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_issue_date_in_the_future_or_before_the_cohort_is_refused(world: World, cohort) -> None:  # type: ignore[no-untyped-def]
    done = graduate(EnrolmentFactory(cohort=cohort))
    client = world.client_for("manager_a1")
    url = reverse("training:certificate-issue", kwargs={"cohort_id": cohort.pk})
    for day, message in (
        ("2999-01-01", "A certificate cannot be dated in the future."),
        ("2001-01-01", "A certificate cannot be dated before the cohort starts."),
    ):
        page = client.post(url, {"learners": [done.pk], "issued_on": day})
        assert message in page.content.decode()
    assert not Certificate.objects.exists()


def test_issue_page_queries_do_not_grow_with_the_cohort(
    world: World, cohort, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    learners = [graduate(EnrolmentFactory(cohort=cohort)) for _ in range(12)]
    services.certificate_issue(
        actor=world.users["manager_a1"], cohort=cohort, enrolments=learners[:6]
    )
    client = world.client_for("manager_a1")
    url = reverse("training:certificate-issue", kwargs={"cohort_id": cohort.pk})
    with django_assert_max_num_queries(22):
        assert client.get(url).status_code == 200


def test_sessions_list_links_a_cohort_to_its_certificates(world: World, cohort) -> None:  # type: ignore[no-untyped-def]
    page = world.client_for("coach_a1").get(
        reverse("training:certification-sessions"), {"cohort": cohort.pk}
    )
    assert reverse("training:certificate-issue", kwargs={"cohort_id": cohort.pk}) in (
        page.content.decode()
    )
    other = CohortFactory(run=world.run_beta)
    page = world.client_for("coach_a1").get(
        reverse("training:certification-sessions"), {"cohort": other.pk}
    )
    assert page.status_code == 404


def test_person_page_shows_certificates_to_those_who_see_the_cohort(
    world: World, certificate: Certificate
) -> None:
    url = reverse("people:person-detail", kwargs={"person_id": world.amina.pk})
    for persona in ("manager_a1", "coach_a1", "trainer_a1"):
        page = world.client_for(persona).get(url)
        assert certificate.number in page.content.decode(), persona
    certificate.enrolment.cohort.trainers.clear()
    page = world.client_for("trainer_a1").get(url)
    assert certificate.number not in page.content.decode()
