"""Reads for the placement test, scoped to the acting user: trainers, selection officers and
site managers at the person's site, and the organisation's network admins."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from tremplin.core.models import User
from tremplin.core.tokens import token_hash
from tremplin.network.models import Role
from tremplin.network.selectors import scope_for
from tremplin.placement.models import Attempt

PLACEMENT_ROLES = frozenset({Role.TRAINER, Role.SELECTION_OFFICER, Role.SITE_MANAGER})
REVIEW_ROLES = frozenset({Role.TRAINER, Role.SITE_MANAGER})


def can_use_placement(user: User) -> bool:
    scope = scope_for(user)
    return scope.superuser or bool(
        scope.admin_organisation_ids() or scope.site_ids(PLACEMENT_ROLES)
    )


def attempts_visible(*, user: User) -> QuerySet[Attempt]:
    return Attempt.objects.filter(scope_for(user).site_filter(PLACEMENT_ROLES)).select_related(
        "person", "programme", "site"
    )


def attempt_get(*, user: User, attempt_id: int) -> Attempt:
    attempt = attempts_visible(user=user).filter(pk=attempt_id).first()
    if attempt is None:
        raise Http404
    return attempt


def can_review(user: User, attempt: Attempt) -> bool:
    scope = scope_for(user)
    return (
        scope.superuser
        or attempt.site.organisation_id in scope.admin_organisation_ids()
        or attempt.site_id in scope.site_ids(REVIEW_ROLES)
    )


def can_start_at(user: User, site_id: int, organisation_id: int) -> bool:
    scope = scope_for(user)
    return (
        scope.superuser
        or organisation_id in scope.admin_organisation_ids()
        or site_id in scope.site_ids(PLACEMENT_ROLES)
    )


def attempt_by_token(token: str) -> Attempt:
    """The test-taker's own attempt, reached by their private link (404 otherwise)."""
    attempt = (
        Attempt.objects.select_related("programme", "site", "next_item", "person")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if attempt is None:
        raise Http404
    return attempt
