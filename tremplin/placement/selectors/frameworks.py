"""Reads of the competency frameworks: the shipped ones and those of the user's organisations
(another organisation's framework is not found), their areas, competences and crosswalk links,
and a framework's competences in the columns of its CSV file."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.http import Http404

from tremplin.core.models import User
from tremplin.placement.bank import digcomp
from tremplin.placement.models import Area, Competence, CrosswalkLink, Framework
from tremplin.placement.selectors.access import (
    BANK_READ_ROLES,
    MANAGE_ROLES,
    may_in,
    organisation_ids_for,
)


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


def digcomp_competence(*, code: str) -> Competence | None:
    """The DigComp 2.2 competence with this code; None when there is none."""
    return digcomp().competences.filter(code=code).first()


def framework_areas(*, framework: Framework) -> list[Area]:
    """The framework's areas with their competences, in order."""
    return list(
        Area.objects.filter(framework=framework)
        .order_by("position")
        .prefetch_related(Prefetch("competences", queryset=Competence.objects.order_by("position")))
    )


@dataclass(frozen=True)
class CrosswalkLinks:
    outgoing: dict[int, list[CrosswalkLink]]  # by competence of the framework
    incoming: dict[int, list[CrosswalkLink]]  # by competence, from the frameworks the user sees


def crosswalk_links(*, user: User, framework: Framework) -> CrosswalkLinks:
    """The framework's links to the framework it maps to, and those into it from the
    frameworks the user may see (two queries)."""
    links_out: dict[int, list[CrosswalkLink]] = {}
    for link in (
        CrosswalkLink.objects.filter(source__framework=framework)
        .select_related("target__framework")
        .order_by("target__position")
    ):
        links_out.setdefault(link.source_id, []).append(link)
    links_in: dict[int, list[CrosswalkLink]] = {}
    visible = frameworks_visible(user=user).values("pk")
    for link in (
        CrosswalkLink.objects.filter(target__framework=framework, source__framework__in=visible)
        .select_related("source__framework")
        .order_by(
            "source__framework__organisation_id", "source__framework__code", "source__position"
        )
    ):
        links_in.setdefault(link.target_id, []).append(link)
    return CrosswalkLinks(outgoing=links_out, incoming=links_in)


def framework_rows(framework: Framework) -> list[dict[str, str]]:
    """A framework's competences in the CSV columns (for the form and the export)."""
    links: dict[int, list[str]] = {}
    for source_id, target_code in CrosswalkLink.objects.filter(
        source__framework=framework
    ).values_list("source_id", "target__code"):
        links.setdefault(source_id, []).append(target_code)
    rows = []
    for competence in framework.competences.select_related("area").order_by(
        "area__position", "position"
    ):
        area_name = competence.area.name or {}
        name = competence.name or {}
        description = competence.description or {}
        rows.append(
            {
                "area_code": competence.area.code,
                "area_name_fr": area_name.get("fr", ""),
                "area_name_en": area_name.get("en", ""),
                "area_name_ar": area_name.get("ar", ""),
                "competence_code": competence.code,
                "competence_name_fr": name.get("fr", ""),
                "competence_name_en": name.get("en", ""),
                "competence_name_ar": name.get("ar", ""),
                "competence_description_fr": description.get("fr", ""),
                "competence_description_en": description.get("en", ""),
                "competence_description_ar": description.get("ar", ""),
                "maps_to": "|".join(sorted(links.get(competence.pk, []))),
            }
        )
    return rows
