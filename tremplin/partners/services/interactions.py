"""Writes of a partner's timeline: meetings, calls, e-mails, visits, agreements signed,
donations pledged and received. Only donations carry an amount, always with its currency
(ISO 4217); only managers record or see amounts (docs/decisions/0033)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tremplin.core.audit import audit_record
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import User
from tremplin.network.models import Site
from tremplin.partners.iso_codes import is_currency
from tremplin.partners.models import (
    DONATION_KINDS,
    Interaction,
    InteractionKind,
    Partner,
    PartnerContact,
)
from tremplin.partners.selectors.access import sees_amounts
from tremplin.partners.services.partners import check_scope

# The largest amount the column holds (12 digits, 2 decimals).
MAX_AMOUNT = Decimal("9999999999.99")


@dataclass(frozen=True)
class InteractionDetails:
    kind: str
    happened_on: dt.date
    summary: str = ""
    contact: PartnerContact | None = None
    site: Site | None = None
    amount: Decimal | None = None
    currency: str = ""


def _check(actor: User, partner: Partner, details: InteractionDetails) -> None:
    errors: dict[str, list[str]] = {}

    def refuse(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if details.kind not in InteractionKind.values:
        refuse("kind", _("Choose what happened."))
    if details.contact is not None and details.contact.partner_id != partner.pk:
        refuse("contact", _("Choose one of the partner's contacts."))
    if details.site is not None and details.site.organisation_id != partner.organisation_id:
        refuse("site", _("Choose one of the organisation's sites."))
    if details.amount is not None:
        if not sees_amounts(actor, organisation_id=partner.organisation_id):
            raise PermissionDenied
        if details.kind not in DONATION_KINDS:
            refuse("amount", _("Only a donation, pledged or received, has an amount."))
        elif not 0 <= details.amount <= MAX_AMOUNT:
            refuse("amount", _("Give an amount between 0 and 9,999,999,999.99."))
        if not details.currency:
            refuse("currency", _("Give the currency of the amount."))
    if details.currency:
        if not is_currency(details.currency):
            refuse("currency", _("Choose a currency from the list."))
        elif details.amount is None:
            refuse("amount", _("Give the amount, or leave the currency empty."))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def interaction_record(
    *, actor: User, partner: Partner, details: InteractionDetails
) -> Interaction:
    check_scope(actor, partner.organisation_id)
    _check(actor, partner, details)
    interaction = Interaction.objects.create(
        partner=partner,
        kind=details.kind,
        happened_on=details.happened_on,
        summary=details.summary.strip(),
        contact=details.contact,
        site=details.site,
        amount=details.amount,
        currency=details.currency if details.amount is not None else "",
        recorded_by=actor,
    )
    # The amount stays out of the history: the history is not only read by managers.
    audit_record(
        actor=actor,
        action=AuditAction.INTERACTION_RECORDED,
        subject=partner,
        changes={
            "interaction": {"from": None, "to": interaction.pk},
            "kind": {"from": None, "to": interaction.kind},
            "happened_on": {"from": None, "to": interaction.happened_on.isoformat()},
            "with_amount": {"from": None, "to": interaction.amount is not None},
        },
    )
    return interaction


@transaction.atomic
def interaction_remove(*, actor: User, interaction: Interaction) -> None:
    """An entry made by mistake leaves the timeline. One with an amount: managers only."""
    partner = interaction.partner
    check_scope(actor, partner.organisation_id)
    if interaction.amount is not None and not sees_amounts(
        actor, organisation_id=partner.organisation_id
    ):
        raise PermissionDenied
    changes = {
        "interaction": {"from": interaction.pk, "to": None},
        "kind": {"from": interaction.kind, "to": None},
        "happened_on": {"from": interaction.happened_on.isoformat(), "to": None},
    }
    interaction.delete()
    audit_record(
        actor=actor, action=AuditAction.INTERACTION_REMOVED, subject=partner, changes=changes
    )
