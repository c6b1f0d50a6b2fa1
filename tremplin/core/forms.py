"""How every form renders (Bootstrap classes, inline errors tied to their field, date and
time inputs in ISO), and how a form's errors or a service's ``ValidationError`` reach the
page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.http import HttpRequest
from django.utils.safestring import SafeString

# What a browser's date, time and date-time pickers read and send, whatever the page's
# language: given "02/12/2026" (the French format), <input type="date"> shows nothing.
ISO_DATE = "%Y-%m-%d"
ISO_TIME = "%H:%M"
ISO_DATETIME = "%Y-%m-%dT%H:%M"


class DateInput(forms.DateInput):
    """The browser's date picker, given and sending ISO dates (2026-12-02) in every
    language. Django's fields read ISO in every language too."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None, format: str | None = None) -> None:
        super().__init__(attrs, format=ISO_DATE)


class TimeInput(forms.TimeInput):
    """The browser's time picker, given and sending 24-hour ISO times (14:30)."""

    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None, format: str | None = None) -> None:
        super().__init__(attrs, format=ISO_TIME)


class DateTimeInput(forms.DateTimeInput):
    """The browser's date-and-time picker (``datetime-local``), given and sending
    2026-12-02T14:30 in every language."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None, format: str | None = None) -> None:
        super().__init__(attrs, format=ISO_DATETIME)


_ISO_WIDGETS: tuple[tuple[type[forms.Widget], type[forms.Widget]], ...] = (
    (forms.DateTimeInput, DateTimeInput),
    (forms.DateInput, DateInput),
    (forms.TimeInput, TimeInput),
)


def iso_widget(widget: forms.Widget) -> forms.Widget:
    """The widget itself, or, for one of Django's date, time or date-time inputs (a
    ``ModelForm``'s default, or one a form names), the ISO picker that replaces it with the
    same attributes: no page can give a picker a value in the language's format."""
    if isinstance(widget, DateInput | TimeInput | DateTimeInput):
        return widget
    for django_widget, ours in _ISO_WIDGETS:
        if isinstance(widget, django_widget):
            iso = ours({k: v for k, v in widget.attrs.items() if k != "type"})
            iso.is_required, iso.is_localized = widget.is_required, widget.is_localized
            return iso
    return widget


class TremplinBoundField(BoundField):
    def as_widget(
        self,
        widget: forms.Widget | None = None,
        attrs: dict[str, Any] | None = None,
        only_initial: bool = False,
    ) -> SafeString:
        widget = iso_widget(widget or self.field.widget)
        attrs = dict(attrs or {})
        input_type = getattr(widget, "input_type", "")
        if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
            css = ""
        elif input_type in {"checkbox", "radio"}:
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        classes = [widget.attrs.get("class", ""), attrs.get("class", ""), css]
        if self.errors:
            classes.append("is-invalid")
            attrs["aria-invalid"] = "true"
            attrs["aria-describedby"] = f"{self.auto_id}_error"
        attrs["class"] = " ".join(c for c in classes if c)
        return super().as_widget(widget, attrs, only_initial)


class TremplinFormRenderer(DjangoTemplates):
    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"
    bound_field_class = TremplinBoundField


def form_errors_to_messages(request: HttpRequest, form: forms.Form) -> None:
    """For forms posted from a page that redirects back: each error becomes a message
    naming its field."""
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        text = " ".join(str(e) for e in errors)
        messages.error(request, f"{label}: {text}" if label else text)


def validation_error_to_messages(request: HttpRequest, error: ValidationError) -> None:
    """For a service refusing a change from a page that redirects back: each message of the
    error becomes an error message of its own, in order."""
    for message in error.messages:
        messages.error(request, message)


def validation_error_by_field(error: ValidationError) -> dict[str, list[str]]:
    """The messages of an error by the field they are about; those about no field under
    ``NON_FIELD_ERRORS`` ("__all__")."""
    if hasattr(error, "error_dict"):
        return dict(error.message_dict)
    return {NON_FIELD_ERRORS: list(error.messages)}


def validation_error_to_form(
    form: forms.Form,
    error: ValidationError,
    *,
    field_of: Callable[[str], str | None] | None = None,
    others_on_form: bool = True,
) -> list[str]:
    """Each message of a service's error on the field of the form it is about, shown inline.

    ``field_of`` names the form field for a key of the error (a service's ``se_target`` may be
    the form's ``se``); by default the key itself. A message whose key is no field of the form
    is one of the others: they are the form's non-field errors (shown above it), or, with
    ``others_on_form=False``, left to the caller to show. Returns the others, in order."""
    others: list[str] = []
    for key, messages_ in validation_error_by_field(error).items():
        name = field_of(key) if field_of is not None else key
        if name is not None and name in form.fields:
            for message in messages_:
                form.add_error(name, message)
            continue
        others.extend(messages_)
        if others_on_form:
            for message in messages_:
                form.add_error(None, message)
    return others
