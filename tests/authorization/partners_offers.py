"""Matrix rows for partners: offers, the ranking by fit, a cohort's matching and its matches,
the partner contact's offers link and the learner's wishes (see partners.py for who may do
what).

Offers belong to a partner, so whoever works with partners sees Alpha's (Beta's manager: 404).
A cohort's matching and its matches follow the cohort's site: Alpha North's manager and job
coach, Alpha's admin. The private-link pages answer whoever holds the link.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

from conftest import World
from tests.authorization.partners_answers import ALPHA_PARTNER, PARTNER_PAGES
from tests.authorization.records import no_kwargs
from tests.authorization.rows import PUBLIC, PUBLIC_REDIRECT, Expect, Row, answers
from tremplin.partners.models import Match
from tremplin.partners.services.matching import matching_run
from tremplin.partners.tests.offer_builders import (
    learner_token,
    north_cohort,
    offers_link_token,
    open_offer,
)

# fmt: off
ALPHA_REDIRECT = answers(redirected={"superuser", "admin_a", "manager_a1", "coach_a1"}, not_found={"manager_b1"})
# a new offer without its partner: the form comes back (400) to whoever may enter offers
_REFUSED = {p: 400 for p in ("superuser", "admin_a", "manager_a1", "coach_a1", "manager_b1")}
FORM_BACK: Expect = MappingProxyType({**dict(answers()), **_REFUSED})
# fmt: on

OFFER = {
    "kind": "internship",
    "title": "Fibre technician intern",
    "places": "2",
    "starts_on": "2027-06-01",
    "ends_on": "2027-08-31",
    "allowance_amount": "660,50",
    "pay_period": "month",
    "currency": "EUR",
    "city": "Lille",
}


def offer_alpha(w: World) -> dict[str, Any]:
    return {"offer_id": open_offer(w).pk}


def cohort_north(w: World) -> dict[str, Any]:
    return {"cohort_id": north_cohort(w, others=1).pk}


def match_north(w: World) -> dict[str, Any]:
    cohort = north_cohort(w, others=0)
    open_offer(w, places=1)
    matching_run(actor=w.users["superuser"], cohort=cohort)
    return {"match_id": Match.objects.filter(enrolment__cohort=cohort).get().pk}


def offers_link(w: World) -> dict[str, Any]:
    return {"token": offers_link_token(w)}


def learner_link(w: World) -> dict[str, Any]:
    cohort = north_cohort(w, others=0)
    open_offer(w)
    return {"token": learner_token(cohort.enrolments.get())}


ROWS: list[Row] = [
    Row("partners:offer-list", no_kwargs, PARTNER_PAGES),
    Row("partners:offer-create", no_kwargs, PARTNER_PAGES),
    Row("partners:offer-create", no_kwargs, FORM_BACK, post=OFFER),
    Row("partners:offer-detail", offer_alpha, ALPHA_PARTNER),
    Row("partners:offer-edit", offer_alpha, ALPHA_PARTNER),
    Row("partners:offer-edit", offer_alpha, ALPHA_REDIRECT, post=OFFER),
    Row("partners:offer-publish", offer_alpha, ALPHA_REDIRECT, post={}),
    Row("partners:offer-close", offer_alpha, ALPHA_REDIRECT, post={}),
    Row("partners:offer-ranking", offer_alpha, ALPHA_PARTNER),
    Row("partners:matching", cohort_north, ALPHA_PARTNER),
    Row("partners:matching", cohort_north, ALPHA_REDIRECT, post={}),
    Row("partners:match-confirm", match_north, ALPHA_REDIRECT, post={}),
    Row("partners:match-decline", match_north, ALPHA_REDIRECT, post={}),
    Row("partners:match-change", match_north, ALPHA_REDIRECT, post={"offer": "0"}),
    Row("partners:link-offers", offers_link, PUBLIC),
    Row("partners:link-offers", offers_link, PUBLIC_REDIRECT, post=OFFER),
    Row("partners:learner-offers", learner_link, PUBLIC),
    Row("partners:learner-offers", learner_link, PUBLIC_REDIRECT, post={"offer": "0"}),
]
