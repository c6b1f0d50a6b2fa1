"""The partners' dashboard: internships per partner and site, places offered and filled, the
time from training end to internship start, hiring after the internship per partner,
engagement per quarter; scoped, filtered, and in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse

from conftest import World
from tremplin.partners.models import Interaction, InternshipStatus, Match, MatchStatus
from tremplin.partners.selectors.dashboard import dashboard
from tremplin.partners.tests.during_setup import internship_at
from tremplin.partners.tests.factories import OfferFactory
from tremplin.training.models import Enrolment

TODAY = dt.date(2026, 12, 3)


def _ended(world: World, *, hired: bool | None, site: str = "north") -> Any:
    return internship_at(
        world,
        site=site,
        status=InternshipStatus.ENDED,
        ended_on=dt.date(2026, 11, 30),
        job_offered=hired,
    )


def test_hiring_after_the_internship_is_counted_per_partner(world: World) -> None:
    hired = _ended(world, hired=True)
    internship_at(world, partner=hired.partner, status=InternshipStatus.ENDED, job_offered=False)
    _ended(world, hired=None)
    board = dashboard(user=world.users["admin_a"], today=TODAY)
    assert (board.hiring_total.ended, board.hiring_total.hired) == (3, 1)
    first = board.hiring[0]
    assert (first.name, first.ended, first.hired, first.share) == (hired.partner.name, 2, 1, "50 %")


def test_internships_per_partner_and_site_by_status(world: World) -> None:
    internship_at(world)
    internship_at(world, site="south")
    internship_at(world, site="beta")
    board = dashboard(user=world.users["admin_a"], today=TODAY)
    assert sorted(r.name for r in board.per_site) == ["Alpha North", "Alpha South"]
    north = dashboard(user=world.users["admin_a"], site=world.north, today=TODAY)
    assert [r.name for r in north.per_site] == ["Alpha North"]
    assert north.per_site[0].counts[2] == 1  # under way


def test_places_offered_and_filled(world: World) -> None:
    internship = internship_at(world)
    offer = OfferFactory(partner=internship.partner, status="open", places=4)
    internship.offer = offer
    internship.save()
    other = Enrolment.objects.create(
        cohort=internship.enrolment.cohort, person=world.bilal, joined_on=dt.date(2026, 1, 5)
    )
    Match.objects.create(offer=offer, enrolment=other, status=MatchStatus.CONFIRMED)
    board = dashboard(user=world.users["manager_a1"], today=TODAY)
    assert (board.places_total.places, board.places_total.filled) == (4, 2)
    assert board.places_total.share == "50 %"


def test_time_from_training_end_to_internship(world: World) -> None:
    internship_at(world)  # training ends 15 October, internship starts 19 October
    early = internship_at(world, starts_on=dt.date(2026, 10, 1))  # during the training
    Enrolment.objects.filter(pk=early.enrolment_id).update(
        left_on=dt.date(2026, 10, 10), status=Enrolment.Status.GRADUATED
    )
    board = dashboard(user=world.users["coach_a1"], today=TODAY)
    [north] = board.delays
    assert (north.people, north.median_days, north.before_end) == (2, -2.5, 1)


def test_engagement_per_quarter(world: World) -> None:
    internship = internship_at(world)
    Interaction.objects.create(
        partner=internship.partner, kind="meeting", happened_on=dt.date(2026, 7, 2)
    )
    board = dashboard(user=world.users["admin_a"], year=2026, today=TODAY)
    q3 = board.quarters[2]
    assert (q3.quarter, q3.interactions, q3.partners) == (3, 1, 1)
    assert board.quarters[3].internships == 1  # started in October


def test_beta_sees_nothing_of_alpha(world: World) -> None:
    _ended(world, hired=True)
    board = dashboard(user=world.users["manager_b1"], today=TODAY)
    assert board.hiring == []
    assert board.per_partner == []


def test_the_dashboard_takes_a_fixed_number_of_queries(
    world: World, django_assert_max_num_queries: Any
) -> None:
    client = world.client_for("admin_a")
    url = reverse("partners:dashboard") + "?year=2026"
    _ended(world, hired=True)
    with django_assert_max_num_queries(25) as few:
        assert client.get(url).status_code == 200
    for _i in range(3):
        _ended(world, hired=False, site="south")
        OfferFactory(partner=internship_at(world).partner, status="open")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url)
    assert "hired after their internship" in page.content.decode()


def test_a_bad_year_is_refused_without_an_error(world: World) -> None:
    response = world.client_for("admin_a").get(reverse("partners:dashboard") + "?year=abc")
    assert response.status_code == 200
