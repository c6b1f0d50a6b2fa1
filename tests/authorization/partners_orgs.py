"""Matrix rows for partners: orgs — partner organisations, their sites, contacts, timeline,
duplicates (merge) and the private links made for their contacts (see partners.py for who
may do what). Forms posted empty are shown again with their errors (200); actions that did
their work go back to the partner's page (302). Merging is for managers: the job coach is
refused."""

from __future__ import annotations

import datetime as dt
from typing import Any

from conftest import World
from tests.authorization.partners_answers import (
    ALPHA_PARTNER,
    ALPHA_PARTNER_DONE,
    ALPHA_PARTNER_MANAGERS,
    BETA_PARTNER,
    PARTNER_PAGES,
)
from tests.authorization.records import no_kwargs
from tests.authorization.rows import Row
from tremplin.partners.models import Interaction, LinkPurpose, PartnerLink
from tremplin.partners.tests.factories import (
    PartnerContactFactory,
    PartnerFactory,
    PartnerSiteFactory,
)


def partner_alpha(w: World) -> dict[str, Any]:
    return {"partner_id": PartnerFactory(organisation=w.alpha).pk}


def partner_beta(w: World) -> dict[str, Any]:
    return {"partner_id": PartnerFactory(organisation=w.beta).pk}


def site_alpha(w: World) -> dict[str, Any]:
    site = PartnerSiteFactory(partner=PartnerFactory(organisation=w.alpha))
    return {"partner_id": site.partner_id, "site_id": site.pk}


def contact_alpha(w: World) -> dict[str, Any]:
    contact = PartnerContactFactory(partner=PartnerFactory(organisation=w.alpha))
    return {"partner_id": contact.partner_id, "contact_id": contact.pk}


def interaction_alpha(w: World) -> dict[str, Any]:
    partner = PartnerFactory(organisation=w.alpha)
    interaction = Interaction.objects.create(
        partner=partner, kind="meeting", happened_on=dt.date(2026, 3, 2), summary="Kick-off"
    )
    return {"partner_id": partner.pk, "interaction_id": interaction.pk}


def link_alpha(w: World) -> dict[str, Any]:
    from tremplin.partners.services.links import partner_link_create

    contact = PartnerContactFactory(partner=PartnerFactory(organisation=w.alpha))
    link: PartnerLink = partner_link_create(
        actor=w.users["superuser"],
        partner=contact.partner,
        purpose=LinkPurpose.OFFERS,
        contact=contact,
    ).link
    return {"partner_id": link.partner_id, "link_id": link.pk}


# fmt: off
ROWS: list[Row] = [
    Row("partners:partner-create", no_kwargs, PARTNER_PAGES),
    Row("partners:partner-create", no_kwargs, PARTNER_PAGES, post={}),  # form errors
    Row("partners:partner-detail", partner_alpha, ALPHA_PARTNER),
    Row("partners:partner-detail", partner_beta, BETA_PARTNER),
    Row("partners:partner-edit", partner_alpha, ALPHA_PARTNER),
    Row("partners:partner-edit", partner_alpha, ALPHA_PARTNER, post={}),  # form errors
    Row("partners:partner-edit", partner_beta, BETA_PARTNER),
    Row("partners:partner-archive", partner_alpha, ALPHA_PARTNER_DONE, post={}),
    Row("partners:partner-merge", partner_alpha, ALPHA_PARTNER_MANAGERS),
    Row("partners:partner-merge", partner_alpha, ALPHA_PARTNER_MANAGERS, post={}),  # form errors
    Row("partners:partner-timeline-export", partner_alpha, ALPHA_PARTNER),
    Row("partners:partner-timeline-export", partner_beta, BETA_PARTNER),
    Row("partners:interaction-add", partner_alpha, ALPHA_PARTNER, post={}),  # the page, with errors
    Row("partners:interaction-add", partner_alpha, ALPHA_PARTNER_DONE, post={"timeline-kind": "call", "timeline-happened_on": "2026-03-02"}),
    Row("partners:interaction-remove", interaction_alpha, ALPHA_PARTNER_DONE, post={}),
    Row("partners:partner-site-add", partner_alpha, ALPHA_PARTNER),
    Row("partners:partner-site-add", partner_alpha, ALPHA_PARTNER, post={}),  # form errors
    Row("partners:partner-site-edit", site_alpha, ALPHA_PARTNER),
    Row("partners:partner-site-edit", site_alpha, ALPHA_PARTNER_DONE, post={"name": "Cebu office", "country": "PH"}),
    Row("partners:contact-add", partner_alpha, ALPHA_PARTNER),
    Row("partners:contact-add", partner_alpha, ALPHA_PARTNER_DONE, post={"name": "Maria Santos", "language": "en", "is_tutor": "on"}),
    Row("partners:contact-edit", contact_alpha, ALPHA_PARTNER),
    Row("partners:contact-edit", contact_alpha, ALPHA_PARTNER, post={}),  # form errors
    Row("partners:contact-archive", contact_alpha, ALPHA_PARTNER_DONE, post={}),
    Row("partners:partner-link-create", partner_alpha, ALPHA_PARTNER, post={}),  # the page, with errors
    Row("partners:partner-link-revoke", link_alpha, ALPHA_PARTNER_DONE, post={}),
]
# fmt: on
