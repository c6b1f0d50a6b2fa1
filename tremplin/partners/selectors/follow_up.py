"""Reads for what happens during an internship: the follow-up page (check-ins, the tutor's
evaluations, the learner's self-assessments, incidents, the end), the check-ins due, the
criteria a tutor rates, and the job offers that feed the outcomes follow-up.

Internships follow the learner's cohort (``access.learner_filter``): the site managers and
job coaches of its site, and the organisation's admins. Another site's internship is not
found (404)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tremplin.core.models import User
from tremplin.core.tokens import token_hash
from tremplin.network.models import Programme, Role
from tremplin.network.selectors import scope_for
from tremplin.partners.models import (
    CheckIn,
    CriterionKind,
    EvaluationCriterion,
    Internship,
    InternshipStatus,
    TutorEvaluation,
)
from tremplin.partners.selectors.access import learner_filter
from tremplin.placement.models import Competence, ProgrammeTarget, translated
from tremplin.training.models import Enrolment, ModuleCompetence

# Internships that are on (or were): an agreement signed, whatever happened since.
FOLLOWED = (
    InternshipStatus.SIGNED,
    InternshipStatus.UNDER_WAY,
    InternshipStatus.ENDED,
    InternshipStatus.ENDED_EARLY,
)
RUNNING = (InternshipStatus.SIGNED, InternshipStatus.UNDER_WAY)
ENDED = (InternshipStatus.ENDED, InternshipStatus.ENDED_EARLY)

# The soft skills a tutor rates when the programme set none (docs/partners.md); the tutor
# reads them in their language. applicant-facing: start (docs/languages.md)
DEFAULT_SOFT_SKILLS = (
    ("punctuality", _("Punctuality")),
    ("teamwork", _("Teamwork")),
    ("communication", _("Communication")),
    ("initiative", _("Initiative")),
    ("autonomy", _("Autonomy")),
    ("rules", _("Following safety and company rules")),
)
# applicant-facing: end


def internships_followed(*, user: User) -> QuerySet[Internship]:
    return Internship.objects.filter(learner_filter(user)).select_related(
        "enrolment__person",
        "enrolment__cohort__run__site",
        "enrolment__cohort__run__programme",
        "partner",
        "partner_site",
        "tutor",
        "referent",
    )


def internship_get(*, user: User, internship_id: int) -> Internship:
    internship = internships_followed(user=user).filter(pk=internship_id).first()
    if internship is None:
        raise Http404
    return internship


def check_in_get(*, user: User, check_in_id: int) -> CheckIn:
    check_in = (
        CheckIn.objects.filter(learner_filter(user, field="internship__enrolment"))
        .select_related("internship")
        .filter(pk=check_in_id)
        .first()
    )
    if check_in is None:
        raise Http404
    return check_in


def evaluation_get(*, user: User, evaluation_id: int) -> TutorEvaluation:
    evaluation = (
        TutorEvaluation.objects.filter(learner_filter(user, field="internship__enrolment"))
        .select_related("internship")
        .filter(pk=evaluation_id)
        .first()
    )
    if evaluation is None:
        raise Http404
    return evaluation


def check_ins_due(*, user: User, today: dt.date, mine: bool = False) -> QuerySet[CheckIn]:
    """Check-ins planned on or before today, not yet held, of running internships."""
    due = CheckIn.objects.filter(
        learner_filter(user, field="internship__enrolment"),
        held_on__isnull=True,
        planned_on__lte=today,
        internship__status__in=RUNNING,
    )
    if mine:
        due = due.filter(Q(internship__referent=user) | Q(internship__referent__isnull=True))
    return due.select_related(
        "internship__enrolment__person", "internship__partner", "internship__referent"
    )


# --- criteria ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Criterion:
    """One thing the tutor rates: ``key`` names it in the evaluation's answers."""

    key: str
    kind: str
    label: str


def can_set_criteria(user: User) -> bool:
    """Managers (network admins, site managers) set a programme's criteria."""
    scope = scope_for(user)
    return scope.superuser or bool(
        scope.admin_organisation_ids()
        | {o for r, o, _s in scope.site_roles if r == Role.SITE_MANAGER}
    )


def programme_for_criteria(*, user: User, programme_id: int) -> Programme:
    scope = scope_for(user)
    programmes = Programme.objects.select_related("organisation")
    if not scope.superuser:
        organisations = scope.admin_organisation_ids() | {
            o for r, o, _s in scope.site_roles if r == Role.SITE_MANAGER
        }
        programmes = programmes.filter(organisation_id__in=organisations)
    programme = programmes.filter(pk=programme_id).first()
    if programme is None:
        raise Http404
    return programme


def programme_criteria(programme: Programme) -> list[EvaluationCriterion]:
    return list(
        EvaluationCriterion.objects.filter(programme=programme).select_related("competence")
    )


