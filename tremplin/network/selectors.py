"""Reads for the network, and the one place where a user's scope is worked out.

Every other app asks here which organisations and sites a user may see for a purpose;
views never filter on their own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.urls import reverse

from tremplin.core.models import User
from tremplin.network.models import (
    MFA_ROLES,
    SENSITIVE_ROLES,
    ApplicantRecording,
    Invitation,
    Organisation,
    Programme,
    ProgrammeRun,
    Role,
    RoleAssignment,
    Site,
)

# Site-level roles that work with people's records.
PEOPLE_ROLES = frozenset({Role.SITE_MANAGER, Role.SELECTION_OFFICER, Role.TRAINER, Role.JOB_COACH})
# Of those, the roles that see every person of their sites. A trainer sees only the learners
# of the cohorts they teach (people.selectors.person_filter, through core.registry's person
# scopes, which training registers): never the site's other people or their phone numbers.
PERSON_WIDE_ROLES = PEOPLE_ROLES - {Role.TRAINER}


@dataclass(frozen=True)
class Scope:
    """What a user holds: organisation-level roles and site-level roles."""

    superuser: bool
    organisation_roles: frozenset[tuple[str, int]]
    site_roles: frozenset[tuple[str, int, int]]
    # The time zone of the user's sites, read in the same query: the first site's (by id)
    # when a user works at sites in several; None with organisation-wide roles only.
    timezone: str | None = None

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(r for r, _o in self.organisation_roles) | frozenset(
            r for r, _o, _s in self.site_roles
        )

    def admin_organisation_ids(self) -> set[int]:
        return {o for r, o in self.organisation_roles if r == Role.NETWORK_ADMIN}

    def funder_organisation_ids(self) -> set[int]:
        return {o for r, o in self.organisation_roles if r == Role.FUNDER_VIEWER}

    def site_ids(self, roles: Iterable[str]) -> set[int]:
        wanted = set(roles)
        return {s for r, _o, s in self.site_roles if r in wanted}

    def site_filter(self, roles: Iterable[str], *, field: str = "site") -> Q:
        """Records at sites where the user holds one of `roles`, or of organisations they
        administer. A superuser sees everything; a user with no matching role, nothing."""
        if self.superuser:
            return Q()
        prefix = f"{field}__" if field else ""
        condition = Q(**{f"{prefix}organisation_id__in": self.admin_organisation_ids()}) | Q(
            **{f"{field}_id__in" if field else "id__in": self.site_ids(roles)}
        )
        return condition

    @property
    def needs_mfa(self) -> bool:
        return self.superuser or bool(self.roles & MFA_ROLES)

    @property
    def is_staff_member(self) -> bool:
        return self.superuser or bool(self.organisation_roles or self.site_roles)


def scope_for(user: User) -> Scope:
    """The user's roles, read once per request and kept on the user object."""
    cached: Scope | None = getattr(user, "_tremplin_scope", None)
    if cached is not None:
        return cached
    if not user.is_authenticated or not user.is_active:
        scope = Scope(False, frozenset(), frozenset())
    else:
        rows = list(
            RoleAssignment.objects.filter(user=user)
            .order_by("site_id")
            .values_list("role", "organisation_id", "site_id", "site__timezone")
        )
        organisation_roles = frozenset((r, o) for r, o, s, _z in rows if s is None)
        site_roles = frozenset((r, o, s) for r, o, s, _z in rows if s is not None)
        zones = [z for _r, _o, s, z in rows if s is not None and z]
        scope = Scope(
            user.is_superuser, organisation_roles, site_roles, zones[0] if zones else None
        )
    user._tremplin_scope = scope  # type: ignore[attr-defined]
    return scope


def forget_scope(user: User) -> None:
    if hasattr(user, "_tremplin_scope"):
        del user._tremplin_scope


# --- What a user may do -------------------------------------------------------------------


def can_use_people(user: User) -> bool:
    scope = scope_for(user)
    return scope.superuser or bool(scope.admin_organisation_ids() or scope.site_ids(PEOPLE_ROLES))


def can_manage_staff(user: User) -> bool:
    scope = scope_for(user)
    return (
        scope.superuser
        or bool(scope.admin_organisation_ids())
        or bool(scope.site_ids({Role.SITE_MANAGER}))
    )


def can_see_aggregates(user: User) -> bool:
    scope = scope_for(user)
    return scope.superuser or bool(
        scope.admin_organisation_ids() or scope.funder_organisation_ids()
    )


