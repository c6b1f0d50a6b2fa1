"""Reads of referrals: the calls a partner may refer to, what the partner sees of the people
it referred (a status word, never a score, a note or the sensitive section), the staff's list,
and the funnel by referral partner."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tremplin.core.models import User
from tremplin.network.models import ProgrammeRun
from tremplin.network.selectors import scope_for
from tremplin.partners.models import Partner, PartnerLink, Referral
from tremplin.partners.selectors.access import REFERRAL_ROLES, referral_filter
from tremplin.selection.models import Application, Call, Stage
from tremplin.training.models import Enrolment

# Applications that count as "applied": sent, whatever happened next (as in the funnel).
APPLIED = (Application.Status.SUBMITTED, Application.Status.WITHDRAWN)


# applicant-facing: start (the partner contact's link shows these)
class ReferralStatus:
    """What the partner reads about a person it referred, and nothing more."""

    REFERRED = "referred"
    APPLIED = "applied"
    SELECTED = "selected"
    IN_TRAINING = "in_training"
    FINISHED = "finished"
    LEFT = "left"
    WITHDRAWN = "withdrawn"
    NOT_SHARED = "not_shared"

    LABELS = {
        REFERRED: pgettext_lazy("referral status", "Referred (application not sent yet)"),
        APPLIED: pgettext_lazy("referral status", "Applied"),
        SELECTED: pgettext_lazy("referral status", "Selected"),
        IN_TRAINING: pgettext_lazy("referral status", "In training"),
        FINISHED: pgettext_lazy("referral status", "Finished the training"),
        LEFT: pgettext_lazy("referral status", "Left the training"),
        WITHDRAWN: pgettext_lazy("referral status", "The person asked to stop the referral"),
        NOT_SHARED: _("The person did not agree to share their progress."),
    }


# applicant-facing: end

# The partner's page lists the latest referrals, this many at most.
PEOPLE_SHOWN = 500

# Later statuses that apps on the right add (outcomes: "in a job"): each hook takes the
# shared referrals' person ids and returns {person_id: label} for those it knows of.
StatusHook = Callable[[list[int]], dict[int, str]]
status_hooks: list[StatusHook] = []


def calls_open_for(partner: Partner) -> QuerySet[Call]:
    """The calls of the partner's organisation open today, to which it may refer."""
    today = timezone.localdate()
    return (
        Call.objects.filter(
            site__organisation_id=partner.organisation_id,
            published=True,
            opens_on__lte=today,
            closes_on__gte=today,
        )
        .select_related("site", "run__programme")
        .order_by("closes_on", "title")
    )


def calls_open_for_user(*, user: User, partner: Partner) -> QuerySet[Call]:
    """The open calls of the partner's organisation whose referrals the user sees."""
    return calls_open_for(partner).filter(scope_for(user).site_filter(REFERRAL_ROLES))


def calls_visible(*, user: User) -> QuerySet[Call]:
    """Calls whose referrals the user sees (by the call's site)."""
    return Call.objects.filter(scope_for(user).site_filter(REFERRAL_ROLES)).select_related("site")


def runs_visible(*, user: User) -> QuerySet[ProgrammeRun]:
    return (
        ProgrammeRun.objects.filter(calls__in=calls_visible(user=user))
        .distinct()
        .select_related("programme", "site")
        .order_by("-starts_on", "title")
    )


def referral_partners(*, user: User) -> QuerySet[Partner]:
    """Partners of the organisations where the user sees referrals."""
    scope = scope_for(user)
    if scope.superuser:
        return Partner.objects.all()
    organisations = scope.admin_organisation_ids() | {
        o for r, o, _s in scope.site_roles if r in REFERRAL_ROLES
    }
    return Partner.objects.filter(organisation_id__in=organisations)


def referral_partner_get(*, user: User, partner_id: int) -> Partner:
    """A partner the user may record a referral for; 404 outside the user's scope."""
    partner = (
        referral_partners(user=user)
        .filter(archived_at__isnull=True, pk=partner_id)
        .select_related("organisation")
        .first()
    )
    if partner is None:
        raise Http404
    return partner


def referrals_visible(*, user: User) -> QuerySet[Referral]:
    return Referral.objects.filter(referral_filter(user)).select_related(
        "partner", "call", "application"
    )


