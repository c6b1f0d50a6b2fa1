"""Reads of partners, their sites, contacts and timeline, scoped to the acting user."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from tremplin.core.models import User
from tremplin.partners.models import Partner
from tremplin.partners.selectors.access import partner_filter


def partners_visible(*, user: User) -> QuerySet[Partner]:
    return Partner.objects.filter(partner_filter(user)).select_related("organisation")


def partners_listed(
    *, user: User, query: str = "", kind: str = "", partnership: str = "", archived: bool = False
) -> QuerySet[Partner]:
    partners = partners_visible(user=user).filter(archived_at__isnull=not archived)
    if query:
        partners = partners.filter(
            Q(name__icontains=query) | Q(registration_number__icontains=query)
        )
    if kind:
        partners = partners.filter(kind=kind)
    if partnership:
        # JSON containment is not portable (SQLite): the list is stored as a JSON text, and
        # every value is a slug, so a quoted match is exact.
        partners = partners.filter(partnerships__icontains=f'"{partnership}"')
    return partners.annotate(offer_count=Count("offers", distinct=True))


def partner_get(*, user: User, partner_id: int) -> Partner:
    """The partner, or Partner.DoesNotExist when it is outside the user's scope."""
    return partners_visible(user=user).get(pk=partner_id)