def is_network_admin(user: User, organisation_id: int) -> bool:
    scope = scope_for(user)
    return scope.superuser or organisation_id in scope.admin_organisation_ids()


def people_site_filter(user: User, *, field: str = "site") -> Q:
    """Records at the sites where the user sees every person (a trainer's sites are not among
    them: see people.selectors.person_filter)."""
    return scope_for(user).site_filter(PERSON_WIDE_ROLES, field=field)


def can_see_site_people(user: User) -> bool:
    """Sees every person of some site (the information sessions and their registrations)."""
    scope = scope_for(user)
    return scope.superuser or bool(
        scope.admin_organisation_ids() or scope.site_ids(PERSON_WIDE_ROLES)
    )


def trainer_site_ids(user: User) -> set[int]:
    """Sites where the user trains and sees only their own learners: those where they hold
    the trainer role and no role that sees every person (nor administer the organisation)."""
    scope = scope_for(user)
    if scope.superuser:
        return set()
    admin = scope.admin_organisation_ids()
    wide = scope.site_ids(PERSON_WIDE_ROLES)
    return {
        s for r, o, s in scope.site_roles if r == Role.TRAINER and s not in wide and o not in admin
    }


def sensitive_site_filter(user: User, *, field: str = "site") -> Q:
    return scope_for(user).site_filter(SENSITIVE_ROLES, field=field)


def can_see_sensitive_at(user: User, site: Site) -> bool:
    scope = scope_for(user)
    if scope.superuser or site.organisation_id in scope.admin_organisation_ids():
        return True
    return site.pk in scope.site_ids(SENSITIVE_ROLES)


def can_manage_site(user: User, site: Site) -> bool:
    scope = scope_for(user)
    if scope.superuser or site.organisation_id in scope.admin_organisation_ids():
        return True
    return site.pk in scope.site_ids({Role.SITE_MANAGER})


def staff_language(
    *, email: str, site: Site | None, organisation_id: int, fallback: str = ""
) -> str:
    """The language to write to a member of staff in: their own (an account with this
    address and a preferred language), else the site's, else the one most of the
    organisation's sites use, else `fallback` (the sender's), else the project's."""
    codes = {code for code, _name in settings.LANGUAGES}
    own = (
        User.objects.filter(email__iexact=email.strip())
        .exclude(preferred_language="")
        .values_list("preferred_language", flat=True)
        .first()
    )
    site_language: str | None
    if site is not None:
        site_language = site.default_language
    else:
        site_language = (
            Site.objects.filter(organisation_id=organisation_id)
            .values("default_language")
            .annotate(sites=Count("id"))
            .order_by("-sites", "default_language")
            .values_list("default_language", flat=True)
            .first()
        )
    for candidate in (own, site_language, fallback):
        if candidate in codes:
            return str(candidate)
    return str(settings.LANGUAGE_CODE)


# --- Lists and details, scoped ------------------------------------------------------------


def organisations_visible(*, user: User) -> QuerySet[Organisation]:
    scope = scope_for(user)
    queryset = Organisation.objects.all()
    if not scope.superuser:
        organisation_ids = {o for _r, o in scope.organisation_roles} | {
            o for _r, o, _s in scope.site_roles
        }
        queryset = queryset.filter(id__in=organisation_ids)
    return queryset.annotate(
        site_count=Count("sites", distinct=True), programme_count=Count("programmes", distinct=True)
    )


def organisation_get(*, user: User, slug: str) -> Organisation:
    try:
        return organisations_visible(user=user).get(slug=slug)
    except Organisation.DoesNotExist as exc:
        raise Http404 from exc


def sites_visible(*, user: User) -> QuerySet[Site]:
    scope = scope_for(user)
    queryset = Site.objects.select_related("organisation", "region")
    if scope.superuser:
        return queryset
    organisation_ids = scope.admin_organisation_ids() | scope.funder_organisation_ids()
    site_ids = {s for _r, _o, s in scope.site_roles}
    return queryset.filter(Q(organisation_id__in=organisation_ids) | Q(id__in=site_ids))


def site_get(*, user: User, site_id: int) -> Site:
    try:
        return sites_visible(user=user).get(pk=site_id)
    except Site.DoesNotExist as exc:
        raise Http404 from exc


