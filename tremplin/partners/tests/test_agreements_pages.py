"""The internship and agreement pages: the list and its filters, creating from a match, the
detail page's rules checklist and signatures (French dates, the scan kept when the form
fails), the agreement's PDF in its language (right to left in Arabic), starting, and the
organisation's templates and rules edited by its managers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from conftest import World
from tremplin.partners.models import (
    AgreementRule,
    AgreementTemplate,
    Internship,
    InternshipStatus,
    Match,
    MatchStatus,
)
from tremplin.partners.services import agreements
from tremplin.partners.services import internships as services
from tremplin.partners.tests.agreement_builders import PDF, learner_enrolled
from tremplin.partners.tests.factories import (
    InternshipFactory,
    OfferFactory,
    PartnerContactFactory,
    PartnerFactory,
    PartnerSiteFactory,
)
from tremplin.partners.tests.pdf_outline import pdf_outline
from tremplin.training.models import Enrolment


@pytest.fixture
def enrolment(world: World) -> Enrolment:
    return learner_enrolled(world)


@pytest.fixture
def internship(world: World, enrolment: Enrolment) -> Internship:
    partner = PartnerFactory(organisation=world.alpha, name="FibreNord")
    place = PartnerSiteFactory(partner=partner, address="2 rue du Port", city="Lille")
    agreements.agreement_defaults_seed(organisation=world.alpha)
    return InternshipFactory(
        enrolment=enrolment,
        partner=partner,
        partner_site=place,
        tutor=PartnerContactFactory(partner=partner, name="Marc Leroy"),
        ends_on=dt.date(2026, 7, 15),
    )


def test_list_shows_internships_and_confirmed_matches_waiting(
    world: World, internship: Internship, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    offer = OfferFactory(partner=internship.partner, title="Soudeur fibre")
    other = Enrolment.objects.create(
        cohort=internship.enrolment.cohort, person=world.bilal, joined_on=dt.date(2026, 1, 5)
    )
    match = Match.objects.create(offer=offer, enrolment=other, status=MatchStatus.CONFIRMED)
    for _n in range(3):
        InternshipFactory(enrolment__cohort=internship.enrolment.cohort, partner=internship.partner)
    client = world.client_for("coach_a1")
    with django_assert_max_num_queries(20):
        response = client.get(reverse("partners:internship-list"))
    page = response.content.decode()
    assert "Amina" in page
    assert "FibreNord" in page
    assert reverse("partners:internship-create-from-match", kwargs={"match_id": match.pk}) in page
    filtered = client.get(reverse("partners:internship-list") + "?status=signed")
    assert "Amina" not in filtered.content.decode()
    assert (
        world.client_for("manager_b1").get(reverse("partners:internship-list")).status_code == 200
    )
    assert (
        "Amina"
        not in world.client_for("manager_b1")
        .get(reverse("partners:internship-list"))
        .content.decode()
    )


def test_create_from_match_page_prefills_and_accepts_french_numbers(
    world: World, enrolment: Enrolment
) -> None:
    partner = PartnerFactory(organisation=world.alpha, name="FibreNord")
    offer = OfferFactory(partner=partner, allowance_amount=Decimal("700"))
    match = Match.objects.create(offer=offer, enrolment=enrolment, status=MatchStatus.CONFIRMED)
    url = reverse("partners:internship-create-from-match", kwargs={"match_id": match.pk})
    client = world.client_for("manager_a1")
    form = client.get(url).context["form"]
    assert form.initial["partner"] == partner
    assert form.initial["allowance_amount"] == 700
    with translation.override("fr"):
        response = client.post(
            url,
            {
                "partner": partner.pk,
                "kind": "internship",
                "starts_on": "01/06/2026",
                "ends_on": "31/07/2026",
                "hours_per_week": "35",
                "tasks": "Raccorder",
                "allowance_amount": "700,50",
                "pay_period": "month",
                "currency": "eur",
                "country": "FR",
            },
            HTTP_ACCEPT_LANGUAGE="fr",
        )
    assert response.status_code == 302, response.context["form"].errors
    internship = Internship.objects.get(match=match)
    assert internship.allowance_amount == Decimal("700.50")
    assert internship.currency == "EUR"
    assert internship.ends_on == dt.date(2026, 7, 31)


def test_the_form_refuses_an_end_before_the_start_naming_the_field(
    world: World, enrolment: Enrolment
) -> None:
    partner = PartnerFactory(organisation=world.alpha)
    response = world.client_for("manager_a1").post(
        reverse("partners:internship-create"),
        {
            "learner": enrolment.pk,
            "partner": partner.pk,
            "kind": "internship",
            "starts_on": "2026-06-01",
            "ends_on": "2026-05-01",
            "hours_per_week": "35",
            "tasks": "x",
            "pay_amount": "100",
            "pay_period": "month",
            "country": "FR",
        },
    )
    errors = response.context["form"].errors
    assert "ends_on" in errors
    assert "currency" in errors
    assert not Internship.objects.exists()


def test_detail_shows_the_rules_checklist_and_the_tabs(
    world: World, internship: Internship
) -> None:
    internship.hours_per_week = Decimal(39)
    internship.save()
    response = world.client_for("coach_a1").get(
        reverse("partners:internship-detail", kwargs={"internship_id": internship.pk})
    )
    page = response.content.decode()
    assert "35 heures par semaine" in page
    assert "Not met:" in page
    assert "nav-tabs" in page


def test_signature_with_a_french_date_and_the_scan(world: World, internship: Internship) -> None:
    url = reverse("partners:internship-signature", kwargs={"internship_id": internship.pk})
    client = world.client_for("manager_a1")
    response = client.post(
        url,
        {"role": "learner", "signer_name": "Amina Diallo", "signed_on": "20/05/2026"},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 302
    assert internship.signatures.get().signed_on == dt.date(2026, 5, 20)
    response = client.post(url, {"scan": SimpleUploadedFile("scan.pdf", PDF)})
    assert response.status_code == 302
    internship.refresh_from_db()
    assert internship.signed_scan
    file_response = client.get(
        reverse("partners:internship-scan", kwargs={"internship_id": internship.pk})
    )
    assert file_response.content == PDF


def test_a_scan_sent_with_a_failing_form_is_kept(world: World, internship: Internship) -> None:
    url = reverse("partners:internship-signature", kwargs={"internship_id": internship.pk})
    client = world.client_for("manager_a1")
    response = client.post(
        url, {"role": "company", "signer_name": "", "scan": SimpleUploadedFile("s.pdf", PDF)}
    )
    form = response.context["signature_form"]
    assert "signer_name" in form.errors
    token = form["scan_token"].value()
    assert token
    internship.refresh_from_db()
    assert not internship.signed_scan
    assert not internship.signatures.exists()
    response = client.post(
        url,
        {
            "role": "company",
            "signer_name": "FibreNord",
            "signed_on": "2026-05-20",
            "scan_token": token,
        },
    )
    assert response.status_code == 302
    internship.refresh_from_db()
    assert internship.signed_scan
    assert internship.signatures.count() == 1


def test_a_scan_that_is_not_pdf_or_image_is_refused(world: World, internship: Internship) -> None:
    url = reverse("partners:internship-signature", kwargs={"internship_id": internship.pk})
    response = world.client_for("manager_a1").post(
        url, {"scan": SimpleUploadedFile("s.pdf", b"MZ\x90\x00not a pdf")}
    )
    assert "scan" in response.context["signature_form"].errors


def test_start_is_refused_without_a_signed_agreement(world: World, internship: Internship) -> None:
    client = world.client_for("manager_a1")
    url = reverse("partners:internship-start", kwargs={"internship_id": internship.pk})
    response = client.post(url, follow=True)
    assert "cannot start without a signed agreement" in response.content.decode()
    internship.refresh_from_db()
    assert internship.status == InternshipStatus.DRAFT


def test_agreement_pdf_in_french_names_the_learner(world: World, internship: Internship) -> None:
    response = world.client_for("coach_a1").get(
        reverse("partners:internship-agreement-pdf", kwargs={"internship_id": internship.pk})
    )
    assert response["Content-Type"] == "application/pdf"
    outline = pdf_outline(response.content)
    assert "Convention de stage" in outline
    assert "Amina Diallo" in outline


def test_agreement_page_is_right_to_left_in_arabic(world: World, internship: Internship) -> None:
    template = AgreementTemplate.objects.create(
        organisation=world.alpha,
        name="اتفاقية تدريب",
        kind="internship",
        country="FR",
        language="ar",
        body="# اتفاقية تدريب\n\n{learner_name}",
    )
    internship.template = template
    internship.language = "ar"
    internship.save()
    context = agreements.agreement_render_context(internship)
    with translation.override("ar"):
        context["signatures"] = []
        html = render_to_string("partners/internships/agreement_pdf.html", context)
    assert 'dir="rtl"' in html
    assert 'lang="ar"' in html
    assert "Amina Diallo" in html
    response = world.client_for("manager_a1").get(
        reverse("partners:internship-agreement-pdf", kwargs={"internship_id": internship.pk})
    )
    assert response.content.startswith(b"%PDF")


def test_managers_edit_templates_and_rules_coaches_do_not(world: World) -> None:
    client = world.client_for("manager_a1")
    page = client.get(reverse("partners:agreement-template-list")).content.decode()
    assert "Convention de stage (France)" in page
    assert "Cambodia" in page
    assert (
        world.client_for("coach_a1").get(reverse("partners:agreement-template-list")).status_code
        == 403
    )
    template = AgreementTemplate.objects.get(organisation=world.alpha, country="FR")
    url = reverse("partners:agreement-template-edit", kwargs={"template_id": template.pk})
    response = client.post(
        url,
        {
            "name": template.name,
            "kind": "internship",
            "country": "FR",
            "language": "fr",
            "body": "# Convention\n\n{learner_name} {inconnu}",
            "active": "on",
        },
    )
    assert "{inconnu}" in str(response.context["form"].errors["body"])
    assert world.client_for("manager_b1").get(url).status_code == 404
    response = client.post(
        reverse("partners:agreement-rule-create"),
        {"name": "Max 6 mois", "country": "FR", "requirement": "duration_at_most", "active": "on"},
    )
    assert "threshold" in response.context["form"].errors
    response = client.post(
        reverse("partners:agreement-rule-create"),
        {
            "name": "Max 6 mois",
            "country": "FR",
            "requirement": "duration_at_most",
            "threshold": "183",
            "active": "on",
        },
    )
    assert response.status_code == 302
    assert AgreementRule.objects.filter(organisation=world.alpha, name="Max 6 mois").exists()


def test_cancel_needs_a_reason_and_frees_the_learner(world: World, internship: Internship) -> None:
    client = world.client_for("manager_a1")
    url = reverse("partners:internship-cancel", kwargs={"internship_id": internship.pk})
    client.post(url, {"note": ""})
    internship.refresh_from_db()
    assert internship.status == InternshipStatus.DRAFT
    client.post(url, {"note": "The company closed the place"})
    internship.refresh_from_db()
    assert internship.status == InternshipStatus.CANCELLED
    assert services.signatures_required(internship)


def test_changes_are_possible_until_the_first_signature(
    world: World, internship: Internship
) -> None:
    client = world.client_for("manager_a1")
    url = reverse("partners:internship-edit", kwargs={"internship_id": internship.pk})
    form = client.get(url).context["form"]
    data = {k: v.pk if hasattr(v, "pk") else v for k, v in form.initial.items() if v is not None}
    data.update(tasks="Raccorder et tester", starts_on="2026-06-01", ends_on="2026-07-15")
    assert client.post(url, data).status_code == 302
    internship.refresh_from_db()
    assert internship.tasks == "Raccorder et tester"
    services.agreement_signature_record(
        actor=world.users["manager_a1"],
        internship=internship,
        role="learner",
        signer_name="Amina Diallo",
        signed_on=dt.date(2026, 5, 20),
    )
    response = client.post(url, {**data, "tasks": "Autre chose"})
    assert response.status_code == 200
    assert "Signatures are recorded" in str(response.context["form"].non_field_errors())
    internship.refresh_from_db()
    assert internship.tasks == "Raccorder et tester"