def referrals_listed(
    *, user: User, partner_id: int | None = None, call_id: int | None = None
) -> QuerySet[Referral]:
    referrals = referrals_visible(user=user)
    if partner_id:
        referrals = referrals.filter(partner_id=partner_id)
    if call_id:
        referrals = referrals.filter(call_id=call_id)
    return referrals


def referral_get(*, user: User, referral_id: int) -> Referral:
    """The referral; 404 when its call is outside the user's scope."""
    referral = referrals_visible(user=user).filter(pk=referral_id).first()
    if referral is None:
        raise Http404
    return referral


# --- what the partner sees -------------------------------------------------------------------


@dataclass(frozen=True)
class ReferredPerson:
    """One line of the partner's page: the name it typed, the call, a status word."""

    name: str
    call: Call
    referred_on: dt.datetime
    status: str
    label: str


_ENROLMENT_STATUS: dict[str, str] = {
    Enrolment.Status.ACTIVE: ReferralStatus.IN_TRAINING,
    Enrolment.Status.TRANSFERRED: ReferralStatus.IN_TRAINING,
    Enrolment.Status.GRADUATED: ReferralStatus.FINISHED,
    Enrolment.Status.LEFT_EARLY: ReferralStatus.LEFT,
}
# When an application led to more than one enrolment (a transfer), the furthest one counts.
_ENROLMENT_RANK: dict[str, int] = {
    Enrolment.Status.TRANSFERRED: 0,
    Enrolment.Status.LEFT_EARLY: 1,
    Enrolment.Status.ACTIVE: 2,
    Enrolment.Status.GRADUATED: 3,
}


def _status(referral: Referral, enrolment_status: str | None) -> str:
    if referral.withdrawn_at is not None:
        return ReferralStatus.WITHDRAWN
    if not referral.shares_status:
        return ReferralStatus.NOT_SHARED
    application = referral.application
    if application is None or application.status == Application.Status.DRAFT:
        return ReferralStatus.REFERRED
    if enrolment_status:
        return _ENROLMENT_STATUS[enrolment_status]
    if (
        application.outcome == Application.Outcome.SELECTED
        and application.status == Application.Status.SUBMITTED
    ):
        return ReferralStatus.SELECTED
    return ReferralStatus.APPLIED


def _enrolment_statuses(application_ids: Iterable[int]) -> dict[int, str]:
    statuses: dict[int, str] = {}
    for application_id, status in Enrolment.objects.filter(
        application_id__in=list(application_ids)
    ).values_list("application_id", "status"):
        kept = statuses.get(application_id)
        if kept is None or _ENROLMENT_RANK[status] > _ENROLMENT_RANK[kept]:
            statuses[application_id] = status
    return statuses


def referred_people(*, link: PartnerLink) -> list[ReferredPerson]:
    """The people the link's partner referred, newest first, each with a status word when
    they agreed to share their progress. Reads only the application's status and outcome
    and the enrolment's status: never a score, a note, a stage result or the person's
    record. Three queries whatever the number of referrals (plus one per status hook)."""
    referrals = list(
        Referral.objects.filter(partner_id=link.partner_id)
        .select_related("call", "application")
        .only(
            "given_names",
            "family_name",
            "created_at",
            "shares_status",
            "withdrawn_at",
            "person_id",
            "call__title",
            "call__translations",
            "application__status",
            "application__outcome",
        )
        .order_by("-created_at", "-pk")[:PEOPLE_SHOWN]
    )
    shared = [r for r in referrals if r.shares_status and r.withdrawn_at is None]
    enrolments = _enrolment_statuses(r.application_id for r in shared if r.application_id)
    later: dict[int, str] = {}
    people = [r.person_id for r in shared if r.person_id]
    for hook in status_hooks:
        later.update(hook(people) if people else {})
    lines = []
    for referral in referrals:
        status = _status(referral, enrolments.get(referral.application_id or 0))
        label = str(ReferralStatus.LABELS[status])
        if status != ReferralStatus.NOT_SHARED and referral.person_id in later:
            label = later[referral.person_id]
        lines.append(
            ReferredPerson(
                name=f"{referral.given_names} {referral.family_name}",
                call=referral.call,
                referred_on=referral.created_at,
                status=status,
                label=label,
            )
        )
    return lines


