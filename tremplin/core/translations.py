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

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import translation

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MAX_TEXT = 5000


def _part(obj: object, name: str) -> Any:
    """``obj.name``, or ``obj[name]`` for a mapping (a template's context may hold either);
    "" when it has none, as a template shows it."""
    if isinstance(obj, Mapping):
        return obj.get(name, "")
    return getattr(obj, name, "")


def text_in(obj: object, field: str, language: str | None = None) -> Any:
    """``obj.field`` in ``language`` (the active one by default), else as typed."""
    language = language or translation.get_language() or ""
    translations = _part(obj, "translations") or {}
    given = translations.get(language) if isinstance(translations, Mapping) else None
    value = given.get(field) if isinstance(given, Mapping) else None
    return value if value else _part(obj, field)


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


class TranslationsForm(forms.Form):
    """One field per text and language, in groups (a record each: a call, a stage...).
    ``group`` adds a record's texts; ``texts()`` gives ``{key: {language: {field: text}}}``
    with the key each group was added under."""

    def __init__(self, *args: Any, languages: list[str], **kwargs: Any) -> None:
        self.languages = languages
        super().__init__(*args, **kwargs)
        self.groups: list[tuple[str, list[str]]] = []
        self._specs: dict[Any, tuple[tuple[Translatable, ...], str]] = {}

    def group(self, key: Any, title: str, obj: object, specs: Iterable[Translatable]) -> None:
        specs = tuple(specs)
        prefix = f"{key}_"
        fields = translation_fields(languages=self.languages, specs=specs, prefix=prefix)
        self.fields.update(fields)
        if not self.is_bound:
            self.initial.update(
                initial_values(obj, languages=self.languages, specs=specs, prefix=prefix)
            )
        self.groups.append((title, list(fields)))
        self._specs[key] = (specs, prefix)

    def texts(self) -> dict[Any, dict[str, dict[str, Any]]]:
        return {
            key: translations_from(
                self.cleaned_data, languages=self.languages, specs=specs, prefix=prefix
            )
            for key, (specs, prefix) in self._specs.items()
        }
