"""Early warning, read: the rules of a programme, the alerts a user may see, the learners at
risk of a site.

Who: job coaches and site managers of the cohort's site and network admins see and act on
alerts; a trainer sees the alerts of the cohorts they teach, read only; funders and other
roles never. Programme rules are set by those who manage training (network admins, site
managers of a site that runs the programme).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from tremplin.core.models import User
from tremplin.network.models import Programme, Role, Site
from tremplin.network.selectors import scope_for
from tremplin.training.early_warning import DEFAULT_RULES
from tremplin.training.models import Alert, AlertAction, AlertKind, AlertRule, AlertState, Cohort
from tremplin.training.selectors.access import (
    TRAINING_ROLES,
    can_use_training,
    cohort_filter,
    sees_cohort_site_wide,
)

KIND_ORDER = list(AlertKind.values)


def can_use_alerts(user: User) -> bool:
    return can_use_training(user)


def can_act_on_alert(user: User, alert: Alert) -> bool:
    """Records actions and closes: a coach or manager of the site, or an admin (a trainer
    reads only)."""
    return sees_cohort_site_wide(user, alert.enrolment.cohort)


# --- Rules ----------------------------------------------------------------------------------


def programmes_for_rules(*, user: User) -> QuerySet[Programme]:
    """Programmes whose rules the user sets: those of an organisation they administer, or
    run at a site they manage."""
    scope = scope_for(user)
    programmes = Programme.objects.select_related("organisation").order_by("title", "pk")
    if scope.superuser:
        return programmes
    managed = scope.site_ids({Role.SITE_MANAGER})
    ids = Programme.objects.filter(
        Q(organisation_id__in=scope.admin_organisation_ids()) | Q(runs__site_id__in=managed)
    ).values("pk")
    return programmes.filter(pk__in=ids)


def programme_for_rules(*, user: User, programme_id: int) -> Programme:
    programme = programmes_for_rules(user=user).filter(pk=programme_id).first()
    if programme is None:
        raise Http404
    return programme


def rules_of(programme: Programme) -> list[AlertRule]:
    """One rule of each kind: the programme's own, else the shipped default (not saved)."""
    saved = {rule.kind: rule for rule in AlertRule.objects.filter(programme=programme)}
    rules = []
    for kind, count, percent, weeks, active in DEFAULT_RULES:
        rules.append(
            saved.get(kind)
            or AlertRule(
                programme=programme,
                kind=kind,
                count=count,
                percent=percent,
                weeks=weeks,
                active=active and not saved,
            )
        )
    return sorted(rules, key=lambda rule: KIND_ORDER.index(rule.kind))


# --- Alerts ---------------------------------------------------------------------------------


def alerts_visible(*, user: User) -> QuerySet[Alert]:
    cohorts = Cohort.objects.filter(cohort_filter(user)).values("pk")
    return Alert.objects.filter(enrolment__cohort_id__in=cohorts).select_related(
        "rule",
        "enrolment",
        "enrolment__person",
        "enrolment__cohort",
        "enrolment__cohort__run",
        "enrolment__cohort__run__site",
        "enrolment__cohort__coach",
        "closed_by",
    )


def alert_get(*, user: User, alert_id: int) -> Alert:
    alert = alerts_visible(user=user).filter(pk=alert_id).first()
    if alert is None:
        raise Http404
    return alert


def alert_actions(alert: Alert) -> QuerySet[AlertAction]:
    return alert.actions.select_related("done_by").order_by("-done_on", "-pk")


def sites_with_alerts(*, user: User) -> QuerySet[Site]:
    """Sites whose learners at risk the user sees (for the filter)."""
    scope = scope_for(user)
    sites = Site.objects.select_related("organisation").order_by("name")
    if scope.superuser:
        return sites
    return sites.filter(scope.site_filter(TRAINING_ROLES, field=""))


@dataclass(frozen=True)
class AtRiskFilters:
    site: Site | None = None
    cohort: Cohort | None = None
    kind: str = ""
    state: str = AlertState.OPEN
    mine: bool = False


def at_risk(*, user: User, filters: AtRiskFilters) -> QuerySet[Alert]:
    """Alerts for the at-risk list, with their last action (date and kind)."""
    alerts = alerts_visible(user=user)
    if filters.site is not None:
        alerts = alerts.filter(enrolment__cohort__run__site=filters.site)
    if filters.cohort is not None:
        alerts = alerts.filter(enrolment__cohort=filters.cohort)
    if filters.kind:
        alerts = alerts.filter(rule__kind=filters.kind)
    if filters.state:
        alerts = alerts.filter(state=filters.state)
    if filters.mine:
        alerts = alerts.filter(enrolment__cohort__coach=user)
    last = AlertAction.objects.filter(alert=OuterRef("pk")).order_by("-done_on", "-pk")
    return alerts.annotate(
        last_action_on=Subquery(last.values("done_on")[:1]),
        last_action_kind=Subquery(last.values("kind")[:1]),
    )


def days_open(alert: Alert, *, now: dt.datetime) -> int:
    end = alert.closed_at or now
    return max(0, (end - alert.raised_at).days)


def open_alert_count(*, user: User) -> int:
    return alerts_visible(user=user).filter(state=AlertState.OPEN).count()


def coaches_and_managers(alert: Alert) -> list[User]:
    """Who is told of a new alert: the cohort's job coach and the site's managers (active
    accounts with an address)."""
    cohort = alert.enrolment.cohort
    users = User.objects.filter(
        Q(pk=cohort.coach_id)
        | Q(
            role_assignments__role=Role.SITE_MANAGER,
            role_assignments__site_id=cohort.run.site_id,
        ),
        is_active=True,
    ).exclude(email="")
    return list(User.objects.filter(pk__in=users.values("pk")).order_by("pk"))
