"""Who may use the placement pages. Attempts are for trainers, selection officers and site
managers at the person's site; the organisation's bank, frameworks, settings and calibrations
for who holds one of those roles at any of its sites; network admins may all of it in their
organisation. The other selectors build their filters from these."""

from __future__ import annotations

from django.db.models import QuerySet

from tremplin.core.models import User
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


def organisation_with_id(
    *, user: User, organisation_id: int, roles: frozenset[str] = BANK_READ_ROLES
) -> Organisation | None:
    """One of ``organisations_for`` the user, by its id; None when it is not one of them."""
    return organisations_for(user=user, roles=roles).filter(pk=organisation_id).first()


def organisation_with_slug(
    *, user: User, slug: str, roles: frozenset[str] = BANK_READ_ROLES
) -> Organisation | None:
    """One of ``organisations_for`` the user, by its slug; None when it is not one of them."""
    return organisations_for(user=user, roles=roles).filter(slug=slug).first()


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
