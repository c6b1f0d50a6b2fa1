"""Text that staff type, in each language an organisation offers its applicants.

A model whose text applicants read (a call's title, introduction and documents, a stage's
name, an interview criterion, a questionnaire's questions, a programme's eligibility notes)
has a ``translations`` JSON field, ``{language: {field: value}}``. The field itself holds the
text as staff typed it, in the organisation's default language; ``translations`` holds it in
the other languages offered. An applicant sees their own language, or the default when that
one was not given (docs/languages.md).

A form gets one field per offered language with ``translation_fields`` and reads them back
with ``translations_from``; a page shows the text with ``text_in`` or the template filter
``{{ call|in_language:"title" }}`` (``core.templatetags.translations``), both in the active
language.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import translation

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MAX_TEXT = 5000


def text_in(obj: object, field: str, language: str | None = None) -> Any:
    """``obj.field`` in ``language`` (the active one by default), else as typed."""
    language = language or translation.get_language() or ""
    given = (getattr(obj, "translations", None) or {}).get(language) or {}
    value = given.get(field) if isinstance(given, dict) else None
    return value if value else getattr(obj, field)


def entry_in(translations: dict[str, Any], field: str, key: str, language: str | None) -> Any:
    """One entry of a translated mapping (a questionnaire's question by its key), or None."""
    language = language or translation.get_language() or ""
    given = ((translations or {}).get(language) or {}).get(field) or {}
    return given.get(key) if isinstance(given, dict) else None


@dataclass(frozen=True)
class Translatable:
    """A text staff type: its field, its label on the form and its shape."""

    field: str
    label: StrOrPromise
    kind: str = "line"  # line, text (several lines), lines (a list, one item per line)


def _form_field(spec: Translatable, label: str) -> forms.Field:
    if spec.kind == "line":
        return forms.CharField(label=label, required=False, max_length=200)
    return forms.CharField(
        label=label,
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def field_name(prefix: str, spec: Translatable, language: str) -> str:
    return f"{prefix}{spec.field}__{language}"


def translation_fields(
    *, languages: Sequence[str], specs: Iterable[Translatable], prefix: str = ""
) -> dict[str, forms.Field]:
    """One form field per text and offered language, labelled with the language's name."""
    fields: dict[str, forms.Field] = {}
    for spec in specs:
        for language in languages:
            name = translation.get_language_info(language)["name_local"]
            field = _form_field(spec, f"{spec.label} ({name})")
            field.widget.attrs.update({"lang": language, "dir": "auto"})
            fields[field_name(prefix, spec, language)] = field
    return fields


def initial_values(
    obj: object, *, languages: Sequence[str], specs: Iterable[Translatable], prefix: str = ""
) -> dict[str, str]:
    translations: dict[str, Any] = getattr(obj, "translations", None) or {}
    values: dict[str, str] = {}
    for spec in specs:
        for language in languages:
            value = (translations.get(language) or {}).get(spec.field)
            if isinstance(value, list):
                value = "\n".join(str(v) for v in value)
            values[field_name(prefix, spec, language)] = str(value or "")
    return values


def translations_from(
    cleaned_data: dict[str, Any],
    *,
    languages: Sequence[str],
    specs: Iterable[Translatable],
    prefix: str = "",
) -> dict[str, dict[str, Any]]:
    """``{language: {field: value}}`` from a form's fields; empty texts are left out."""
    result: dict[str, dict[str, Any]] = {}
    for spec in specs:
        for language in languages:
            raw = str(cleaned_data.get(field_name(prefix, spec, language)) or "").strip()
            if not raw:
                continue
            value: Any = raw
            if spec.kind == "lines":
                value = [line.strip() for line in raw.splitlines() if line.strip()]
            result.setdefault(language, {})[spec.field] = value
    return result
