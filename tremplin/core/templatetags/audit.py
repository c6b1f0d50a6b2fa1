"""An audit event's changes in the reader's words: field labels, not column names, and dates
in the reader's format."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats, timezone
from django.utils.functional import Promise

from tremplin.core.models import AuditEvent

register = template.Library()


def _model(label: str) -> type[models.Model] | None:
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _label(
    model: type[models.Model] | None, key: str
) -> tuple[str | Promise, dict[Any, Any], models.Field[Any, Any] | None]:
    """The words for a key: the field's verbose name (with its choices' labels), else the
    verbose name of the model of that name in the same app (``consent``), else the key;
    and the field, when it is one."""
    if model is not None:
        try:
            field = model._meta.get_field(key)
        except FieldDoesNotExist:
            other = _model(f"{model._meta.app_label}.{key}")
            if other is not None and other._meta.verbose_name:
                return other._meta.verbose_name, {}, None
        else:
            if isinstance(field, models.Field):
                return field.verbose_name or key, dict(field.flatchoices), field
    return key.replace("_", " "), {}, None


def _shown(field: models.Field[Any, Any] | None, value: Any) -> Any:
    """A date or a moment, kept as ISO text in the event, in the reader's format."""
    if not isinstance(value, str) or not value:
        return value
    try:
        if isinstance(field, models.DateTimeField):
            moment = dt.datetime.fromisoformat(value)
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return formats.date_format(moment, "SHORT_DATETIME_FORMAT")
        if isinstance(field, models.DateField):
            return formats.date_format(dt.date.fromisoformat(value), "SHORT_DATE_FORMAT")
    except ValueError:
        return value
    return value


@register.simple_tag
def audit_changes(event: AuditEvent) -> list[dict[str, Any]]:
    """One line per changed field: ``label``, ``before``, ``after``."""
    model = _model(event.subject_type)
    lines = []
    for key, change in (event.changes or {}).items():
        label, choices, field = _label(model, key)
        before = change.get("from") if isinstance(change, dict) else None
        after = change.get("to") if isinstance(change, dict) else change
        lines.append(
            {
                "label": label,
                "before": _shown(field, choices.get(before, before)),
                "after": _shown(field, choices.get(after, after)),
            }
        )
    return lines
