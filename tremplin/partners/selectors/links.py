"""The record a private link opens, for people outside the organisation: 404 for an unknown,
malformed, expired or revoked link (never a hint of which)."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone

from tremplin.core.tokens import token_hash
from tremplin.partners.models import LinkPurpose, PartnerLink

TOKEN_MAX_LENGTH = 128


def partner_link_for_token(*, token: str, purpose: LinkPurpose) -> PartnerLink:
    if not token or len(token) > TOKEN_MAX_LENGTH:
        raise Http404
    link = (
        PartnerLink.objects.select_related("partner", "partner__organisation", "contact")
        .filter(
            token_hash=token_hash(token),
            purpose=purpose,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
            partner__archived_at__isnull=True,
        )
        .first()
    )
    if link is None:
        raise Http404
    return link
