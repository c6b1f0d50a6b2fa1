"""Language codes (ISO 639-1, from pycountry), CEFR levels, and the interface's languages.

Two lists of interface languages (docs/languages.md):

- staff languages (``settings.STAFF_LANGUAGES``: English, French, Arabic): every staff page;
- applicant languages (every code of ``settings.LANGUAGES``: those and Khmer, Vietnamese):
  what an applicant sees — the public application form, information-session registration,
  the placement test's screens and the messages sent to applicants. Each organisation
  offers a subset (``Organisation.applicant_languages``) with a default among them.

A public view calls ``applicant_language_activate(request, organisation)`` first: the
applicant's choice (the language cookie), then their browser's, among those offered, else
the organisation's default.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

import pycountry
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.http import HttpRequest
    from django_stubs_ext import StrOrPromise

    from tremplin.network.models import Organisation

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


def staff_languages() -> tuple[str, ...]:
    """The languages of staff pages."""
    return tuple(settings.STAFF_LANGUAGES)


def applicant_languages() -> tuple[str, ...]:
    """Every language an organisation may offer its applicants."""
    return tuple(code for code, _name in settings.LANGUAGES)


def applicant_language_choices() -> list[tuple[str, str]]:
    """(code, the language's own name) for every applicant language."""
    return [
        (code, str(translation.get_language_info(code)["name_local"]))
        for code in applicant_languages()
    ]


def validate_applicant_languages(value: object) -> None:
    if not isinstance(value, list) or not value:
        raise ValidationError(_("Offer at least one language."))
    unknown = [str(code) for code in value if code not in applicant_languages()]
    if unknown:
        raise ValidationError(
            _("These languages cannot be offered: %(codes)s."), params={"codes": ", ".join(unknown)}
        )


def offered_languages(organisation: Organisation) -> list[str]:
    """The organisation's applicant languages, in the interface's order."""
    chosen = set(organisation.applicant_languages or [])
    offered = [code for code in applicant_languages() if code in chosen]
    return offered or [organisation.default_language]


def applicant_language_pick(
    request: HttpRequest, organisation: Organisation, *, preferred: str = ""
) -> str:
    """The language to show this applicant: ``preferred`` (a draft's or an attempt's), the
    language cookie, then the browser's, among those offered, else the default."""
    offered = offered_languages(organisation)
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    for candidate in (preferred, cookie):
        if candidate in offered:
            return candidate
    accept = request.headers.get("Accept-Language", "")
    for entry in accept.split(","):
        code = entry.split(";")[0].strip().lower().split("-")[0]
        if code in offered:
            return code
    default = organisation.default_language
    return default if default in offered else offered[0]


def applicant_language_activate(
    request: HttpRequest, organisation: Organisation, *, preferred: str = ""
) -> str:
    """Activate the applicant's language for this request (see ``applicant_language_pick``)
    and return it; the page's language switcher then offers only the organisation's."""
    language = applicant_language_pick(request, organisation, preferred=preferred)
    translation.activate(language)
    request.LANGUAGE_CODE = language
    request.offered_languages = offered_languages(organisation)  # type: ignore[attr-defined]
    return language
