"""A cohort matched to offers: the run proposes the best assignment with reasons; staff
confirm (never beyond an offer's places), decline or change; the ranking page reads a
constant number of queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from conftest import World
from tremplin.core.models import AuditEvent
from tremplin.partners.models import Match, MatchStatus, OfferLanguage
from tremplin.partners.services import matching as services
from tremplin.partners.tests.offer_builders import north_cohort, open_offer
from tremplin.people.models import PersonLanguage
from tremplin.people.tests.factories import PersonFactory
from tremplin.training.models import Enrolment


def test_a_run_places_every_learner_it_can_and_explains_the_others(world: World) -> None:
    cohort = north_cohort(world, others=2)
    big = open_offer(world, title="Big", places=2)
    english = open_offer(world, title="English only", places=5)
    OfferLanguage.objects.create(offer=english, language="en", level="B2")
    run = services.matching_run(actor=world.users["coach_a1"], cohort=cohort)
    assert run.proven_optimal
    assert (run.learners, run.offers, run.placed) == (3, 2, 2)
    assert Match.objects.filter(status=MatchStatus.PROPOSED, offer=big).count() == 2
    assert len(run.explanation["unplaced"]) == 1
    (reason,) = run.explanation["unplaced"].values()
    assert reason == {"reason": "all_full", "better": [big.pk]}
    assert AuditEvent.objects.filter(action="matching_run.completed").count() == 1
    page = world.client_for("coach_a1").get(reverse("partners:matching", args=[cohort.pk]))
    assert page.status_code == 200
    assert "Every offer they may take is full (Big)" in page.content.decode()


def test_a_learner_speaking_the_language_asked_goes_to_that_offer(world: World) -> None:
    cohort = north_cohort(world, others=1)
    english = open_offer(world, title="English only", places=1)
    OfferLanguage.objects.create(offer=english, language="en", level="B2")
    speaker = cohort.enrolments.exclude(person=world.amina).get()
    PersonLanguage.objects.create(person=speaker.person, language="en", level="C1")
    services.matching_run(actor=world.users["manager_a1"], cohort=cohort)
    match = Match.objects.get()
    assert match.enrolment == speaker
    assert match.explanation["why"] == {"reason": "best"}


def test_confirming_beyond_the_places_is_refused_naming_the_offer(world: World) -> None:
    cohort = north_cohort(world, others=1)
    offer = open_offer(world, title="One place", places=2)
    services.matching_run(actor=world.users["coach_a1"], cohort=cohort)
    first, second = Match.objects.order_by("pk")
    services.match_confirm(actor=world.users["coach_a1"], match=first)
    offer.places = 1
    offer.save()
    with pytest.raises(ValidationError, match="“One place” has 1 places and 1 are confirmed"):
        services.match_confirm(actor=world.users["coach_a1"], match=second)
    second.refresh_from_db()
    assert second.status == MatchStatus.PROPOSED
    # through the page: the message, nothing confirmed
    response = world.client_for("coach_a1").post(
        reverse("partners:match-confirm", args=[second.pk]), follow=True
    )
    assert "“One place” has 1 places" in response.content.decode()
    assert Match.objects.filter(status=MatchStatus.CONFIRMED).count() == 1


def test_staff_decline_and_change_a_match_and_a_new_run_keeps_their_choices(
    world: World,
) -> None:
    cohort = north_cohort(world, others=0)
    first = open_offer(world, title="First", places=1)
    second = open_offer(world, title="Second", places=1, city="Paris")
    services.matching_run(actor=world.users["coach_a1"], cohort=cohort)
    match = Match.objects.get()
    assert match.offer == first
    client = world.client_for("coach_a1")
    client.post(reverse("partners:match-change", args=[match.pk]), {"offer": second.pk})
    match.refresh_from_db()
    assert match.status == MatchStatus.DECLINED
    changed = Match.objects.get(offer=second)
    assert changed.status == MatchStatus.PROPOSED
    assert changed.explanation["why"] == {"reason": "staff"}
    assert AuditEvent.objects.filter(action="match.proposed").exists()
    client.post(reverse("partners:match-confirm", args=[changed.pk]))
    changed.refresh_from_db()
    assert changed.status == MatchStatus.CONFIRMED
    # a new run leaves the confirmed learner alone
    run = services.matching_run(actor=world.users["coach_a1"], cohort=cohort)
    assert run.learners == 0
    assert Match.objects.filter(status=MatchStatus.CONFIRMED).count() == 1


def test_a_change_to_an_offer_for_another_site_is_refused(world: World) -> None:
    cohort = north_cohort(world, others=0)
    open_offer(world, title="North", places=1)
    south = open_offer(world, title="South", places=1, site=world.south)
    services.matching_run(actor=world.users["coach_a1"], cohort=cohort)
    match = Match.objects.get()
    response = world.client_for("coach_a1").post(
        reverse("partners:match-change", args=[match.pk]), {"offer": south.pk}, follow=True
    )
    assert "Choose an open offer from the list." in response.content.decode()
    assert not Match.objects.filter(offer=south).exists()


def test_the_ranking_reads_the_same_queries_for_3_or_30_learners(
    world: World, django_assert_max_num_queries: Any
) -> None:
    cohort = north_cohort(world, others=2)
    offer = open_offer(world, title="Ranked")
    client = world.client_for("coach_a1")
    url = reverse("partners:offer-ranking", args=[offer.pk])
    client.get(url)
    with django_assert_max_num_queries(20) as small:
        assert client.get(url).status_code == 200
    for _ in range(27):
        Enrolment.objects.create(
            cohort=cohort, person=PersonFactory(site=world.north), joined_on=cohort.starts_on
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    assert "Amina" in response.content.decode()
