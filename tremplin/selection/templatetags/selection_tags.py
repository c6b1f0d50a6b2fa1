from __future__ import annotations

from django import template
from django.utils.translation import gettext

register = template.Library()


@register.filter
def translated(value: str) -> str:
    """A label stored as data in English (a shipped questionnaire), in the page's language."""
    return gettext(value) if value else value


@register.filter
def stage_name(stages: dict[int, object], position: int) -> object:
    return stages.get(position, "")


@register.filter
def language_label(code: str) -> str:
    from tremplin.selection.eligibility import language_name

    return language_name(code) if code else ""
