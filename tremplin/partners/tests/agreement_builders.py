"""Records the agreements' tests build (unit, page, matrix and browser tests): a learner
enrolled in a new cohort, a confirmed match with a tutor, a small PDF for the signed scan."""

from __future__ import annotations

import itertools

from conftest import World
from tremplin.partners.models import Match, MatchStatus, Partner
from tremplin.partners.tests.factories import (
    OfferFactory,
    PartnerContactFactory,
    PartnerSiteFactory,
)
from tremplin.people.models import Person
from tremplin.training.models import Enrolment
from tremplin.training.tests.factories import CohortFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
_numbers = itertools.count(1)


def learner_enrolled(world: World, person: Person | None = None) -> Enrolment:
    """``person`` (Amina, at Alpha North, by default) enrolled in a new cohort of their
    site's run."""
    person = person or world.amina
    run = {world.north.pk: world.run_north, world.south.pk: world.run_south}.get(
        person.site_id, world.run_beta
    )
    cohort = CohortFactory(run=run, title=f"Internships {next(_numbers)}")
    return Enrolment.objects.create(cohort=cohort, person=person, joined_on=cohort.starts_on)


def confirmed_match(enrolment: Enrolment, partner: Partner) -> Match:
    """A confirmed match with one of ``partner``'s offers (in Lille, its contact a tutor)."""
    place = PartnerSiteFactory(partner=partner, address="2 rue du Port", city="Lille")
    contact = PartnerContactFactory(partner=partner, name="Marc Leroy", is_tutor=True)
    offer = OfferFactory(
        partner=partner, partner_site=place, contact=contact, title="Technicienne fibre"
    )
    return Match.objects.create(offer=offer, enrolment=enrolment, status=MatchStatus.CONFIRMED)
