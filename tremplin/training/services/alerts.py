"""Early warning, written by staff: a programme's rules, what was done about an alert, its
closing. Raising alerts is services/alert_checks.py (the background check)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.core.audit import audit_record, field_changes, snapshot
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import User
from tremplin.network.models import Programme
from tremplin.training.early_warning import DEFAULT_RULES
from tremplin.training.models import (
    ActionKind,
    ActionOutcome,
    Alert,
    AlertAction,
    AlertKind,
    AlertOutcome,
    AlertRule,
    AlertState,
)
from tremplin.training.models.alerts import MAX_COUNT, MAX_WEEKS
from tremplin.training.selectors.alerts import can_act_on_alert, programmes_for_rules

RULE_FIELDS = ("count", "percent", "weeks", "active")
# Which parameters each kind takes (the others are cleared).
PARAMETERS = {
    AlertKind.ABSENCES_IN_A_ROW: ("count",),
    AlertKind.RATE_BELOW: ("percent", "weeks"),
    AlertKind.LATE_TIMES: ("count", "weeks"),
}


@dataclass(frozen=True)
class RuleValues:
    kind: str
    count: int | None
    percent: int | None
    weeks: int | None
    active: bool


# The range each parameter takes (the database holds the same bounds).
BOUNDS = {"count": (1, MAX_COUNT), "percent": (1, 100), "weeks": (1, MAX_WEEKS)}


def _parameters_check(kind: str, rule: AlertRule) -> None:
    label = AlertKind(kind).label
    errors: dict[str, str] = {}
    for name in PARAMETERS.get(AlertKind(kind), ()):
        low, high = BOUNDS[name]
        value = getattr(rule, name)
        if value is None or not low <= value <= high:
            errors[name] = _("%(rule)s: give a whole number from %(low)d to %(high)d.") % {
                "rule": label,
                "low": low,
                "high": high,
            }
    if errors:
        raise ValidationError(errors)


def _rule_save(
    programme: Programme, values: RuleValues, *, actor: User | None, note: str = ""
) -> AlertRule:
    rule = AlertRule.objects.filter(programme=programme, kind=values.kind).first()
    created = rule is None
    if rule is None:
        rule = AlertRule(programme=programme, kind=values.kind)
    before = snapshot(rule, RULE_FIELDS)
    wanted = PARAMETERS.get(AlertKind(values.kind), ())
    for name in ("count", "percent", "weeks"):
        setattr(rule, name, getattr(values, name) if name in wanted else None)
    rule.active = values.active
    _parameters_check(values.kind, rule)
    try:
        rule.full_clean(exclude=["programme"])
    except ValidationError as exc:
        label = AlertKind(values.kind).label
        raise ValidationError(
            {
                field: [f"{label}: {message}" for message in messages]
                for field, messages in exc.message_dict.items()
            }
        ) from exc
    changes = field_changes(instance=rule, before=before, fields=RULE_FIELDS)
    if created or changes:
        rule.save()
        audit_record(
            actor=actor,
            action=AuditAction.ALERT_RULE_SAVED,
            subject=rule,
            changes=changes,
            note=note,
        )
    return rule


def alert_rules_save(
    *, actor: User, programme: Programme, rules: Sequence[RuleValues]
) -> list[AlertRule]:
    """Save a programme's rules (one per kind), all or none."""
    if not programmes_for_rules(user=actor).filter(pk=programme.pk).exists():
        raise PermissionDenied
    kinds = [values.kind for values in rules]
    if len(set(kinds)) != len(kinds) or not set(kinds) <= set(AlertKind.values):
        raise ValidationError(_("Each kind of rule is given once."))
    with transaction.atomic():
        return [_rule_save(programme, values, actor=actor) for values in rules]


def alert_rules_in_force(programme: Programme) -> list[AlertRule]:
    """The programme's rules in use; a programme with none gets the shipped defaults, saved
    (and audited with no actor) so its alerts can point at them."""
    rules = list(AlertRule.objects.filter(programme=programme))
    if not rules:
        try:
            with transaction.atomic():
                rules = [
                    _rule_save(
                        programme,
                        RuleValues(kind, count, percent, weeks, active),
                        actor=None,
                        note="shipped default",
                    )
                    for kind, count, percent, weeks, active in DEFAULT_RULES
                ]
        except IntegrityError:  # another check saved them first
            rules = list(AlertRule.objects.filter(programme=programme))
    return [rule for rule in rules if rule.active]


def _may_act(actor: User, alert: Alert) -> None:
    if not can_act_on_alert(actor, alert):
        raise PermissionDenied


def alert_action_record(
    *,
    actor: User,
    alert: Alert,
    kind: str,
    done_on: dt.date,
    outcome: str,
    note: str = "",
) -> AlertAction:
    """What someone did about an alert (a call, a meeting) and what came of it."""
    _may_act(actor, alert)
    errors: dict[str, str] = {}
    if kind not in ActionKind.values:
        errors["kind"] = _("Choose what was done.")
    if outcome not in ActionOutcome.values:
        errors["outcome"] = _("Choose what came of it.")
    if done_on > timezone.localdate():
        errors["done_on"] = _("The date cannot be in the future.")
    elif done_on < alert.raised_at.date() - dt.timedelta(days=7):
        errors["done_on"] = _("The date is long before the alert was raised.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        alert = Alert.objects.select_for_update().get(pk=alert.pk)
        if alert.state != AlertState.OPEN:
            raise ValidationError(_("This alert is closed: nothing more can be recorded on it."))
        action = AlertAction.objects.create(
            alert=alert,
            kind=kind,
            done_on=done_on,
            outcome=outcome,
            note=note.strip(),
            done_by=actor,
        )
        audit_record(
            actor=actor,
            action=AuditAction.ALERT_ACTION_RECORDED,
            subject=alert,
            changes={"kind": kind, "done_on": done_on.isoformat(), "outcome": outcome},
        )
    return action


def alert_close(*, actor: User, alert: Alert, outcome: str, note: str = "") -> Alert:
    """Close an alert with its outcome."""
    _may_act(actor, alert)
    if outcome not in AlertOutcome.values:
        raise ValidationError({"outcome": _("Choose how the alert ends.")})
    with transaction.atomic():
        alert = Alert.objects.select_for_update().get(pk=alert.pk)
        if alert.state != AlertState.OPEN:
            raise ValidationError(_("This alert is already closed."))
        alert.state = AlertState.CLOSED
        alert.closed_at = timezone.now()
        alert.closed_by = actor
        alert.outcome = outcome
        alert.closing_note = note.strip()
        alert.save(update_fields=["state", "closed_at", "closed_by", "outcome", "closing_note"])
        audit_record(
            actor=actor,
            action=AuditAction.ALERT_CLOSED,
            subject=alert,
            changes={"outcome": outcome},
        )
    return alert
