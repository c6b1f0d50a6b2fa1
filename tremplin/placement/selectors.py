"""Reads for the placement test, scoped to the acting user: trainers, selection officers and
site managers at the person's site, and the organisation's network admins."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from tremplin.core.models import User
from tremplin.core.tokens import token_hash
from tremplin.network.models import Organisation, Role
from tremplin.network.selectors import scope_for
from tremplin.placement.models import Attempt

PLACEMENT_ROLES = frozenset({Role.TRAINER, Role.SELECTION_OFFICER, Role.SITE_MANAGER})
REVIEW_ROLES = frozenset({Role.TRAINER, Role.SITE_MANAGER})
# The item bank, frameworks, settings and calibration belong to the organisation. Who holds one
# of these roles at any of its sites (or administers it) may, for that organisation:
BANK_READ_ROLES = PLACEMENT_ROLES  # see the bank, frameworks, settings and calibrations
AUTHOR_ROLES = frozenset({Role.TRAINER, Role.SITE_MANAGER})  # write and import draft items
MANAGE_ROLES = frozenset({Role.SITE_MANAGER})  # publish items, frameworks, settings, calibrate


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


# --- The organisation's bank, frameworks and settings ------------------------------------------


def organisation_ids_for(user: User, roles: frozenset[str]) -> set[int] | None:
    """Organisations where the user holds one of ``roles`` at a site, or that they administer;
    None for a superuser (every organisation)."""
    scope = scope_for(user)
    if scope.superuser:
        return None
    wanted = set(roles)
    return scope.admin_organisation_ids() | {o for r, o, _s in scope.site_roles if r in wanted}


def organisations_for(
    *, user: User, roles: frozenset[str] = BANK_READ_ROLES
) -> QuerySet[Organisation]:
    ids = organisation_ids_for(user, roles)
    organisations = Organisation.objects.order_by("name")
    return organisations if ids is None else organisations.filter(pk__in=ids)


def can_read_bank(user: User) -> bool:
    ids = organisation_ids_for(user, BANK_READ_ROLES)
    return ids is None or bool(ids)


def can_author(user: User) -> bool:
    ids = organisation_ids_for(user, AUTHOR_ROLES)
    return ids is None or bool(ids)


def can_manage_bank(user: User) -> bool:
    ids = organisation_ids_for(user, MANAGE_ROLES)
    return ids is None or bool(ids)


def may_in(user: User, organisation_id: int, roles: frozenset[str]) -> bool:
    ids = organisation_ids_for(user, roles)
    return ids is None or organisation_id in ids


def level_group(*, person_id: int, programme_id: int) -> str:
    """The level group a learner starts the programme's training in: the result of their
    latest finished test for that programme, as a trainer confirmed or changed it; "" when they
    have none. (Read by training when it forms the groups of a cohort.)"""
    attempt = (
        Attempt.objects.filter(
            person_id=person_id, programme_id=programme_id, state=Attempt.State.FINISHED
        )
        .order_by("-finished_at", "-pk")
        .only("band", "reviewed_band")
        .first()
    )
    return attempt.final_band if attempt is not None else ""
