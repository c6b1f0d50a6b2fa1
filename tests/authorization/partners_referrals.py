"""Matrix rows for partners: referrals (see partners.py for who may do what).

The referrals of a call are seen by the selection officers, managers and job coaches of the
call's site (and the organisation's admins): ``access.referral_filter``. Beta's manager uses
the lists for Beta and gets 404 for Alpha's partner and referral. The partner's private link
pages (``r/<token>/``) answer whoever holds the link, signed in or not; a revoked, expired
or unknown link is 404 (tests in partners/tests/test_referrals_link.py).
"""

from __future__ import annotations

import itertools
from typing import Any

from conftest import World
from tests.authorization.partners_answers import ALPHA_REFERRAL, REFERRAL_PAGES
from tests.authorization.records import call_at, no_kwargs
from tests.authorization.rows import PUBLIC, Row, answers

_numbers = itertools.count(1)

# fmt: off
# a POST that did its work: back to the list
ALPHA_REFERRAL_POST = answers(redirected={"superuser", "admin_a", "manager_a1", "coach_a1", "officer_a1"}, not_found={"manager_b1"})
# fmt: on


def _partner(w: World) -> Any:
    from tremplin.partners.models import PartnerKind
    from tremplin.partners.tests.factories import PartnerFactory

    return PartnerFactory(
        organisation=w.alpha,
        name=f"Refugee support {next(_numbers)}",
        kind=PartnerKind.NGO,
        partnerships=["refers"],
    )


def alpha_partner(w: World) -> dict[str, Any]:
    call_at("north")(w)  # an open call of Alpha North, so that the form shows
    return {"partner_id": _partner(w).pk}


def refer_link(w: World) -> dict[str, Any]:
    """A real private link of an Alpha referral partner (and an open call to refer to)."""
    from tremplin.partners.models import LinkPurpose
    from tremplin.partners.services.links import partner_link_create

    call_at("north")(w)
    new = partner_link_create(
        actor=w.users["manager_a1"], partner=_partner(w), purpose=LinkPurpose.REFER
    )
    return {"token": new.token}


def alpha_referral(w: World) -> dict[str, Any]:
    """A referral to Alpha North's call, made through a link."""
    from tremplin.partners.models import LinkPurpose
    from tremplin.partners.services.links import partner_link_create
    from tremplin.partners.services.referrals import referral_create
    from tremplin.selection.models import Call

    call = Call.objects.get(pk=call_at("north")(w)["call_id"])
    partner = _partner(w)
    link = partner_link_create(
        actor=w.users["manager_a1"], partner=partner, purpose=LinkPurpose.REFER
    ).link
    made = referral_create(
        actor=None,
        partner=partner,
        link=link,
        call=call,
        given_names="Dara",
        family_name="Referred",
        email=f"dara{next(_numbers)}@example.org",
        language="fr",
        consent=True,
        shares_status=True,
        base_url="http://testserver",
    )
    return {"referral_id": made.referral.pk}


ROWS: list[Row] = [
    Row("partners:referral-link", refer_link, PUBLIC),
    Row("partners:referral-link", refer_link, PUBLIC, post={}),
    Row("partners:referral-link-people", refer_link, PUBLIC),
    Row("partners:referral-list", no_kwargs, REFERRAL_PAGES),
    Row("partners:referral-funnel", no_kwargs, REFERRAL_PAGES),
    Row("partners:referral-create", alpha_partner, ALPHA_REFERRAL),
    Row("partners:referral-create", alpha_partner, ALPHA_REFERRAL, post={}),
    Row("partners:referral-withdraw", alpha_referral, ALPHA_REFERRAL_POST, post={}),
]
