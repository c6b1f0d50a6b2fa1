"""Staff and referrals: the list by partner and call, a referral recorded for a partner,
withdrawing one, and the funnel by referral partner."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from conftest import World
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import AuditEvent
from tremplin.partners.models import Referral
from tremplin.partners.selectors import referrals as selectors
from tremplin.partners.services.referrals import referral_create
from tremplin.partners.tests.referral_builders import person_data, refer_link, referral_partner
from tremplin.partners.tests.test_referrals_status import enrol, refer, submitted
from tremplin.people.tests.factories import PersonFactory
from tremplin.selection.tests.builders import applicant, open_call


def test_staff_record_a_referral_for_a_partner(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    call = open_call(world)
    partner = referral_partner(world)
    client = world.client_for("officer_a1")
    url = reverse("partners:referral-create", kwargs={"partner_id": partner.pk})
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, person_data(call, email="", phone="06 11 22 33 44"))
    assert response.status_code == 302, response.content.decode()[:2000]
    referral = Referral.objects.get()
    assert referral.created_by == world.users["officer_a1"]
    assert referral.phone == "+33611223344"
    assert referral.application is not None
    assert referral.application.answers["phone"] == "+33611223344"
    event = AuditEvent.objects.get(action=AuditAction.REFERRAL_CREATED)
    assert event.actor == world.users["officer_a1"]


def test_betas_manager_does_not_find_alphas_partner_or_referrals(world: World) -> None:
    call = open_call(world)
    new = refer_link(world)
    referral = refer(world, new.link, call, "Dara")
    client = world.client_for("manager_b1")
    create = reverse("partners:referral-create", kwargs={"partner_id": new.link.partner_id})
    assert client.get(create).status_code == 404
    withdraw = reverse("partners:referral-withdraw", kwargs={"referral_id": referral.pk})
    assert client.post(withdraw).status_code == 404
    assert "Dara" not in client.get(reverse("partners:referral-list")).content.decode()


def test_the_list_filters_by_partner_and_call(world: World) -> None:
    call = open_call(world)
    other_call = open_call(world, slug="other-2027", title="Other call")
    ours = refer_link(world)
    theirs = refer_link(world, referral_partner(world, name="Youth office"))
    refer(world, ours.link, call, "Dara")
    refer(world, theirs.link, other_call, "Evariste")
    client = world.client_for("coach_a1")
    url = reverse("partners:referral-list")
    page = client.get(url, {"partner": ours.link.partner_id}).content.decode()
    assert "Dara Referred" in page
    assert "Evariste Referred" not in page
    create = reverse("partners:referral-create", kwargs={"partner_id": ours.link.partner_id})
    assert create in page
    page = client.get(url, {"call": other_call.pk}).content.decode()
    assert "Evariste Referred" in page
    assert "Dara Referred" not in page


def test_staff_withdraw_a_referral_when_the_person_asks(world: World) -> None:
    call = open_call(world)
    new = refer_link(world)
    referral = refer(world, new.link, call, "Dara")
    client = world.client_for("manager_a1")
    url = reverse("partners:referral-withdraw", kwargs={"referral_id": referral.pk})
    assert client.post(url, {"note": "Phoned us"}).status_code == 302
    referral.refresh_from_db()
    assert referral.withdrawn_at is not None
    assert not referral.shares_status
    assert AuditEvent.objects.filter(action=AuditAction.REFERRAL_WITHDRAWN).count() == 1


def _funnel_world(world: World, people: int) -> Any:
    call = open_call(world)
    ngo = refer_link(world)
    office = refer_link(world, referral_partner(world, name="Youth office"))
    for n in range(people):
        link = ngo.link if n % 2 else office.link
        referral = refer(world, link, call, f"P{n}")
        if n % 3:
            application = submitted(referral, outcome="selected" if n % 4 else "in_progress")
            if n % 4 and n % 5:
                enrol(application, "graduated" if n % 7 else "active")
    applicant(call, PersonFactory(site=call.site), through=1, outcome="selected")
    applicant(call, PersonFactory(site=call.site))
    return call, ngo, office


def test_the_funnel_counts_each_partner_and_those_not_referred(world: World) -> None:
    call, ngo, _office = _funnel_world(world, 8)
    funnel = selectors.referral_funnel(
        calls=selectors.funnel_calls(user=world.users["officer_a1"], call_id=call.pk)
    )
    rows = {(r.partner.name if r.partner else None): r for r in funnel.rows}
    # n = 1, 3, 5, 7 through the NGO: 1, 5, 7 applied and were selected; 1 (graduated) and 7
    # entered training.
    ngo_row = rows[ngo.link.partner.name]
    assert (ngo_row.referred, ngo_row.applied, ngo_row.selected) == (4, 3, 3)
    assert (ngo_row.in_training, ngo_row.graduated) == (2, 1)
    assert ngo_row.stages[0] == 3
    # n = 0, 2, 4, 6 through the office: 2 and 4 applied; 2 was selected and graduated.
    office_row = rows["Youth office"]
    assert (office_row.referred, office_row.applied, office_row.selected) == (4, 2, 1)
    assert (office_row.in_training, office_row.graduated) == (1, 1)
    not_referred = rows[None]
    assert (not_referred.referred, not_referred.applied, not_referred.selected) == (None, 2, 1)
    page = world.client_for("officer_a1").get(
        reverse("partners:referral-funnel"), {"call": call.pk}
    )
    assert "Youth office" in page.content.decode()


def test_the_funnel_page_costs_the_same_queries_for_many_referrals(
    world: World, django_assert_max_num_queries: Any
) -> None:
    call, _ngo, _office = _funnel_world(world, 20)
    client = world.client_for("manager_a1")
    url = reverse("partners:referral-funnel")
    with django_assert_max_num_queries(25) as few:
        client.get(url, {"call": call.pk})
    before = len(few.captured_queries)
    _funnel_world_more(world, call, 20)
    with django_assert_max_num_queries(before):
        assert client.get(url, {"call": call.pk}).status_code == 200
    with django_assert_max_num_queries(before):
        assert client.get(url, {"run": call.run_id}).status_code == 200


def _funnel_world_more(world: World, call: Any, people: int) -> None:
    new = refer_link(world, referral_partner(world, name="Employment service"))
    for n in range(people):
        referral = refer(world, new.link, call, f"Q{n}")
        enrol(submitted(referral, outcome="selected"))


def test_the_list_costs_the_same_queries_for_many_referrals(
    world: World, django_assert_max_num_queries: Any
) -> None:
    call = open_call(world)
    new = refer_link(world)
    for n in range(15):
        refer(world, new.link, call, f"P{n}")
    client = world.client_for("officer_a1")
    with django_assert_max_num_queries(20):
        assert client.get(reverse("partners:referral-list")).status_code == 200


def test_the_service_refuses_staff_outside_the_calls_site(world: World) -> None:
    call = open_call(world)
    with pytest.raises(PermissionDenied):
        referral_create(
            actor=world.users["trainer_a1"],
            partner=referral_partner(world),
            call=call,
            given_names="Dara",
            family_name="Referred",
            email="dara@example.org",
            language="fr",
            consent=True,
            shares_status=False,
            base_url="http://testserver",
        )
    assert not Referral.objects.exists()