def programme_competences(programme: Programme) -> list[Competence]:
    """The competences the programme aims at (placement's targets, its modules' targets in
    training), once each, in their frameworks' order."""
    return list(
        Competence.objects.filter(
            Q(pk__in=ProgrammeTarget.objects.filter(programme=programme).values("competence_id"))
            | Q(
                pk__in=ModuleCompetence.objects.filter(module__programme=programme).values(
                    "competence_id"
                )
            )
        ).order_by("framework_id", "position")
    )


def criterion_label(criterion: EvaluationCriterion, language: str | None = None) -> str:
    if criterion.kind == CriterionKind.COMPETENCE and criterion.competence is not None:
        return translated(criterion.label, language) or translated(
            criterion.competence.name, language
        )
    return translated(criterion.label, language)


def criteria_for(programme: Programme, language: str | None = None) -> list[Criterion]:
    """What the tutor rates, in the active language: the programme's competences, then its
    soft skills (the default list when it set none)."""
    language = language or get_language()
    saved = programme_criteria(programme)
    criteria = [
        Criterion(f"c{c.pk}", c.kind, criterion_label(c, language))
        for c in saved
        if c.kind == CriterionKind.COMPETENCE
    ]
    soft = [
        Criterion(f"c{c.pk}", c.kind, criterion_label(c, language))
        for c in saved
        if c.kind == CriterionKind.SOFT_SKILL
    ]
    if not soft:
        soft = [
            Criterion(f"s-{slug}", CriterionKind.SOFT_SKILL, str(label))
            for slug, label in DEFAULT_SOFT_SKILLS
        ]
    return criteria + soft


# --- the follow-up page ----------------------------------------------------------------


@dataclass(frozen=True)
class RatedCriterion:
    label: str
    rating: int


@dataclass(frozen=True)
class EvaluationShown:
    evaluation: TutorEvaluation
    state: str  # "submitted", "open", "expired", "revoked"
    ratings: list[RatedCriterion]


def evaluation_state(evaluation: TutorEvaluation, *, now: dt.datetime) -> str:
    if evaluation.submitted_at is not None:
        return "submitted"
    if evaluation.revoked_at is not None:
        return "revoked"
    if evaluation.expires_at <= now:
        return "expired"
    return "open"


def evaluations_shown(
    internship: Internship, *, now: dt.datetime, criteria: list[Criterion]
) -> list[EvaluationShown]:
    """The evaluations asked of the tutor, newest first, with the ratings in the reader's
    language (the label kept at submission when a criterion was removed since)."""
    labels = {c.key: c.label for c in criteria}
    shown = []
    for evaluation in internship.evaluations.select_related("tutor", "requested_by"):
        answers = evaluation.answers or {}
        kept = answers.get("labels", {})
        ratings = [
            RatedCriterion(labels.get(key) or str(kept.get(key, key)), int(value))
            for key, value in (answers.get("criteria") or {}).items()
        ]
        shown.append(EvaluationShown(evaluation, evaluation_state(evaluation, now=now), ratings))
    return shown


# --- the learner's and the tutor's links -------------------------------------------------


def learner_internship(enrolment: Enrolment) -> Internship | None:
    """The learner's current or last internship (agreement signed), if any."""
    return (
        Internship.objects.filter(enrolment=enrolment, status__in=FOLLOWED)
        .select_related("partner")
        .order_by("-starts_on", "-pk")
        .first()
    )


def evaluation_for_token(*, token: str) -> TutorEvaluation:
    """The evaluation a tutor's link opens, whatever its state (the page says whether it is
    still open); 404 for an unknown or malformed link."""
    if not token or len(token) > 128:
        raise Http404
    evaluation = (
        TutorEvaluation.objects.select_related(
            "internship__enrolment__person",
            "internship__enrolment__cohort__run__programme",
            "internship__enrolment__cohort__run__site__organisation",
            "internship__partner",
        )
        .filter(token_hash=token_hash(token))
        .first()
    )
    if evaluation is None:
        raise Http404
    return evaluation


# --- for the outcomes follow-up ---------------------------------------------------------


@dataclass(frozen=True)
class JobOffer:
    """Whether the company offered the learner a job at the end of an internship (None: not
    known yet)."""

    internship_id: int
    partner: str
    kind: str
    ended_on: dt.date | None
    job_offered: bool | None
    note: str


def internship_job_offers(*, enrolment: Enrolment) -> list[JobOffer]:
    """The learner's ended internships and whether each company offered a job, oldest first.
    Not scoped: the caller has already found the enrolment in the user's scope (the outcomes
    follow-up reads it for a learner it shows)."""
    return [
        JobOffer(i.pk, i.partner.name, i.kind, i.ended_on, i.job_offered, i.job_offer_note)
        for i in Internship.objects.filter(enrolment=enrolment, status__in=ENDED)
        .select_related("partner")
        .order_by("ended_on", "pk")
    ]
