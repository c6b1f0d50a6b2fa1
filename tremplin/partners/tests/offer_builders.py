"""What the offer and matching tests (and the matrix rows) build on: Alpha's partner with
an open offer for Alpha North, a North cohort of learners, a partner contact's offers link
and a learner's private link."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from conftest import World
from tests.authorization.training_records import make_cohort
from tremplin.core.tokens import token_hash
from tremplin.partners.models import LinkPurpose, Offer, OfferStatus, Partner
from tremplin.partners.services.links import partner_link_create
from tremplin.partners.tests.factories import OfferFactory, PartnerContactFactory, PartnerFactory
from tremplin.people.tests.factories import PersonFactory
from tremplin.training.models import Cohort, Enrolment


def alpha_partner(w: World, **fields: Any) -> Partner:
    return PartnerFactory(organisation=w.alpha, **fields)


def open_offer(w: World, *, partner: Partner | None = None, **fields: Any) -> Offer:
    fields.setdefault("site", w.north)
    fields.setdefault("city", "Lille")
    fields.setdefault("status", OfferStatus.OPEN)
    fields.setdefault("starts_on", dt.date(2027, 6, 1))
    fields.setdefault("ends_on", dt.date(2027, 8, 31))
    return OfferFactory(partner=partner or alpha_partner(w), **fields)


def north_cohort(w: World, *, others: int = 2) -> Cohort:
    """A North cohort holding Amina and ``others`` more learners."""
    cohort = make_cohort(w, "north")
    for _ in range(others):
        Enrolment.objects.create(
            cohort=cohort, person=PersonFactory(site=w.north), joined_on=cohort.starts_on
        )
    return cohort


def offers_link_token(w: World, partner: Partner | None = None) -> str:
    partner = partner or alpha_partner(w)
    contact = PartnerContactFactory(partner=partner, language="en")
    return partner_link_create(
        actor=w.users["admin_a"], partner=partner, purpose=LinkPurpose.OFFERS, contact=contact
    ).token


def learner_token(enrolment: Enrolment) -> str:
    token = secrets.token_urlsafe(24)
    enrolment.token_hash = token_hash(token)
    enrolment.save(update_fields=["token_hash"])
    return token
