"""Reads of the programmes' placement test settings and of the competences they aim at, for
who may read the organisation's bank (another organisation's programme is not found)."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q, QuerySet
from django.http import Http404

from tremplin.core.models import User
from tremplin.network.models import Programme
from tremplin.placement import bank
from tremplin.placement.models import Competence, Framework, PlacementSetup, ProgrammeTarget
from tremplin.placement.selectors.access import (
    BANK_READ_ROLES,
    MANAGE_ROLES,
    may_in,
    organisation_ids_for,
)


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


def bank_programmes_listed(*, user: User) -> QuerySet[Programme]:
    """``bank_programmes_visible`` with their settings and their number of targets."""
    return (
        bank_programmes_visible(user=user)
        .select_related("placement_setup")
        .annotate(target_count=Count("competence_targets"))
    )


def setup_of(programme: Programme) -> PlacementSetup:
    return PlacementSetup.objects.filter(programme=programme).first() or PlacementSetup(
        programme=programme
    )


def target_frameworks(programme: Programme) -> QuerySet[Framework]:
    """The frameworks a programme's targets are chosen in: DigComp 2.2 and the organisation's
    own frameworks."""
    return Framework.objects.filter(
        Q(organisation__isnull=True, code=bank.DIGCOMP)
        | Q(organisation_id=programme.organisation_id)
    ).order_by(F("organisation_id").asc(nulls_first=True), "code")


def targets_of(programme: Programme) -> QuerySet[ProgrammeTarget]:
    return (
        ProgrammeTarget.objects.filter(programme=programme)
        .select_related("competence__framework", "competence__area")
        .order_by("module", "competence__framework__code", "competence__position")
    )


def target_get(*, programme: Programme, target_id: int) -> ProgrammeTarget:
    """One of the programme's targets (404 otherwise)."""
    target = (
        ProgrammeTarget.objects.select_related("programme", "competence__framework")
        .filter(pk=target_id, programme=programme)
        .first()
    )
    if target is None:
        raise Http404
    return target


def target_competence(*, frameworks: Sequence[Framework], competence_id: int) -> Competence | None:
    """A competence of one of ``frameworks`` (those of ``target_frameworks``)."""
    return (
        Competence.objects.select_related("framework")
        .filter(pk=competence_id, framework__in=frameworks)
        .first()
    )
