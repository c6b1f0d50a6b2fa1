"""An audit event's changes in the reader's words: field labels, not column names."""

from __future__ import annotations

from typing import Any

from django import template
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.functional import Promise

from tremplin.core.models import AuditEvent

register = template.Library()


def _model(label: str) -> type[models.Model] | None:
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _label(model: type[models.Model] | None, key: str) -> tuple[str | Promise, dict[Any, Any]]:
    """The words for a key: the field's verbose name (with its choices' labels), else the
    verbose name of the model of that name in the same app (``consent``), else the key."""
    if model is not None:
        try:
            field = model._meta.get_field(key)
        except FieldDoesNotExist:
            other = _model(f"{model._meta.app_label}.{key}")
            if other is not None and other._meta.verbose_name:
                return other._meta.verbose_name, {}
        else:
            if isinstance(field, models.Field):
                return field.verbose_name or key, dict(field.flatchoices)
    return key.replace("_", " "), {}


@register.simple_tag
def audit_changes(event: AuditEvent) -> list[dict[str, Any]]:
    """One line per changed field: ``label``, ``before``, ``after``."""
    model = _model(event.subject_type)
    lines = []
    for key, change in (event.changes or {}).items():
        label, choices = _label(model, key)
        before = change.get("from") if isinstance(change, dict) else None
        after = change.get("to") if isinstance(change, dict) else change
        lines.append(
            {
                "label": label,
                "before": choices.get(before, before),
                "after": choices.get(after, after),
            }
        )
    return lines