# --- the funnel by referral partner --------------------------------------------------------


@dataclass
class FunnelRow:
    partner: Partner | None  # None: applications without a referral
    referred: int | None
    applied: int
    selected: int
    in_training: int
    graduated: int
    stages: list[int] = field(default_factory=list)
    # Each stage with its count, for the labels of a stacked table on a phone.
    passed: list[tuple[Stage, int]] = field(default_factory=list)


@dataclass
class ReferralFunnel:
    calls: list[Call]
    stages: list[Stage]
    rows: list[FunnelRow]

    def __post_init__(self) -> None:
        for row in self.rows:
            row.passed = list(zip(self.stages, row.stages, strict=True))


def _stage_counts(stages: list[Stage], prefix: str) -> dict[str, Count]:
    return {
        f"stage_{stage.position}": Count(
            "pk",
            distinct=True,
            filter=Q(
                **{
                    f"{prefix}status__in": APPLIED,
                    f"{prefix}stages_passed__gte": stage.position,
                }
            ),
        )
        for stage in stages
    }


def _outcome_counts(prefix: str) -> dict[str, Count]:
    return {
        "applied": Count("pk", distinct=True, filter=Q(**{f"{prefix}status__in": APPLIED})),
        "selected": Count(
            "pk",
            distinct=True,
            filter=Q(
                **{
                    f"{prefix}outcome": Application.Outcome.SELECTED,
                    f"{prefix}status": Application.Status.SUBMITTED,
                }
            ),
        ),
        "in_training": Count(
            "pk", distinct=True, filter=Q(**{f"{prefix}enrolments__isnull": False})
        ),
        "graduated": Count(
            "pk",
            distinct=True,
            filter=Q(**{f"{prefix}enrolments__status": Enrolment.Status.GRADUATED}),
        ),
    }


def funnel_calls(
    *, user: User, call_id: int | None = None, run_id: int | None = None, year: int | None = None
) -> list[Call]:
    """The calls a funnel counts: one call, a programme run's, or those opening in a year."""
    calls = calls_visible(user=user)
    if call_id:
        calls = calls.filter(pk=call_id)
    if run_id:
        calls = calls.filter(run_id=run_id)
    if year:
        calls = calls.filter(opens_on__year=year)
    if not (call_id or run_id or year):
        return []
    return list(calls.order_by("opens_on", "pk"))


def referral_funnel(*, calls: list[Call]) -> ReferralFunnel:
    """One row per referral partner (and one for the applications no partner referred): how
    many were referred, applied, passed each stage (for one call), were selected, entered
    training and graduated, for ``calls`` (from ``funnel_calls``, already scoped). A constant
    number of queries: two GROUP BYs, the partners and the stages."""
    ids = [c.pk for c in calls]
    stages = list(Stage.objects.filter(call_id=ids[0])) if len(ids) == 1 else []
    by_partner = (
        Referral.objects.filter(call_id__in=ids)
        .values("partner_id")
        .annotate(
            referred=Count("pk", distinct=True),
            **_outcome_counts("application__"),
            **_stage_counts(stages, "application__"),
        )
        .order_by()
    )
    counts = {row["partner_id"]: row for row in by_partner}
    partners = Partner.objects.in_bulk(list(counts))
    rows = [
        FunnelRow(
            partner=partners[pid],
            referred=row["referred"],
            applied=row["applied"],
            selected=row["selected"],
            in_training=row["in_training"],
            graduated=row["graduated"],
            stages=[row[f"stage_{s.position}"] for s in stages],
        )
        for pid, row in counts.items()
    ]
    rows.sort(key=lambda r: (-(r.referred or 0), r.partner.name if r.partner else ""))
    others = Application.objects.filter(call_id__in=ids, referral__isnull=True).aggregate(
        **_outcome_counts(""), **_stage_counts(stages, "")
    )
    rows.append(
        FunnelRow(
            partner=None,
            referred=None,
            applied=others["applied"],
            selected=others["selected"],
            in_training=others["in_training"],
            graduated=others["graduated"],
            stages=[others[f"stage_{s.position}"] for s in stages],
        )
    )
    return ReferralFunnel(calls=calls, stages=stages, rows=rows)
