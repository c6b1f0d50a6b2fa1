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


@register.simple_tag
def question_label(stage: object, question: dict[str, object], language: str) -> str:
    """A questionnaire's question in ``language``: the text staff gave for it
    (core/translations.py), else its label in that language; empty when that is the page's."""
    from django.utils import translation

    if not language or language == translation.get_language():
        return ""
    translations = (getattr(stage, "translations", None) or {}).get(language) or {}
    given = translations.get(f"question:{question.get('key')}")
    if given:
        return str(given)
    with translation.override(language):
        return gettext(str(question.get("label") or ""))
