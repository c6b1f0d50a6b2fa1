from __future__ import annotations

from django import template

from tremplin.network.languages import language_names

register = template.Library()


@register.filter
def language_name(code: str) -> str:
    """'fr' -> 'French (fr)'."""
    name = language_names().get(code)
    return f"{name} ({code})" if name else code
