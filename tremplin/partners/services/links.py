"""Private links for partner contacts: made, sent, revoked. Only the hash is kept; the token
is returned once, to be shown or sent."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.core.audit import audit_record
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import User
from tremplin.core.tokens import token_hash
from tremplin.messaging.models import Channel, Kind, Message
from tremplin.messaging.services import send_to_applicant
from tremplin.network.models import Site
from tremplin.network.selectors import scope_for
from tremplin.partners.models import LinkPurpose, Partner, PartnerContact, PartnerLink
from tremplin.partners.selectors.access import PARTNER_ROLES

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


# --- sent to the contact (orgs) ------------------------------------------------------------

# Where each kind of link opens, under the partners' URLs (the pages are the referrals' and
# the offers' areas).
LINK_PATHS = {LinkPurpose.REFER: "r/{token}/", LinkPurpose.OFFERS: "p/{token}/offers/"}


def partner_link_url(*, purpose: str, token: str, base_url: str) -> str:
    """The address a private link opens, in full."""
    return (
        base_url.rstrip("/")
        + reverse("partners:home")
        + LINK_PATHS[LinkPurpose(purpose)].format(token=token)
    )


def _sending_site(actor: User, partner: Partner) -> Site:
    """The site the message leaves from: the actor's own site in the organisation if they
    have one, else the organisation's first."""
    sites = Site.objects.filter(organisation_id=partner.organisation_id).order_by("pk")
    own = sites.filter(pk__in=scope_for(actor).site_ids(PARTNER_ROLES)).first()
    site = own or sites.first()
    if site is None:
        raise ValidationError(_("The organisation has no site to send the message from."))
    return site


def partner_link_send(*, actor: User, new: NewLink, base_url: str) -> list[Message]:
    """E-mail a link just made to its contact, in their language, after the commit."""
    link = new.link
    contact = link.contact
    if contact is None or not contact.email:
        raise ValidationError(
            {"send": _("The contact has no e-mail address: copy the link and give it to them.")}
        )
    site = _sending_site(actor, link.partner)
    url = partner_link_url(purpose=link.purpose, token=new.token, base_url=base_url)
    # The Message rows record the sending (the link's creation is audited already).
    return send_to_applicant(
        site=site,
        kind=Kind.PARTNER_LINK,
        template="partners/messages/partner_link",
        context={"link": link, "url": url, "contact": contact, "site": site},
        language=contact.language,
        email=contact.email,
        channels=[Channel.EMAIL],
        about=link,
    )
