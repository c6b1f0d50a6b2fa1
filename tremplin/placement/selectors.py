"""Reads for the placement test, scoped to the acting user: attempts for trainers, selection
officers and site managers at the person's site; the organisation's bank, frameworks, settings
and calibrations for who holds one of those roles at any of its sites; network admins see
their organisation's; another organisation's record answers 404."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q, QuerySet
from django.http import Http404

from tremplin.core.models import User
from tremplin.core.tokens import token_hash
from tremplin.network.models import Organisation, Programme, Role
from tremplin.network.selectors import scope_for
from tremplin.placement.models import Answer, Attempt, CalibrationRun, Framework, Item

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


# --- The item bank -------------------------------------------------------------------------


def items_visible(*, user: User, roles: frozenset[str] = BANK_READ_ROLES) -> QuerySet[Item]:
    """The questions of the organisations where the user holds one of ``roles``."""
    ids = organisation_ids_for(user, roles)
    items = Item.objects.select_related("competence__area", "organisation")
    return items if ids is None else items.filter(organisation_id__in=ids)


def item_get(*, user: User, item_id: int, roles: frozenset[str] = BANK_READ_ROLES) -> Item:
    item = items_visible(user=user, roles=roles).filter(pk=item_id).first()
    if item is None:
        raise Http404
    return item


@dataclass(frozen=True)
class Usage:
    asked: int
    right: int

    @property
    def share_right(self) -> int | None:
        """Per cent of the answers that were right (None when never asked)."""
        return round(100 * self.right / self.asked) if self.asked else None


def item_usage(*, item: Item) -> Usage:
    """How often the question was asked in a placement test, and how often answered right."""
    counts = Answer.objects.filter(item=item).aggregate(
        asked=Count("pk"), right=Count("pk", filter=Q(right=True))
    )
    return Usage(asked=counts["asked"] or 0, right=counts["right"] or 0)


# --- Frameworks and programmes (the bank's settings) -----------------------------------------


def frameworks_visible(*, user: User) -> QuerySet[Framework]:
    """The shipped frameworks and those of the user's organisations."""
    ids = organisation_ids_for(user, BANK_READ_ROLES)
    frameworks = Framework.objects.select_related("organisation", "maps_to")
    if ids is None:
        return frameworks
    return frameworks.filter(Q(organisation__isnull=True) | Q(organisation_id__in=ids))


def frameworks_listed(*, user: User) -> QuerySet[Framework]:
    """``frameworks_visible`` with their numbers of areas, competences and crosswalk links,
    the shipped ones first (DigComp, then those mapped to it)."""
    return (
        frameworks_visible(user=user)
        .annotate(
            area_count=Count("areas", distinct=True),
            competence_count=Count("competences", distinct=True),
            link_count=Count("competences__links_out", distinct=True),
        )
        .order_by(
            F("organisation_id").asc(nulls_first=True),
            F("maps_to_id").asc(nulls_first=True),
            "organisation__name",
            "code",
        )
    )


def framework_get(*, user: User, framework_id: int) -> Framework:
    framework = frameworks_visible(user=user).filter(pk=framework_id).first()
    if framework is None:
        raise Http404
    return framework


def framework_editable(user: User, framework: Framework) -> bool:
    """Only an organisation's own framework, by who manages that organisation's bank."""
    return framework.organisation_id is not None and may_in(
        user, framework.organisation_id, MANAGE_ROLES
    )


def framework_get_for_edit(*, user: User, framework_id: int) -> Framework:
    """404 outside the user's organisations; 403 for a shipped framework or without the role."""
    framework = framework_get(user=user, framework_id=framework_id)
    if not framework_editable(user, framework):
        raise PermissionDenied
    return framework


def bank_programmes_visible(*, user: User) -> QuerySet[Programme]:
    ids = organisation_ids_for(user, BANK_READ_ROLES)
    programmes = Programme.objects.select_related("organisation")
    return programmes if ids is None else programmes.filter(organisation_id__in=ids)


def bank_programme_get(*, user: User, programme_id: int, manage: bool = False) -> Programme:
    """404 outside the user's organisations; with ``manage``, 403 without the role there."""
    programme = bank_programmes_visible(user=user).filter(pk=programme_id).first()
    if programme is None:
        raise Http404
    if manage and not may_in(user, programme.organisation_id, MANAGE_ROLES):
        raise PermissionDenied
    return programme


# --- Calibration runs ----------------------------------------------------------------------


def calibration_runs_visible(*, user: User) -> QuerySet[CalibrationRun]:
    ids = organisation_ids_for(user, BANK_READ_ROLES)
    runs = CalibrationRun.objects.select_related("organisation", "started_by", "applied_by")
    return runs if ids is None else runs.filter(organisation_id__in=ids)


def calibration_run_get(*, user: User, run_id: int) -> CalibrationRun:
    run = calibration_runs_visible(user=user).filter(pk=run_id).first()
    if run is None:
        raise Http404
    return run
