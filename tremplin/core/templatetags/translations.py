"""``{{ obj|in_language:"field" }}``: text staff typed, in the reader's language
(core/translations.py)."""

from __future__ import annotations

from typing import Any

from django import template

from tremplin.core.translations import text_in

register = template.Library()


@register.filter
def in_language(obj: object, field: str) -> Any:
    return text_in(obj, field)
