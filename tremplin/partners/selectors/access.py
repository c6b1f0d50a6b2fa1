"""Who may do what with partners: the one place partners' pages and services ask.

- Partners belong to the organisation and are shared by its sites (DESIGN: "partners are
  shared by the sites of an organisation"). Its network admins, and the site managers and
  job coaches of any of its sites, see them, their contacts and their timeline, and manage
  them. Only managers (network admins, site managers) see the amounts of donations.
- Offers belong to a partner, so the same people see them.
- Internships, matches and a learner's wishes follow the learner's cohort: the site
  managers and job coaches of its site (and the organisation's admins).
- Selection officers see the referrals to their site's calls (and the funnel by referral
  partner), never the partners' timeline.
- Trainers, interviewers, field investigators and funder viewers see none of it. People
  outside the organisation (partner contacts, company tutors) come through private links
  (selectors.links), never through these pages.
"""

from __future__ import annotations

from django.db.models import Q

from tremplin.core.models import User
from tremplin.network.models import Role, Site
from tremplin.network.selectors import scope_for

# Site roles that work with partners, offers and internships.
PARTNER_ROLES = frozenset({Role.SITE_MANAGER, Role.JOB_COACH})
# Site roles that see the amounts of donations and funding.
AMOUNT_ROLES = frozenset({Role.SITE_MANAGER})
# Site roles that see referrals to their site's calls.
REFERRAL_ROLES = PARTNER_ROLES | {Role.SELECTION_OFFICER}


def _organisation_ids(user: User, roles: frozenset[Role]) -> set[int]:
    scope = scope_for(user)
    return scope.admin_organisation_ids() | {o for r, o, _s in scope.site_roles if r in roles}


def can_use_partners(user: User) -> bool:
    scope = scope_for(user)
    return scope.superuser or bool(_organisation_ids(user, PARTNER_ROLES))


def can_use_referrals(user: User) -> bool:
    scope = scope_for(user)
    return scope.superuser or bool(_organisation_ids(user, REFERRAL_ROLES))


def partner_filter(user: User, *, field: str = "") -> Q:
    """Partners the user may see: `field` is the path to the partner ("" for Partner itself,
    "partner" for Offer, Interaction, Internship…)."""
    scope = scope_for(user)
    if scope.superuser:
        return Q()
    prefix = f"{field}__" if field else ""
    return Q(**{f"{prefix}organisation_id__in": _organisation_ids(user, PARTNER_ROLES)})


def sees_amounts(user: User, *, organisation_id: int) -> bool:
    """Donations' and funding amounts: managers only."""
    scope = scope_for(user)
    return scope.superuser or organisation_id in _organisation_ids(user, AMOUNT_ROLES)


def learner_filter(user: User, *, field: str = "enrolment") -> Q:
    """Internships, matches and wishes the user may see, by the learner's cohort's site:
    `field` is the path to the enrolment."""
    scope = scope_for(user)
    if scope.superuser:
        return Q()
    return scope.site_filter(PARTNER_ROLES, field=f"{field}__cohort__run__site")


def works_with_learners_at(user: User, site: Site) -> bool:
    """Site managers and job coaches of the site, and its organisation's admins."""
    scope = scope_for(user)
    return (
        scope.superuser
        or site.organisation_id in scope.admin_organisation_ids()
        or site.pk in scope.site_ids(PARTNER_ROLES)
    )


def referral_filter(user: User, *, field: str = "call") -> Q:
    """Referrals the user may see, by the site of the call they are for."""
    scope = scope_for(user)
    if scope.superuser:
        return Q()
    return scope.site_filter(REFERRAL_ROLES, field=f"{field}__site")


# --- partner organisations (orgs) --------------------------------------------------------


def manages_partners(user: User, *, organisation_id: int) -> bool:
    """Merging two partners: managers only (network admins, site managers)."""
    return sees_amounts(user, organisation_id=organisation_id)


def partner_organisation_ids(user: User) -> set[int] | None:
    """The organisations whose partners the user works with; None for a superuser (all)."""
    if scope_for(user).superuser:
        return None
    return _organisation_ids(user, PARTNER_ROLES)