def sites_managed(*, user: User) -> QuerySet[Site]:
    """Sites whose staff the user may manage."""
    return Site.objects.select_related("organisation").filter(
        scope_for(user).site_filter({Role.SITE_MANAGER}, field="")
    )


def programmes_visible(*, user: User) -> QuerySet[Programme]:
    organisation_ids = organisations_visible(user=user).values("id")
    return (
        Programme.objects.select_related("organisation")
        .filter(organisation_id__in=organisation_ids)
        .annotate(run_count=Count("runs"))
    )


def programme_get(*, user: User, programme_id: int) -> Programme:
    try:
        return programmes_visible(user=user).get(pk=programme_id)
    except Programme.DoesNotExist as exc:
        raise Http404 from exc


def runs_visible(*, user: User) -> QuerySet[ProgrammeRun]:
    site_ids = sites_visible(user=user).values("id")
    return ProgrammeRun.objects.select_related(
        "programme", "site", "site__organisation", "replicated_from"
    ).filter(site_id__in=site_ids)


def run_get(*, user: User, run_id: int) -> ProgrammeRun:
    try:
        return runs_visible(user=user).get(pk=run_id)
    except ProgrammeRun.DoesNotExist as exc:
        raise Http404 from exc


def replication_targets(*, user: User, run: ProgrammeRun) -> QuerySet[Site]:
    """Sites of the run's organisation where the user may set up a run."""
    return (
        sites_managed(user=user)
        .filter(organisation_id=run.site.organisation_id)
        .exclude(pk=run.site_id)
    )


def staff_visible(*, user: User) -> QuerySet[RoleAssignment]:
    """Role assignments the user may see and manage."""
    scope = scope_for(user)
    queryset = RoleAssignment.objects.select_related("user", "organisation", "site")
    if scope.superuser:
        return queryset
    admin_orgs = scope.admin_organisation_ids()
    managed_sites = scope.site_ids({Role.SITE_MANAGER})
    return queryset.filter(Q(organisation_id__in=admin_orgs) | Q(site_id__in=managed_sites))


def role_assignment_get(*, user: User, assignment_id: int) -> RoleAssignment:
    try:
        return staff_visible(user=user).get(pk=assignment_id)
    except RoleAssignment.DoesNotExist as exc:
        raise Http404 from exc


def invitations_pending(*, user: User) -> QuerySet[Invitation]:
    scope = scope_for(user)
    queryset = Invitation.objects.select_related("organisation", "site", "invited_by").filter(
        accepted_at__isnull=True
    )
    if scope.superuser:
        return queryset
    return queryset.filter(
        Q(organisation_id__in=scope.admin_organisation_ids())
        | Q(site_id__in=scope.site_ids({Role.SITE_MANAGER}))
    )


def roles_user_may_grant(*, user: User) -> list[Role]:
    scope = scope_for(user)
    if scope.superuser or scope.admin_organisation_ids():
        return list(Role)
    if scope.site_ids({Role.SITE_MANAGER}):
        return [r for r in Role if r not in {Role.NETWORK_ADMIN, Role.FUNDER_VIEWER}]
    return []


def organisations_administered(*, user: User) -> QuerySet[Organisation]:
    """Organisations whose sites and programmes the user may create and edit."""
    scope = scope_for(user)
    if scope.superuser:
        return Organisation.objects.all()
    return Organisation.objects.filter(id__in=scope.admin_organisation_ids())


def can_administer_an_organisation(user: User) -> bool:
    scope = scope_for(user)
    return scope.superuser or bool(scope.admin_organisation_ids())


def sites_for_people_records(*, user: User) -> QuerySet[Site]:
    """Sites where the user creates and edits people's records (and runs their sessions)."""
    return Site.objects.filter(sensitive_site_filter(user, field="")).select_related("organisation")


def applicant_recording_url(*, organisation: Organisation, page: str, language: str) -> str:
    """The organisation's recording of a public page in ``language`` (read aloud instead of
    the phone's own voice), or "" when it has none. Public: applicants are not signed in."""
    recording = (
        ApplicantRecording.objects.filter(organisation=organisation, page=page, language=language)
        .only("pk")
        .first()
    )
    if recording is None:
        return ""
    return reverse("network:applicant-recording", kwargs={"recording_id": recording.pk})


def applicant_recordings_administered(*, user: User) -> QuerySet[ApplicantRecording]:
    return ApplicantRecording.objects.filter(
        organisation__in=organisations_administered(user=user)
    ).select_related("organisation")
