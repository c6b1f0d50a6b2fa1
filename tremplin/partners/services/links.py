"""Private links for partner contacts: made, sent, revoked. Only the hash is kept; the token
is returned once, to be shown or sent."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from tremplin.core.audit import audit_record
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import User
from tremplin.core.tokens import token_hash
from tremplin.partners.models import LinkPurpose, Partner, PartnerContact, PartnerLink

# How long a link for a partner contact lasts unless staff choose otherwise.
DEFAULT_DAYS = 180


@dataclass(frozen=True)
class NewLink:
    link: PartnerLink
    token: str


@transaction.atomic
def partner_link_create(
    *,
    actor: User,
    partner: Partner,
    purpose: LinkPurpose,
    contact: PartnerContact | None = None,
    days: int = DEFAULT_DAYS,
) -> NewLink:
    if contact is not None and contact.partner_id != partner.pk:
        raise ValueError("The contact is not one of the partner's.")
    token = secrets.token_urlsafe(32)
    link = PartnerLink.objects.create(
        partner=partner,
        contact=contact,
        purpose=purpose,
        token_hash=token_hash(token),
        expires_at=timezone.now() + dt.timedelta(days=days),
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditAction.PARTNER_LINK_CREATED,
        subject=partner,
        changes={"purpose": purpose.value, "link": link.pk, "days": days},
    )
    return NewLink(link=link, token=token)


@transaction.atomic
def partner_link_revoke(*, actor: User, link: PartnerLink) -> PartnerLink:
    link = PartnerLink.objects.select_for_update().get(pk=link.pk)
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            action=AuditAction.PARTNER_LINK_REVOKED,
            subject=link.partner,
            changes={"link": link.pk},
        )
    return link


def partner_link_touch(*, link: PartnerLink) -> None:
    """When the link was last used (shown to staff beside the link)."""
    PartnerLink.objects.filter(pk=link.pk).update(last_used_at=timezone.now())
