"""Internships and their agreements: created from a confirmed match or directly, refused
with their reason (overlaps, end before start, pay without currency, a tutor from elsewhere,
a learner outside the scope), the organisation's rules checked before signature, the
signatures (a guardian for a minor), the signed scan, starting only once signed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from conftest import World
from tremplin.core.audit_actions import AuditAction
from tremplin.core.encryption import encrypted_file_read
from tremplin.core.models import AuditEvent
from tremplin.partners.models import (
    AgreementRule,
    AgreementTemplate,
    Internship,
    InternshipStatus,
    Match,
    MatchStatus,
    Partner,
)
from tremplin.partners.services import agreements
from tremplin.partners.services import internships as services
from tremplin.partners.tests.agreement_builders import PDF, confirmed_match, learner_enrolled
from tremplin.partners.tests.factories import (
    InternshipFactory,
    PartnerContactFactory,
    PartnerFactory,
)
from tremplin.training.models import Enrolment


@pytest.fixture
def amina_enrolment(world: World) -> Enrolment:
    return learner_enrolled(world)


@pytest.fixture
def bilal_enrolment(world: World) -> Enrolment:
    return learner_enrolled(world, world.bilal)


@pytest.fixture
def partner(world: World):  # type: ignore[no-untyped-def]
    return PartnerFactory(organisation=world.alpha, name="FibreNord", country="FR")


@pytest.fixture
def match(amina_enrolment: Enrolment, partner: Partner) -> Match:
    return confirmed_match(amina_enrolment, partner)


def _draft(world: World, enrolment: Enrolment, partner, **extra) -> Internship:  # type: ignore[no-untyped-def]
    data = {
        "kind": "internship",
        "starts_on": dt.date(2026, 6, 1),
        "ends_on": dt.date(2026, 7, 15),
        "hours_per_week": Decimal(35),
        "tasks": "Splice fibre",
        "allowance_amount": Decimal("660"),
        "currency": "EUR",
        "country": "FR",
        **extra,
    }
    return services.internship_create(
        actor=world.users["manager_a1"], enrolment=enrolment, partner=partner, data=data
    )


def test_internship_from_a_confirmed_match_takes_the_offers_values(
    world: World, match: Match
) -> None:
    internship = services.internship_create_from_match(actor=world.users["coach_a1"], match=match)
    offer = match.offer
    assert internship.partner == offer.partner
    assert internship.partner_site == offer.partner_site
    assert internship.offer == offer
    assert internship.tutor == offer.contact
    assert (internship.starts_on, internship.ends_on) == (offer.starts_on, offer.ends_on)
    assert internship.allowance_amount == Decimal("660.00")
    assert internship.currency == "EUR"
    assert internship.country == "FR"
    assert internship.language == "fr"
    assert internship.status == InternshipStatus.DRAFT
    assert AuditEvent.objects.filter(action=AuditAction.INTERNSHIP_CREATED).count() == 1
    # the organisation got its shipped templates and rules on first use
    assert AgreementTemplate.objects.filter(organisation=world.alpha, country="FR").exists()
    assert AgreementRule.objects.filter(organisation=world.alpha).count() == 2


def test_a_match_not_confirmed_gives_no_internship(world: World, match: Match) -> None:
    Match.objects.filter(pk=match.pk).update(status=MatchStatus.PROPOSED)
    with pytest.raises(ValidationError, match="confirmed"):
        services.internship_create_from_match(actor=world.users["coach_a1"], match=match)


def test_overlapping_internships_for_one_learner_are_refused(
    world: World, amina_enrolment: Enrolment, partner
) -> None:  # type: ignore[no-untyped-def]
    _draft(world, amina_enrolment, partner)
    with pytest.raises(ValidationError) as refused:
        _draft(world, amina_enrolment, partner, starts_on=dt.date(2026, 7, 1))
    assert "overlap" in refused.value.message_dict["starts_on"][0]
    assert Internship.objects.count() == 1


def test_a_cancelled_internship_frees_its_dates(
    world: World, amina_enrolment: Enrolment, partner
) -> None:  # type: ignore[no-untyped-def]
    first = _draft(world, amina_enrolment, partner)
    services.internship_cancel(actor=world.users["manager_a1"], internship=first, note="Closed")
    _draft(world, amina_enrolment, partner)
    assert Internship.objects.exclude(status=InternshipStatus.CANCELLED).count() == 1


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"ends_on": dt.date(2026, 5, 1)}, "ends_on"),
        ({"currency": ""}, "currency"),
    ],
)
def test_bad_dates_and_pay_without_currency_are_refused_naming_the_field(
    world: World, amina_enrolment: Enrolment, partner, extra: dict, field: str
) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as refused:
        _draft(world, amina_enrolment, partner, **extra)
    assert field in refused.value.message_dict
    assert not Internship.objects.exists()


def test_a_tutor_who_is_not_the_partners_contact_is_refused(
    world: World, amina_enrolment: Enrolment, partner
) -> None:  # type: ignore[no-untyped-def]
    elsewhere = PartnerContactFactory(partner=PartnerFactory(organisation=world.alpha))
    with pytest.raises(ValidationError) as refused:
        _draft(world, amina_enrolment, partner, tutor=elsewhere)
    assert "tutor" in refused.value.message_dict


def test_a_learner_outside_the_users_scope_is_refused(
    world: World, bilal_enrolment: Enrolment, partner
) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        _draft(world, bilal_enrolment, partner)
    client = world.client_for("manager_a1")
    response = client.get(reverse("partners:internship-create") + f"?learner={bilal_enrolment.pk}")
    assert response.status_code == 200
    response = client.post(
        reverse("partners:internship-create"),
        {"learner": bilal_enrolment.pk, "partner": partner.pk},
    )
    assert "learner" in response.context["form"].errors


def test_another_sites_internship_is_not_found(
    world: World, bilal_enrolment: Enrolment, partner
) -> None:  # type: ignore[no-untyped-def]
    internship = InternshipFactory(enrolment=bilal_enrolment, partner=partner)
    url = reverse("partners:internship-detail", kwargs={"internship_id": internship.pk})
    assert world.client_for("manager_a1").get(url).status_code == 404
    assert world.client_for("admin_a").get(url).status_code == 200
    assert world.client_for("manager_b1").get(url).status_code == 404


def _sign_everyone(world: World, internship: Internship) -> None:
    for role in services.signatures_required(internship):
        services.agreement_signature_record(
            actor=world.users["manager_a1"],
            internship=internship,
            role=role.value,
            signer_name=f"Signer {role.value}",
            signed_on=dt.date(2026, 5, 20),
        )


def test_the_agreement_is_signed_when_every_party_signed(
    world: World, amina_enrolment: Enrolment, partner
) -> None:  # type: ignore[no-untyped-def]
    internship = _draft(world, amina_enrolment, partner)
    with pytest.raises(ValidationError, match="signed agreement"):
        services.internship_start(actor=world.users["manager_a1"], internship=internship)
    _sign_everyone(world, internship)
    internship.refresh_from_db()
    assert internship.status == InternshipStatus.SIGNED
    assert internship.signed_at is not None
    assert AuditEvent.objects.filter(action=AuditAction.AGREEMENT_SIGNED).count() == 1
    services.internship_start(actor=world.users["manager_a1"], internship=internship)
    assert internship.status == InternshipStatus.UNDER_WAY


def test_an_internship_starts_on_its_first_day_not_before(
    world: World, amina_enrolment: Enrolment, partner
) -> None:  # type: ignore[no-untyped-def]
    internship = _draft(world, amina_enrolment, partner)
    _sign_everyone(world, internship)
    today = timezone.localdate()
    Internship.objects.filter(pk=internship.pk).update(
        starts_on=today + dt.timedelta(days=10), ends_on=today + dt.timedelta(days=90)
    )
    internship.refresh_from_db()
    with pytest.raises(ValidationError, match="can be marked as started from that day"):
        services.internship_start(actor=world.users["manager_a1"], internship=internship)
    internship.refresh_from_db()
    assert internship.status == InternshipStatus.SIGNED


def test_a_minor_learners_guardian_signs_too(
    world: World, amina_enrolment: Enrolment, partner
) -> None:  # type: ignore[no-untyped-def]
    world.amina.birth_date = dt.date(2009, 9, 1)
    world.amina.save()
    internship = _draft(world, amina_enrolment, partner)
    assert services.learner_is_minor(internship)
    roles = {r.value for r in services.signatures_required(internship)}
    assert roles == {"learner", "company", "organisation", "guardian"}


def test_french_rules_are_checked_before_signature_naming_each(
    world: World, amina_enrolment: Enrolment, partner
) -> None:  # type: ignore[no-untyped-def]
    internship = _draft(
        world,
        amina_enrolment,
        partner,
        ends_on=dt.date(2026, 9, 30),
        hours_per_week=Decimal(39),
        allowance_amount=None,
        currency="",
    )
    broken = agreements.rules_broken(internship, with_scan=False)
    assert len(broken) == 2
    with pytest.raises(ValidationError) as refused:
        services.agreement_signature_record(
            actor=world.users["manager_a1"],
            internship=internship,
            role="learner",
            signer_name="Amina Diallo",
            signed_on=dt.date(2026, 5, 20),
        )
    message = refused.value.messages[0]
    assert "L124-6" in message
    assert "35 heures" in message
    assert not internship.signatures.exists()


def test_a_rule_asking_for_the_scan_waits_for_it(
    world: World, amina_enrolment: Enrolment, partner
) -> None:  # type: ignore[no-untyped-def]
    internship = _draft(world, amina_enrolment, partner)
    AgreementRule.objects.create(organisation=world.alpha, name="Scan", requirement="signed_scan")
    _sign_everyone(world, internship)
    internship.refresh_from_db()
    assert internship.status == InternshipStatus.DRAFT
    services.agreement_scan_upload(
        actor=world.users["manager_a1"], internship=internship, content=PDF
    )
    internship.refresh_from_db()
    assert internship.status == InternshipStatus.SIGNED
    assert encrypted_file_read(internship.signed_scan) == PDF
    with internship.signed_scan.open("rb") as stored:
        assert not stored.read().startswith(b"%PDF")


def test_allowance_at_least_compares_per_month(
    world: World, amina_enrolment: Enrolment, partner
) -> None:  # type: ignore[no-untyped-def]
    internship = _draft(world, amina_enrolment, partner)
    rule = AgreementRule(
        organisation=world.alpha,
        name="Minimum",
        requirement="allowance_at_least",
        threshold=Decimal("4.35"),
        currency="EUR",
        period="hour",
    )
    # 4.35 € an hour × 35 h × 52 / 12 = 659.75 € a month
    assert agreements.rule_met(rule, internship)
    internship.allowance_amount = Decimal("600")
    assert not agreements.rule_met(rule, internship)
    internship.currency = "USD"
    internship.allowance_amount = Decimal("900")
    assert not agreements.rule_met(rule, internship)


def test_unknown_placeholder_is_refused_naming_it(world: World) -> None:
    with pytest.raises(ValidationError) as refused:
        agreements.agreement_template_save(
            actor=world.users["manager_a1"],
            organisation=world.alpha,
            template=None,
            data={
                "name": "Mine",
                "kind": "internship",
                "country": "FR",
                "language": "fr",
                "body": "Stage de {learner_name} chez {entreprise}",
                "active": True,
            },
        )
    assert "{entreprise}" in refused.value.message_dict["body"][0]


def test_placeholders_are_escaped_and_filled(
    world: World, amina_enrolment: Enrolment, partner
) -> None:  # type: ignore[no-untyped-def]
    internship = _draft(world, amina_enrolment, partner, tasks="<script>x</script>")
    blocks = agreements.agreement_blocks(
        "# Title\n\n{learner_name} does {tasks}", agreements.placeholder_values(internship)
    )
    assert blocks[0].heading
    assert str(blocks[0].html) == "Title"
    assert "Amina Diallo does &lt;script&gt;" in str(blocks[1].html)


def test_template_choice_falls_back(world: World, amina_enrolment: Enrolment, partner) -> None:  # type: ignore[no-untyped-def]
    agreements.agreement_defaults_seed(organisation=world.alpha)
    chosen = agreements.template_choose(
        organisation_id=world.alpha.pk, kind="apprenticeship", country="VN", language="vi"
    )
    assert chosen is not None
    assert chosen.country == "VN"
    assert chosen.language == "en"
    french = agreements.template_choose(
        organisation_id=world.alpha.pk, kind="internship", country="FR", language="ar"
    )
    assert french is not None
    assert french.language == "fr"
    assert (
        agreements.template_choose(
            organisation_id=world.alpha.pk, kind="internship", country="DE", language="en"
        )
        is None
    )
