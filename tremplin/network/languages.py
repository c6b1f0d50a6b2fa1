"""Language codes (ISO 639-1, from pycountry) and CEFR levels."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

import pycountry
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

CEFR_LEVELS = [
    ("A1", "A1"),
    ("A2", "A2"),
    ("B1", "B1"),
    ("B2", "B2"),
    ("C1", "C1"),
    ("C2", "C2"),
]
CEFR_ORDER = {code: rank for rank, (code, _label) in enumerate(CEFR_LEVELS)}


@lru_cache(maxsize=1)
def language_names() -> dict[str, str]:
    """Every two-letter language code with its English name."""
    return {
        lang.alpha_2: lang.name for lang in pycountry.languages if getattr(lang, "alpha_2", None)
    }


def language_choices() -> list[tuple[str, str]]:
    return sorted(language_names().items(), key=lambda item: item[1])


def validate_language_code(value: str) -> None:
    if value and value not in language_names():
        raise ValidationError(
            _("“%(value)s” is not a known two-letter language code."), params={"value": value}
        )


def language_field(
    *, label: StrOrPromise, required: bool = True, initial: str | None = None
) -> forms.ChoiceField:
    """A choice of language codes whose error names the unknown code."""
    blank = [] if required else [("", "—")]
    return forms.ChoiceField(
        label=label,
        choices=[*blank, *language_choices()],
        required=required,
        initial=initial,
        error_messages={"invalid_choice": _("“%(value)s” is not a known language code.")},
    )
