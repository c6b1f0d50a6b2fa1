"""Early warning's pages: the learners at risk of a site, an alert (what was done, its
closing), and a programme's rules."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tremplin.core.forms import validation_error_to_form
from tremplin.core.listing import paginate_sorted
from tremplin.core.permissions import acting_user, user_passes
from tremplin.training.forms.alerts import (
    AlertActionForm,
    AlertCloseForm,
    AlertRulesForm,
    AtRiskFilterForm,
)
from tremplin.training.models import ActionKind, Alert, AlertState
from tremplin.training.selectors import alerts as selectors
from tremplin.training.selectors.access import can_manage_training, cohorts_visible
from tremplin.training.services import alerts as services

use_alerts = user_passes(selectors.can_use_alerts)


def _filters(form: AtRiskFilterForm) -> selectors.AtRiskFilters:
    if not form.is_valid():
        return selectors.AtRiskFilters()
    data = form.cleaned_data
    state = data["state"] or AlertState.OPEN
    return selectors.AtRiskFilters(
        site=data["site"],
        cohort=data["cohort"],
        kind=data["kind"],
        state="" if state == "all" else state,
        mine=data["mine"],
    )


@use_alerts
def at_risk(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    form = AtRiskFilterForm(
        request.GET or None,
        sites=selectors.sites_with_alerts(user=user),
        cohorts=cohorts_visible(user=user).order_by("title", "pk"),
    )
    listing = paginate_sorted(
        request,
        selectors.at_risk(user=user, filters=_filters(form)),
        sorts={
            "raised": ("raised_at",),
            "learner": (
                "enrolment__person__legal_family_name",
                "enrolment__person__legal_given_names",
            ),
            "cohort": ("enrolment__cohort__title",),
            "action": ("last_action_on",),
        },
        default="raised",
    )
    now = timezone.now()
    for alert in listing.page:
        alert.days_open = selectors.days_open(alert, now=now)
        kind = alert.last_action_kind
        alert.last_action_label = ActionKind(kind).label if kind in ActionKind.values else ""
    return render(
        request,
        "training/alerts/at_risk.html",
        {
            "form": form,
            "listing": listing,
            "programmes": selectors.programmes_for_rules(user=user)
            if can_manage_training(user)
            else [],
        },
    )


def _detail(
    request: HttpRequest,
    alert: Alert,
    *,
    action_form: AlertActionForm | None = None,
    close_form: AlertCloseForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = acting_user(request)
    can_act = selectors.can_act_on_alert(user, alert) and alert.state == AlertState.OPEN
    context: dict[str, Any] = {
        "alert": alert,
        "actions": selectors.alert_actions(alert),
        "days_open": selectors.days_open(alert, now=timezone.now()),
        "can_act": can_act,
        "action_form": action_form or AlertActionForm(),
        "close_form": close_form or AlertCloseForm(),
    }
    return render(request, "training/alerts/alert_detail.html", context, status=status)


@use_alerts
def alert_detail(request: HttpRequest, alert_id: int) -> HttpResponse:
    alert = selectors.alert_get(user=acting_user(request), alert_id=alert_id)
    return _detail(request, alert)


def _alert_to_act_on(request: HttpRequest, alert_id: int) -> Alert:
    user = acting_user(request)
    alert = selectors.alert_get(user=user, alert_id=alert_id)
    if not selectors.can_act_on_alert(user, alert):
        raise PermissionDenied
    return alert


@require_POST
@use_alerts
def alert_action(request: HttpRequest, alert_id: int) -> HttpResponse:
    alert = _alert_to_act_on(request, alert_id)
    form = AlertActionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.alert_action_record(
                actor=acting_user(request),
                alert=alert,
                kind=data["kind"],
                done_on=data["done_on"],
                outcome=data["outcome"],
                note=data["note"],
            )
        except ValidationError as exc:
            validation_error_to_form(form, exc)
        else:
            messages.success(request, _("Recorded."))
            return redirect("training:alert-detail", alert_id=alert.pk)
    return _detail(request, alert, action_form=form, status=400)


@require_POST
@use_alerts
def alert_close(request: HttpRequest, alert_id: int) -> HttpResponse:
    alert = _alert_to_act_on(request, alert_id)
    form = AlertCloseForm(request.POST)
    if form.is_valid():
        try:
            services.alert_close(
                actor=acting_user(request),
                alert=alert,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            validation_error_to_form(form, exc)
        else:
            messages.success(request, _("The alert is closed."))
            return redirect("training:alert-detail", alert_id=alert.pk)
    return _detail(request, alert, close_form=form, status=400)


@user_passes(can_manage_training)
def alert_rules(request: HttpRequest, programme_id: int) -> HttpResponse:
    user = acting_user(request)
    programme = selectors.programme_for_rules(user=user, programme_id=programme_id)
    rules = selectors.rules_of(programme)
    form = AlertRulesForm(request.POST or None, initial=AlertRulesForm.initial_from(rules))
    if request.method == "POST" and form.is_valid():
        try:
            services.alert_rules_save(actor=user, programme=programme, rules=form.rules())
        except ValidationError as exc:
            validation_error_to_form(form, exc)
        else:
            messages.success(request, _("The early-warning rules are saved."))
            return redirect("training:alert-rules", programme_id=programme.pk)
    return render(
        request,
        "training/alerts/alert_rules.html",
        {
            "programme": programme,
            "form": form,
            "saved": any(rule.pk for rule in rules),
        },
        status=400 if request.method == "POST" else 200,
    )
