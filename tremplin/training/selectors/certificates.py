"""Reads for certification sessions and certificates, scoped through access.py (a record
out of scope: 404). The public verification reads take no user."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from tremplin.core.models import User
from tremplin.network.models import Organisation, Site
from tremplin.training.models import (
    Certificate,
    CertificationResult,
    CertificationSession,
    Cohort,
    Enrolment,
)
from tremplin.training.selectors.access import cohort_filter, cohorts_visible


def certification_sessions_visible(
    *, user: User, cohort: Cohort | None = None, site: Site | None = None
) -> QuerySet[CertificationSession]:
    """Sessions of the cohorts the user sees (a trainer: those of their cohorts)."""
    visible = cohorts_visible(user=user)
    if cohort is not None:
        visible = visible.filter(pk=cohort.pk)
    if site is not None:
        visible = visible.filter(run__site=site)
    ids = CertificationSession.objects.filter(cohorts__in=visible.values("pk")).values("pk")
    return (
        CertificationSession.objects.filter(pk__in=ids)
        .select_related("site", "framework")
        .prefetch_related(Prefetch("cohorts", queryset=Cohort.objects.order_by("title")))
        .order_by("-held_on", "-pk")
    )


def certification_session_get(*, user: User, session_id: int) -> CertificationSession:
    session = certification_sessions_visible(user=user).filter(pk=session_id).first()
    if session is None:
        raise Http404
    return session


def certification_grid(
    *, user: User, session: CertificationSession
) -> list[tuple[Enrolment, CertificationResult | None]]:
    """The session's learners the user sees (transferred ones left out), each with their
    result. A fixed number of queries whatever the number of learners."""
    enrolments = (
        Enrolment.objects.filter(cohort__in=session.cohorts.all())
        .filter(cohort_filter(user, field="cohort"))
        .exclude(status=Enrolment.Status.TRANSFERRED)
        .select_related("person", "cohort")
        .distinct()
        .order_by("person__legal_family_name", "person__legal_given_names", "pk")
    )
    results = {r.enrolment_id: r for r in session.results.all()}
    return [(enrolment, results.get(enrolment.pk)) for enrolment in enrolments]


def cohort_get(*, user: User, cohort_id: int) -> Cohort:
    cohort = cohorts_visible(user=user).filter(pk=cohort_id).first()
    if cohort is None:
        raise Http404
    return cohort


def cohort_learners(*, cohort: Cohort) -> list[tuple[Enrolment, Certificate | None]]:
    """The cohort's learners with their valid certificate, if any."""
    enrolments = cohort.enrolments.select_related("person", "application").order_by(
        "person__legal_family_name", "person__legal_given_names", "pk"
    )
    valid = {
        c.enrolment_id: c
        for c in Certificate.objects.filter(enrolment__cohort=cohort, revoked_at=None)
    }
    return [(enrolment, valid.get(enrolment.pk)) for enrolment in enrolments]


def cohort_certificates(*, cohort: Cohort) -> QuerySet[Certificate]:
    return Certificate.objects.filter(enrolment__cohort=cohort).select_related("enrolment__person")


def certificate_get(*, user: User, certificate_id: int) -> Certificate:
    certificate = (
        Certificate.objects.filter(cohort_filter(user, field="enrolment__cohort"))
        .filter(pk=certificate_id)
        .select_related(
            "organisation",
            "revoked_by",
            "issued_by",
            "enrolment__person",
            "enrolment__cohort__run__site",
            "enrolment__cohort__run__programme",
        )
        .first()
    )
    if certificate is None:
        raise Http404
    return certificate


def public_certificate(*, public_id: str) -> Certificate:
    """The certificate a verification link names (anyone may read it): 404 when unknown."""
    if not public_id.isascii() or len(public_id) > 32:
        raise Http404
    certificate = (
        Certificate.objects.filter(public_id=public_id)
        .select_related(
            "organisation",
            "enrolment__cohort__run__site__organisation",
            "enrolment__cohort__run__programme",
        )
        .first()
    )
    if certificate is None:
        raise Http404
    return certificate


def public_organisation(*, slug: str) -> Organisation:
    """An organisation that issued certificates (its public issuer documents), else 404."""
    organisation = Organisation.objects.filter(slug=slug, issuer_keys__isnull=False).first()
    if organisation is None:
        raise Http404
    return organisation


def person_certificates(
    *, user: User, person_id: int
) -> tuple[list[Certificate], list[CertificationResult]]:
    """A learner's certificates and certification results, in the cohorts the user sees
    (the person page's section)."""
    visible = cohort_filter(user, field="enrolment__cohort")
    certificates = list(
        Certificate.objects.filter(visible, enrolment__person_id=person_id)
        .distinct()
        .order_by("-issued_on", "-pk")[:20]
    )
    results = list(
        CertificationResult.objects.filter(visible, enrolment__person_id=person_id)
        .select_related("session")
        .distinct()
        .order_by("-session__held_on", "-pk")[:20]
    )
    return certificates, results
