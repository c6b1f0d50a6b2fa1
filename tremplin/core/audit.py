"""Audit events, written by services in the same transaction as the change they record."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models

from tremplin.core.audit_actions import AuditAction
from tremplin.core.encryption import MASK, EncryptedTextField
from tremplin.core.models import AuditEvent, User


def _is_sensitive(model: type[models.Model], field_name: str) -> bool:
    try:
        field = model._meta.get_field(field_name)
    except Exception:
        return False
    return isinstance(field, EncryptedTextField)


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def field_changes(
    *, instance: models.Model, before: Mapping[str, Any], fields: Iterable[str]
) -> dict[str, dict[str, Any]]:
    """Compare a snapshot with the instance now. Sensitive values are masked, never stored."""
    model = type(instance)
    changes: dict[str, dict[str, Any]] = {}
    for name in fields:
        old, new = before.get(name), getattr(instance, name)
        if old == new or (old in (None, "") and new in (None, "")):
            continue
        if _is_sensitive(model, name):
            changes[name] = {"from": MASK if old else "", "to": MASK if new else ""}
        else:
            changes[name] = {"from": _plain(old), "to": _plain(new)}
    return changes


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    return {name: getattr(instance, name) for name in fields}


def audit_record(
    *,
    actor: User | None,
    action: AuditAction,
    subject: models.Model,
    changes: Mapping[str, Any] | None = None,
    note: str = "",
) -> AuditEvent:
    """Record one change to ``subject`` (call it inside the service's transaction).

    ``action`` is an ``AuditAction``: the type checker holds the callers to the list, and a
    string that is not on it (from untyped code) fails here instead of reaching the history
    as a code."""
    if action not in AuditAction.values:
        raise ValueError(f"Unknown audit action {action!r}: add it to core.audit_actions.")
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        action=action,
        subject_type=subject._meta.label_lower,
        subject_id=subject.pk,
        changes=dict(changes or {}),
        note=note,
    )


def audit_events_for(subject: models.Model) -> models.QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(
        subject_type=subject._meta.label_lower, subject_id=subject.pk
    ).select_related("actor")
