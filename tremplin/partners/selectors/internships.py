"""Reads of internships and their agreements, the learners and confirmed matches an
internship can be created for, and the organisation's agreement templates and rules, scoped
to the acting user (access.learner_filter for internships; managers for templates and
rules). A record outside the scope raises DoesNotExist (a 404)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from tremplin.core.models import User
from tremplin.network.models import Organisation, Role
from tremplin.network.selectors import scope_for
from tremplin.partners.models import (
    AgreementRule,
    AgreementTemplate,
    Internship,
    Match,
    MatchStatus,
    Partner,
    PartnerContact,
)
from tremplin.partners.selectors.access import PARTNER_ROLES, learner_filter, partner_filter
from tremplin.training.models import Enrolment

INTERNSHIP_RELATED = (
    "enrolment__person",
    "enrolment__cohort__run__site__organisation",
    "enrolment__cohort__run__programme",
    "partner",
    "partner_site",
    "tutor",
    "referent",
    "template",
    "offer",
)


def internships_visible(*, user: User) -> QuerySet[Internship]:
    return Internship.objects.filter(learner_filter(user)).select_related(*INTERNSHIP_RELATED)


def internship_get(*, user: User, internship_id: int) -> Internship:
    return internships_visible(user=user).get(pk=internship_id)


def internships_listed(
    *,
    user: User,
    site_id: int | None = None,
    cohort_id: int | None = None,
    partner_id: int | None = None,
    status: str = "",
) -> QuerySet[Internship]:
    internships = internships_visible(user=user)
    if site_id:
        internships = internships.filter(enrolment__cohort__run__site_id=site_id)
    if cohort_id:
        internships = internships.filter(enrolment__cohort_id=cohort_id)
    if partner_id:
        internships = internships.filter(partner_id=partner_id)
    if status:
        internships = internships.filter(status=status)
    return internships


def learners_for_internships(*, user: User) -> QuerySet[Enrolment]:
    """The learners of the cohorts the user works with (site managers and job coaches of
    their site, the organisation's admins), those in training or graduated."""
    scope = scope_for(user)
    scoped = Q() if scope.superuser else scope.site_filter(PARTNER_ROLES, field="cohort__run__site")
    return (
        Enrolment.objects.filter(scoped)
        .filter(status__in=[Enrolment.Status.ACTIVE, Enrolment.Status.GRADUATED])
        .select_related("person", "cohort__run__site")
        .order_by("cohort__title", "person__legal_family_name", "person__legal_given_names", "pk")
    )


def learner_get(*, user: User, enrolment_id: int) -> Enrolment:
    return learners_for_internships(user=user).get(pk=enrolment_id)


def matches_waiting(*, user: User) -> QuerySet[Match]:
    """Confirmed matches that have no internship yet."""
    return (
        Match.objects.filter(learner_filter(user), status=MatchStatus.CONFIRMED)
        .filter(internship__isnull=True)
        .select_related("enrolment__person", "enrolment__cohort", "offer__partner")
        .order_by("offer__partner__name", "pk")
    )


def match_confirmed_get(*, user: User, match_id: int) -> Match:
    return (
        Match.objects.filter(learner_filter(user), status=MatchStatus.CONFIRMED)
        .select_related(
            "enrolment__person",
            "enrolment__cohort__run__site",
            "offer__partner",
            "offer__partner_site",
            "offer__contact",
        )
        .get(pk=match_id)
    )


def partners_for_internships(*, user: User) -> QuerySet[Partner]:
    return Partner.objects.filter(partner_filter(user), archived_at__isnull=True).order_by(
        "name", "pk"
    )


def tutors_for_internships(*, user: User) -> QuerySet[PartnerContact]:
    return (
        PartnerContact.objects.filter(partner_filter(user, field="partner"))
        .filter(archived_at__isnull=True)
        .select_related("partner")
        .order_by("partner__name", "name", "pk")
    )


# --- templates and rules: the organisation's managers ----------------------------------------


def managed_organisation_ids(user: User) -> set[int]:
    """Organisations whose agreement templates and rules the user edits: those they
    administer, or where they manage a site."""
    scope = scope_for(user)
    return scope.admin_organisation_ids() | {
        o for r, o, _s in scope.site_roles if r == Role.SITE_MANAGER
    }


def can_manage_agreements(user: User) -> bool:
    return scope_for(user).superuser or bool(managed_organisation_ids(user))


def organisations_managed(*, user: User) -> QuerySet[Organisation]:
    if scope_for(user).superuser:
        return Organisation.objects.order_by("name", "pk")
    return Organisation.objects.filter(pk__in=managed_organisation_ids(user)).order_by("name")


def templates_visible(*, user: User) -> QuerySet[AgreementTemplate]:
    return AgreementTemplate.objects.filter(
        organisation__in=organisations_managed(user=user)
    ).select_related("organisation")


def template_get(*, user: User, template_id: int) -> AgreementTemplate:
    return templates_visible(user=user).get(pk=template_id)


def rules_visible(*, user: User) -> QuerySet[AgreementRule]:
    return AgreementRule.objects.filter(
        organisation__in=organisations_managed(user=user)
    ).select_related("organisation")


def rule_get(*, user: User, rule_id: int) -> AgreementRule:
    return rules_visible(user=user).get(pk=rule_id)
